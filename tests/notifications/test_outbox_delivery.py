"""Delivery of outbox rows: once per row, after the commit, retried with back-off."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_q.models import OrmQ, Schedule
from django_q.signing import SignedPackage

from notifications import services, tasks
from notifications.channels import sms
from notifications.channels.email import message_id
from notifications.models import Notification
from notifications.services import Recipient, queue_notifications

SENT, PENDING, FAILED = "sent", "pending", "failed"
SENDING = "sending"
# 22:00 in Hà Nội; office hours start at 08:00 the next morning (01:00 UTC).
NIGHT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
NEXT_MORNING = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


class FailingGateway:
    """An SMS gateway that is down."""

    def send(self, to, text, idempotency_key):
        raise ConnectionError("gateway unreachable")


class DyingGateway:
    """Accepts the message, then the worker dies before it can record success."""

    def send(self, to, text, idempotency_key):
        sms.outbox.append({"to": to, "text": text, "key": idempotency_key})
        raise SystemExit("worker killed")


@pytest.fixture
def petition(submit, sms_in_memory):
    """A submitted petition whose own receipts are already delivered."""
    petition = submit(email="an@example.vn", phone="0912345678")
    while services.deliver_due_batch(now=timezone.now()):
        pass
    mail.outbox.clear()
    sms_in_memory.clear()
    return petition


def queue_sms(petition, *, now, count=1, send_at=None):
    return queue_notifications(
        event="received",
        petition_id=petition.pk,
        recipients=[
            Recipient("sms", address=f"09{i:08d}", language="vi") for i in range(count)
        ],
        now=now,
        send_at=send_at,
    )


def test_submitting_delivers_the_receipt_email_after_the_commit(
    submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        petition = submit(email="an@example.vn")

    # Nothing is sent inside the transaction; the commit enqueues the delivery.
    assert callbacks
    row = Notification.objects.get(petition_id=petition.pk, event="received")
    assert row.status == SENT and row.sent_at is not None and row.attempts == 1
    (email,) = mail.outbox
    assert email.to == ["an@example.vn"]
    assert petition.tracking_code in email.subject
    assert email.message()["Message-ID"] == message_id(str(row.delivery_key))


def test_delivering_a_row_twice_sends_one_email(submit):
    petition = submit(email="an@example.vn")
    row = Notification.objects.get(petition_id=petition.pk, event="received")
    now = timezone.now()

    first = services.deliver(notification_id=row.pk, now=now)
    second = services.deliver(notification_id=row.pk, now=now + timedelta(seconds=1))

    assert (first, second) == (SENT, None)
    assert len(mail.outbox) == 1


def test_a_row_being_sent_by_another_worker_is_left_alone(submit):
    petition = submit(email="an@example.vn")
    row = Notification.objects.get(petition_id=petition.pk, event="received")
    now = timezone.now()
    # Another worker holds the claim (its lease runs).
    Notification.objects.filter(pk=row.pk).update(
        status=SENDING, claimed_until=now + timedelta(minutes=2)
    )

    assert services.deliver(notification_id=row.pk, now=now) is None
    assert services.deliver_due_batch(now=now) == 0
    assert mail.outbox == []


def test_the_same_event_queued_twice_writes_one_row(submit):
    petition = submit()
    now = timezone.now()
    for _ in range(2):
        queue_notifications(
            event="breach",
            petition_id=petition.pk,
            recipients=[Recipient("email", address="h@staff.example", user_id=None)],
            now=now,
            dedupe_key=f"sla:{petition.pk}:breach",
        )

    assert Notification.objects.filter(event="breach").count() == 1


def test_a_row_held_for_office_hours_is_not_sent_early(petition, sms_in_memory):
    (row,) = queue_sms(petition, now=NIGHT, send_at=NEXT_MORNING)

    # Neither the task nor the sweep sends it before 08:00.
    assert services.deliver(notification_id=row.pk, now=NIGHT) is None
    assert services.deliver_due_batch(now=NEXT_MORNING - timedelta(seconds=1)) == 0
    assert sms_in_memory == []

    assert services.deliver_due_batch(now=NEXT_MORNING) == 1
    assert Notification.objects.get(pk=row.pk).sent_at == NEXT_MORNING
    assert len(sms_in_memory) == 1


def test_failed_attempts_back_off_exponentially_then_fail_with_the_error(
    petition, settings
):
    settings.SMS_BACKEND = f"{__name__}.FailingGateway"
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    (row,) = queue_sms(petition, now=NIGHT)

    at, waits = NIGHT, []
    for _attempt in range(3):
        assert services.deliver(notification_id=row.pk, now=at) == PENDING
        row = Notification.objects.get(pk=row.pk)
        waits.append(row.next_attempt_at - at)
        # Not due again before the back-off is over.
        early = row.next_attempt_at - timedelta(seconds=1)
        assert services.deliver_due_batch(now=early) == 0
        at = row.next_attempt_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]

    assert services.deliver_due_batch(now=at) == 1
    row = Notification.objects.get(pk=row.pk)
    assert row.status == FAILED and row.attempts == 4
    assert row.last_error == "ConnectionError: gateway unreachable"
    # A failed row stays failed: no sweep picks it again.
    assert services.deliver_due_batch(now=at + timedelta(days=1)) == 0


def test_back_off_is_capped(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 3600

    assert services.retry_delay(1) == timedelta(minutes=1)
    assert services.retry_delay(6) == timedelta(minutes=32)
    assert services.retry_delay(7) == timedelta(hours=1)
    assert services.retry_delay(30) == timedelta(hours=1)


def test_a_worker_dying_mid_send_leaves_a_claim_that_expires_and_is_sent_again_with_the_same_key(  # noqa: E501
    petition, settings, sms_in_memory
):
    settings.NOTIFICATION_LEASE_SECONDS = 120
    (row,) = queue_sms(petition, now=NIGHT)
    settings.SMS_BACKEND = f"{__name__}.DyingGateway"

    with pytest.raises(SystemExit):
        services.deliver(notification_id=row.pk, now=NIGHT)
    assert Notification.objects.get(pk=row.pk).status == SENDING

    settings.SMS_BACKEND = "notifications.channels.sms.MemoryBackend"
    # While the lease runs the row is presumed in the dead worker's hands…
    assert services.deliver_due_batch(now=NIGHT + timedelta(seconds=119)) == 0
    # …after it, the sweep releases and sends it.
    assert services.deliver_due_batch(now=NIGHT + timedelta(seconds=120)) == 1

    row = Notification.objects.get(pk=row.pk)
    assert row.status == SENT and row.attempts == 2
    # At-least-once: the gateway saw the message twice, both times with one key.
    assert [m["key"] for m in sms_in_memory] == [str(row.delivery_key)] * 2


def test_an_expired_claim_out_of_attempts_fails(petition, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    (row,) = queue_sms(petition, now=NIGHT)
    settings.SMS_BACKEND = f"{__name__}.DyingGateway"
    with pytest.raises(SystemExit):
        services.deliver(notification_id=row.pk, now=NIGHT)

    services.release_expired_claims(now=NIGHT + timedelta(hours=1))

    row = Notification.objects.get(pk=row.pk)
    assert row.status == FAILED
    assert "stopped before it finished" in row.last_error


def test_the_sweep_delivers_everything_due_beyond_one_batch(petition, sms_in_memory):
    queue_sms(petition, now=timezone.now(), count=services.SWEEP_BATCH * 2 + 5)

    # No silent cap: one run keeps claiming batches until nothing is due.
    assert tasks.deliver_due() == services.SWEEP_BATCH * 2 + 5
    assert not Notification.objects.exclude(status=SENT).exists()
    assert len(sms_in_memory) == services.SWEEP_BATCH * 2 + 5


def test_the_queue_carries_only_the_row_id(
    submit, monkeypatch, django_capture_on_commit_callbacks
):
    from django_q.conf import Conf

    # The real broker instead of running tasks inline (tests set sync=True).
    monkeypatch.setattr(Conf, "SYNC", False)
    with django_capture_on_commit_callbacks(execute=True):
        petition = submit(email="an@example.vn", phone="0912345678")

    packages = [SignedPackage.loads(q.payload) for q in OrmQ.objects.all()]
    rows = Notification.objects.filter(petition_id=petition.pk)
    # One task for the transaction's rows (e-mail and SMS of the receipt).
    [package] = packages
    assert sorted(package["args"][0]) == sorted(r.pk for r in rows)
    assert package["func"] == "notifications.tasks.deliver_notifications"
    assert all(p["kwargs"] == {} for p in packages)
    # No name, address or title travels through the queue.
    assert not any(
        secret in repr(packages) for secret in ("an@example.vn", "0912345678", "An")
    )


def test_rows_held_for_later_are_not_enqueued(
    submit, monkeypatch, django_capture_on_commit_callbacks
):
    from django_q.conf import Conf

    petition = submit()
    monkeypatch.setattr(Conf, "SYNC", False)
    with django_capture_on_commit_callbacks(execute=True):
        queue_sms(petition, now=NIGHT, send_at=NEXT_MORNING)

    assert OrmQ.objects.count() == 0


def test_the_safety_net_schedule_runs_every_minute(db):
    schedule = Schedule.objects.get(name=tasks.DELIVER_DUE)

    assert schedule.func == "notifications.tasks.deliver_due"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == ("I", 1, -1)


def test_ensuring_the_schedule_twice_keeps_one(db):
    tasks.ensure_delivery_schedule(Schedule)
    tasks.ensure_delivery_schedule(Schedule)

    assert Schedule.objects.filter(name=tasks.DELIVER_DUE).count() == 1


def test_the_command_delivers_what_is_due(submit, capsys):
    petition = submit(email="an@example.vn")

    call_command("deliver_notifications")

    row = Notification.objects.get(petition_id=petition.pk)
    assert row.status == SENT
    assert "1 notification(s) attempted" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_command_can_put_failed_rows_back_first(submit, settings):
    petition = submit(email="an@example.vn")
    row = Notification.objects.get(petition_id=petition.pk)
    Notification.objects.filter(pk=row.pk).update(status=FAILED, attempts=10)

    call_command("deliver_notifications", "--retry-failed")

    assert Notification.objects.get(pk=row.pk).status == SENT


def test_the_confirmation_email_carries_the_secret_and_the_outbox_then_forgets_it(
    land,
):
    from workflow import services as workflow

    submission = workflow.submit_petition(
        channel="web",
        submitter_kind="citizen",
        submitter_name="An",
        email="an@example.vn",
        phone="0912345678",
        title="T",
        content="C",
        category=land.code,
        province=20,
    )
    email_row = Notification.objects.get(event="received", channel="email")
    sms_row = Notification.objects.get(event="received", channel="sms")
    # Only the e-mail carries the secret (sealed while it waits); the SMS does not.
    assert email_row.context["secret"].startswith("sealed:")
    assert submission.secret not in email_row.context["secret"]
    assert "secret" not in sms_row.context

    assert services.deliver(notification_id=email_row.pk, now=timezone.now()) == SENT
    assert submission.secret in mail.outbox[0].body
    # Once sent, the only copy of the secret outside the submitter's hands is gone.
    assert "secret" not in Notification.objects.get(pk=email_row.pk).context


# --- one outbox transaction: its rows go in together, with one delivery task ---


@pytest.fixture
def broker(monkeypatch):
    """The real ORM broker instead of running tasks inline (tests set sync=True)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


