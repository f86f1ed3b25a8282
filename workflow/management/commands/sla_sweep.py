from django.core.management.base import BaseCommand

from workflow.tasks import sweep_sla


class Command(BaseCommand):
    help = (
        "Record due SLA warnings and breaches, escalate, expire unanswered questions."
    )

    def handle(self, *args, **options):
        done = sweep_sla()
        figures = (
            ", ".join(f"{k}={v}" for k, v in sorted(done.items())) or "nothing due"
        )
        self.stdout.write(f"SLA sweep: {figures}")
