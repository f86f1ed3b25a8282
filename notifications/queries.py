"""The outbox as operators watch it (config/metrics.py, config/health.py)."""

from django.db.models import Count, Min

from notifications.models import Notification

WATCHED = (Notification.Status.PENDING, Notification.Status.FAILED)


def outbox_by_channel() -> dict[tuple[str, str], int]:
    """Pending and failed rows per (channel, status); sent rows are not counted."""
    rows = (
        Notification.objects.filter(status__in=WATCHED)
        .values_list("channel", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(channel, status): n for channel, status, n in rows}


def oldest_due_at(*, now):
    """When the longest-waiting row became due (None: nothing due now)."""
    return Notification.objects.filter(
        status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).aggregate(at=Min("next_attempt_at"))["at"]
