from django.core.management.base import BaseCommand
from django.utils import timezone

from workflow.privacy import retention


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of petitions whose retention period is over "
        "(the cluster does it every day)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the petitions due; change nothing.",
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        if dry_run:
            count = retention.due_for_anonymisation(now=now).count()
            self.stdout.write(f"{count} petition(s) due for anonymisation.")
            return
        count = retention.apply_retention(now=now)
        self.stdout.write(f"OK: {count} petition(s) anonymised.")