def enqueued_ids():
    return [SignedPackage.loads(q.payload)["args"][0] for q in OrmQ.objects.all()]


def test_the_rows_of_one_outbox_transaction_share_one_delivery_task(
    petition, broker, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with services.outbox_transaction():
            first = queue_sms(petition, now=now)
            second = queue_sms(petition, now=now, count=2)
            # Kept until the block ends, then written in one INSERT.
            assert not Notification.objects.filter(status=PENDING).exists()

    assert len(callbacks) == 1
    [ids] = enqueued_ids()
    assert sorted(ids) == sorted(row.pk for row in [*first, *second])


def test_a_failed_inner_block_takes_its_rows_with_it(
    petition, broker, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        with services.outbox_transaction():
            kept = queue_sms(petition, now=now)
            with pytest.raises(RuntimeError):
                with services.outbox_transaction():
                    queue_sms(petition, now=now, count=3)
                    raise RuntimeError("the inner step failed")

    # Only the outer block's row is written and enqueued.
    assert list(Notification.objects.filter(status=PENDING)) == kept
    assert enqueued_ids() == [[kept[0].pk]]


def test_a_rolled_back_outbox_transaction_writes_and_enqueues_nothing(
    petition, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with services.outbox_transaction():
                queue_sms(petition, now=timezone.now())
                raise RuntimeError("the step failed")

    assert callbacks == []
    assert not Notification.objects.filter(status=PENDING).exists()
    assert OrmQ.objects.count() == 0
