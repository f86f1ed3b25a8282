"""Writing to the outbox. Called by workflow services inside their transaction."""

from dataclasses import dataclass

from notifications.models import Notification


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str = ""
    user_id: int | None = None
    language: str = "vi"


def queue_notifications(
    *,
    event: str,
    petition_id: int | None,
    recipients,
    now,
    context=None,
    dedupe_key=None,
) -> list[Notification]:
    """Write one pending row per recipient; rows whose dedupe key exists are skipped.

    `dedupe_key`, when given, is extended with the channel and address so that one event
    reaches each recipient once however often the caller runs (the sweep's guarantee).
    """
    rows = [
        Notification(
            event=event,
            channel=r.channel,
            petition_id=petition_id,
            recipient_user_id=r.user_id,
            recipient_address=r.address,
            language=r.language,
            context=context or {},
            dedupe_key=(
                f"{dedupe_key}:{r.channel}:{r.user_id or r.address}"
                if dedupe_key
                else None
            ),
            created_at=now,
            next_attempt_at=now,
        )
        for r in recipients
    ]
    if not rows:
        return []
    return Notification.objects.bulk_create(
        rows, ignore_conflicts=dedupe_key is not None
    )


def queue_batch(rows: list[Notification]) -> None:
    """Write many prepared rows at once (the SLA sweep); duplicate keys are skipped."""
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
