"""Writing to the outbox, and delivering it.

Workflow services run in an `outbox_transaction()` and call `queue_notifications`
inside it; the rows are written together when it ends, and after the commit one
django-q2 task for the transaction's rows (`notifications.tasks.deliver_notifications`,
ids only) calls `deliver` for each.
The every-minute schedule (`notifications.tasks.deliver_due`) is the safety net: it
delivers whatever is due and was not delivered, after a crash, a lost task, or a
back-off. Delivery is at-least-once; each row's `delivery_key` goes
with every attempt so that a repeat is recognisable downstream.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F

from config.bulk import insert_rows, new_row
from notifications.channels import PermanentFailure, email, sms, webhook
from notifications.models import Notification
from notifications.rendering import render
from notifications.sealing import SEALED_KEYS, seal_context

logger = logging.getLogger(__name__)

PENDING = Notification.Status.PENDING
SENDING = Notification.Status.SENDING
SENT = Notification.Status.SENT
FAILED = Notification.Status.FAILED
# Rows claimed per round trip by the safety-net sweep.
SWEEP_BATCH = 20


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str = ""
    user_id: int | None = None
    language: str = "vi"


_batch: ContextVar[list[Notification] | None] = ContextVar(
    "outbox rows of the transaction", default=None
)


@contextmanager
def outbox_transaction() -> Iterator[None]:
    """One transaction whose outbox rows are written together and delivered by one
    task after the commit.

    Rows queued inside (queue_notifications) are kept until the block ends, then
    inserted in one INSERT, and one `transaction.on_commit` callback enqueues their
    delivery: a step that writes rows for several events (status sync, assignment,
    receipt) costs one insert and one task, and a batch intake one of each for all
    its petitions. A block inside another joins it (its rows are written when the
    outermost ends); a block that fails takes its rows with it, as its savepoint
    rolls back what it wrote. Usable as a decorator: `@outbox_transaction()`.
    """
    rows = _batch.get()
    if rows is not None:
        mark = len(rows)
        try:
            with transaction.atomic():
                yield
        except BaseException:
            del rows[mark:]
            raise
        return
    rows = []
    with transaction.atomic():
        token = _batch.set(rows)
        try:
            yield
        finally:
            _batch.reset(token)
        _write(rows)


def _write(rows):
    """Insert rows (duplicate keys skipped) and enqueue the delivery of those due."""
    if not rows:
        return
    keyed = [row for row in rows if row.dedupe_key]
    plain = insert_rows(Notification, [r for r in rows if not r.dedupe_key])
    ids = [row.pk for row in plain if row.next_attempt_at <= row.created_at]
    if keyed:
        insert_rows(Notification, keyed, ignore_conflicts=True)
        # Skipped duplicates come back without ids; any pending row of these keys
        # may be enqueued (again), since delivery checks the row first.
        due = [row.dedupe_key for row in keyed if row.next_attempt_at <= row.created_at]
        ids += list(
            Notification.objects.filter(dedupe_key__in=due, status=PENDING).values_list(
                "pk", flat=True
            )
        )
    enqueue_delivery(ids)


def queue_notifications(
    *,
    event: str,
    petition_id: int | None,
    recipients,
    now,
    context=None,
    dedupe_key=None,
    send_at=None,
) -> list[Notification]:
    """Write one pending row per recipient; rows whose dedupe key exists are skipped.

    `dedupe_key`, when given, is extended with the channel and address so that one event
    reaches each recipient once however often the caller runs (the sweep's guarantee).
    `send_at` holds the rows back until then (office hours); otherwise each row's
    delivery is enqueued when the caller's transaction commits.
    """
    sealed = seal_context(context or {})
    rows = [
        new_row(
            Notification,
            event=event,
            channel=r.channel,
            petition_id=petition_id,
            recipient_user_id=r.user_id,
            recipient_address=r.address,
            language=r.language,
            context=sealed,
            dedupe_key=(
                f"{dedupe_key}:{r.channel}:{r.user_id or r.address}"
                if dedupe_key
                else None
            ),
            created_at=now,
            next_attempt_at=send_at or now,
        )
        for r in recipients
    ]
    batch = _batch.get()
    if batch is not None:
        batch.extend(rows)  # written when the batch ends
    else:
        _write(rows)
    return rows


def queue_batch(rows: list[Notification]) -> None:
    """Write many prepared rows at once (the SLA sweep); duplicate keys are skipped."""
    if rows:
        insert_rows(Notification, rows, ignore_conflicts=True)
        # Ids of skipped rows are unknown; one sweep after the commit sends what is
        # due now (breaches, escalations) instead of waiting for the next minute.
        if any(row.next_attempt_at <= row.created_at for row in rows):
            transaction.on_commit(_enqueue_sweep)


def enqueue_delivery(ids) -> None:
    """After the commit, one delivery task for these rows (ids only: no personal data
    in the queue). Before the commit a worker would not see the rows.

    Inside an outbox_transaction() this runs once, for all of its rows; elsewhere
    (the sweep, the admin's retry) once per call.
    """
    ids = list(ids)
    if ids:
        transaction.on_commit(_Delivery(ids))


class _Delivery:
    """The on-commit callback that enqueues the delivery of the rows it collected."""

    def __init__(self, ids):
        self.ids = ids

    def __call__(self):
        held = _held.get()
        if held is not None:
            held.extend(self.ids)
        else:
            deliver_soon(self.ids)


def deliver_soon(ids) -> None:
    """Enqueue one delivery task for these (committed) rows."""
    from django_q.tasks import async_task

    # save=False: the rows record the outcome; a result row per task would only
    # load the task table (failures are still saved).
    async_task(
        "notifications.tasks.deliver_notifications",
        list(ids),
        task_name=f"notifications-{ids[0]}",
        save=False,
    )


_held: ContextVar = ContextVar("held deliveries", default=None)


@contextmanager
def held_deliveries():
    """Collect, instead of enqueueing, the deliveries of the transactions committed
    within the block; the caller passes them to deliver_soon() when it sees fit.

    Group intake commits many small transactions a second, and one task per
    transaction would cost about as much as the intake. Rows whose task is never
    enqueued (the process died) go out with the every-minute safety net.
    """
    ids: list[int] = []
    token = _held.set(ids)
    try:
        yield ids
    finally:
        _held.reset(token)


def _enqueue_sweep():
    from django_q.tasks import async_task

    async_task("notifications.tasks.deliver_due", save=False)


# --- delivery -----------------------------------------------------------------


def deliver(*, notification_id, now) -> str | None:
    """Send one notification if it is pending and due; return its new status.

    The claim is a conditional UPDATE (pending → sending, with a lease), so two
    workers given the same row send it once, and a row that is already sent, failed,
    being sent, or not due yet (office hours, back-off) is left alone (None).
    """
    claimed = Notification.objects.filter(
        pk=notification_id, status=PENDING, next_attempt_at__lte=now
    ).update(
        status=SENDING,
        claimed_until=now + _lease(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return _send(Notification.objects.get(pk=notification_id), now=now)


def deliver_due_batch(*, now, limit=SWEEP_BATCH) -> int:
    """Claim up to `limit` due rows and send them; return how many were claimed.

    `FOR UPDATE SKIP LOCKED` lets several sweeps (and workers) run side by side, each
    taking rows no other one holds; the partial index on pending rows keeps the search
    proportional to what is due. The caller loops until this returns 0.
    """
    release_expired_claims(now=now)
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(
            status=SENDING,
            claimed_until=now + _lease(),
            attempts=F("attempts") + 1,
        )
    for row in Notification.objects.filter(pk__in=ids).order_by("pk"):
        _send(row, now=now)
    return len(ids)


def release_expired_claims(*, now) -> int:
    """Rows whose sender died mid-send (lease over) become deliverable again.

    The message may have gone out before the crash: the retry carries the same
    delivery key. A row out of attempts fails instead.
    """
    expired = Notification.objects.filter(status=SENDING, claimed_until__lte=now)
    error = "The worker sending this notification stopped before it finished."
    failed = expired.filter(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS).update(
        status=FAILED, claimed_until=None, last_error=error
    )
    released = expired.update(status=PENDING, claimed_until=None, last_error=error)
    if failed or released:
        logger.warning(
            "Notification claims expired: %s back to pending, %s failed",
            released,
            failed,
        )
    return released + failed


@transaction.atomic
def retry_notifications(*, ids, now) -> int:
    """Put failed notifications back to pending with a fresh set of attempts."""
    retried = list(
        Notification.objects.select_for_update()
        .filter(pk__in=list(ids), status=FAILED)
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=retried).update(
        status=PENDING, attempts=0, next_attempt_at=now, claimed_until=None
    )
    enqueue_delivery(retried)
    return len(retried)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the n-th failed attempt: base, 2×base, 4×base…
    capped (1, 2, 4, 8… minutes with the defaults)."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    seconds = base * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NOTIFICATION_RETRY_MAX_SECONDS))


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


def _send(row, *, now) -> str:
    """Render and send a claimed row, then record the outcome."""
    key = str(row.delivery_key)
    try:
        if row.channel == Notification.Channel.WEBHOOK:
            webhook.send(payload=row.context, idempotency_key=key, now=now)
        else:
            texts = render(row)
            if row.channel == Notification.Channel.EMAIL:
                email.send(
                    to=row.recipient_address,
                    subject=texts.subject,
                    body=texts.body,
                    idempotency_key=key,
                )
            elif row.channel == Notification.Channel.SMS:
                sms.send(to=row.recipient_address, text=texts.sms, idempotency_key=key)
            else:
                raise PermanentFailure(f"Unknown channel {row.channel!r}.")
    except Exception as error:
        # Every failure is recorded on the row, never raised into the task queue.
        final = isinstance(error, PermanentFailure)
        return _record_failure(row, error, now=now, final=final)
    # The first success counts; a row released after an expired lease and sent by
    # this late worker is sent, whatever its status became meanwhile.
    Notification.objects.filter(pk=row.pk).exclude(status=SENT).update(
        status=SENT, sent_at=now, claimed_until=None, last_error="", **_scrubbed(row)
    )
    return SENT


# Context keys that may wait in the outbox only until the message is out: the
# submitter's secret travels in the confirmation e-mail and is stored nowhere else
# (sealed while it waits: notifications.sealing).
ONCE_ONLY_KEYS = SEALED_KEYS
# A message that tells a person their data was erased goes to an address nothing
# else holds any more: once out, the row forgets it and its text, as the erasure
# did every other message of the petition (erase_personal_data).
FORGET_ONCE_SENT = "forget_once_sent"


def _scrubbed(row) -> dict:
    """The update that forgets the row's once-only context keys, if it has any,
    and its address and texts when it was queued to be forgotten once sent."""
    if row.context.get(FORGET_ONCE_SENT):
        kept = {k: v for k, v in row.context.items() if k in IMPERSONAL_KEYS}
        return {"context": kept, "recipient_address": ""}
    if not any(key in row.context for key in ONCE_ONLY_KEYS):
        return {}
    return {
        "context": {k: v for k, v in row.context.items() if k not in ONCE_ONLY_KEYS}
    }


def _record_failure(row, error, *, now, final) -> str:
    message = f"{type(error).__name__}: {error}"[:2000]
    scrub = {}
    if final or row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        status, next_attempt_at = FAILED, row.next_attempt_at
        scrub = _scrubbed(row)
        logger.error("Notification %s failed for good: %s", row.pk, message)
    else:
        status, next_attempt_at = PENDING, now + retry_delay(row.attempts)
        logger.warning(
            "Notification %s attempt %s failed, next at %s: %s",
            row.pk,
            row.attempts,
            next_attempt_at.isoformat(),
            message,
        )
    # Only while this worker still holds the claim; after an expired lease the row
    # belongs to whoever claimed it next.
    Notification.objects.filter(pk=row.pk, status=SENDING).update(
        status=status,
        next_attempt_at=next_attempt_at,
        claimed_until=None,
        last_error=message,
        **scrub,
    )
    return status


def outbox_counts() -> dict[str, int]:
    """Rows per status (commands, bench)."""
    rows = Notification.objects.values_list("status").annotate(n=Count("pk"))
    return {status: n for status, n in rows.order_by("status")}


def portal_sync_enabled() -> bool:
    """Status sync is on when PORTAL_WEBHOOK_URL is set (read at call time)."""
    return webhook.is_enabled()


# What a message's context may keep once its petition's personal data is erased.
IMPERSONAL_KEYS = ("tracking_code", "state", "state_label", "due_at", "version", "at")


def erase_personal_data(petition_ids) -> int:
    """Forget the submitter's addresses and the texts of these petitions' messages.

    The retention rules (workflow.privacy.retention) call this when a petition is
    anonymised: a row keeps its event, channel, times and status (proof that a
    message went out), staff recipients keep theirs; the submitter's address and
    every text (title, question, answer, errors quoting the address) go.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE notifications_notification SET
                recipient_address = CASE WHEN recipient_user_id IS NULL
                    THEN '' ELSE recipient_address END,
                last_error = '',
                context = COALESCE((
                    SELECT jsonb_object_agg(key, value) FROM jsonb_each(context)
                    WHERE key = ANY(%s)
                ), '{}'::jsonb)
            WHERE petition_id = ANY(%s)
            """,
            [list(IMPERSONAL_KEYS), list(petition_ids)],
        )
        return cursor.rowcount


def readdress_waiting(*, petition_id, channel, old, new) -> int:
    """Send a petition's messages not yet sent to `old` on `channel` to `new`
    instead: its submitter corrected the address (workflow.privacy.requests).
    Rows being sent or already sent keep the address they went to; so does every
    row when there is no new address (the correction removed it): those fail on
    their own, and the history says what was corrected."""
    if not new:
        return 0
    return Notification.objects.filter(
        petition_id=petition_id,
        channel=channel,
        recipient_address=old,
        recipient_user__isnull=True,
        status__in=(Notification.Status.PENDING, Notification.Status.FAILED),
    ).update(recipient_address=new)
