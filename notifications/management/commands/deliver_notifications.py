"""Deliver every due notification now, without a cluster (cron, or by hand)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications import services


class Command(BaseCommand):
    help = "Deliver all pending notifications whose time has come, then exit."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="First put failed notifications back to pending.",
        )

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            from notifications.models import Notification

            failed = Notification.objects.filter(status=services.FAILED)
            retried = services.retry_notifications(
                ids=failed.values_list("pk", flat=True), now=timezone.now()
            )
            self.stdout.write(f"{retried} failed notification(s) back to pending.")
        claimed = 0
        while batch := services.deliver_due_batch(now=timezone.now()):
            claimed += batch
        counts = services.outbox_counts()
        self.stdout.write(
            f"{claimed} notification(s) attempted; outbox now: "
            + ", ".join(f"{status} {n}" for status, n in counts.items())
        )
