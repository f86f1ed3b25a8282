"""django-q2 entry points: they take ids, read the clock, and call one service."""

import logging
import time

from django.conf import settings
from django.utils import timezone

from notifications import services

logger = logging.getLogger(__name__)

DELIVER_DUE = "notifications.deliver_due"


def deliver_notification(notification_id: int) -> str | None:
    return services.deliver(notification_id=notification_id, now=timezone.now())


def deliver_notifications(notification_ids: list[int]) -> list[str | None]:
    """Enqueued once per transaction that wrote rows, after it commits."""
    return [deliver_notification(pk) for pk in notification_ids]


def deliver_due() -> int:
    """Every minute: deliver every due row, batch after batch, until none is left.

    Each batch reads the clock again, so that leases are measured from when a row is
    claimed. Rather than let django-q kill a long run at its task timeout (and leave
    claims hanging until their lease ends), a run stops after half the timeout and
    enqueues its own continuation.
    """
    budget = settings.Q_CLUSTER.get("timeout", 60) / 2
    started = time.monotonic()
    claimed = 0
    while batch := services.deliver_due_batch(now=timezone.now()):
        claimed += batch
        if time.monotonic() - started > budget:
            from django_q.tasks import async_task

            logger.info("deliver_due: %s sent, continuing in a new task", claimed)
            async_task("notifications.tasks.deliver_due", save=False)
            break
    return claimed


def ensure_delivery_schedule(schedule_model, *, using="default") -> None:
    """The every-minute safety net, created or repaired idempotently.

    Takes the model so that the post_migrate handler can pass the migrated state's.
    """
    schedule_model.objects.using(using).update_or_create(
        name=DELIVER_DUE,
        defaults={
            "func": "notifications.tasks.deliver_due",
            "schedule_type": "I",  # every `minutes` minutes
            "minutes": 1,
            "repeats": -1,
        },
    )
