"""Status sync to the portal, against a real HTTP server on 127.0.0.1 (conftest)."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.channels.webhook import signature
from notifications.models import Notification
from workflow import messages
from workflow import services as workflow
from workflow.models import Petition

SENT, PENDING = "sent", "pending"


@pytest.fixture
def portal_petition(submit, routed_to_a, request):
    """A petition from the portal whose receipt messages are already delivered.

    Its receipt and routing were synced too; the portal stub forgets those, so
    each test sees only the requests it causes.
    """
    petition = submit(channel="portal", channel_ref="DVC-2026-000123")
    while services.deliver_due_batch(now=timezone.now()):
        pass
    if "portal" in request.fixturenames:
        request.getfixturevalue("portal").requests.clear()
    return petition


def vietnam_time(moment):
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def webhook_rows(petition):
    return Notification.objects.filter(petition_id=petition.pk, channel="webhook")


def sync(petition):
    """What the services' common step does after each state change."""
    petition = Petition.objects.get(pk=petition.pk)
    messages.status_changed(petition, now=timezone.now())
    return webhook_rows(petition).latest("pk")


def test_a_state_change_posts_signed_json_to_the_portal(portal, portal_petition):
    row = sync(portal_petition)

    assert services.deliver(notification_id=row.pk, now=timezone.now()) == SENT
    (request,) = portal.requests
    # The portal's own check of the HMAC over "<timestamp>.<body>" passed.
    assert request["signed"] is True
    assert request["path"] == "/pakn/status"
    assert request["headers"]["Idempotency-Key"] == str(row.delivery_key)
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    petition = Petition.objects.get(pk=portal_petition.pk)
    assert request["json"] == {
        "external_id": "DVC-2026-000123",
        "tracking_code": petition.tracking_code,
        "state": "assigned",
        "state_label": "Đã chuyển đơn vị xử lý",
        "version": petition.version,
        "at": row.context["at"],
        "due_at": vietnam_time(petition.due_at),
    }
    # Date-times in Vietnam's time, as the intake API gives them.
    assert request["json"]["at"].endswith("+07:00")
    assert Notification.objects.get(pk=row.pk).status == SENT


def test_the_signature_matches_the_worked_example_given_to_the_portal_team():
    body = b'{"external_id":"DVC-2026-000123","state":"answered"}'

    # docs/notifications.md, "Verifying a request".
    assert signature("portal-secret", "1767225600", body) == (
        "sha256=265b8653640a909daf518db767e2a5994f82f9c6ec68ea4f6221eba1a90f42ff"
    )
    assert signature("s3cret", "1", body) != signature("s3cret", "2", body)
    assert signature("s3cret", "1", body) != signature("other", "1", body)


def test_an_answer_is_sent_with_the_answered_state(
    portal, portal_petition, handler_a, django_capture_on_commit_callbacks
):
    workflow.accept_petition(petition_id=portal_petition.pk, actor=handler_a)
    workflow.answer_petition(
        petition_id=portal_petition.pk, actor=handler_a, text="Đã sửa xong đoạn đường."
    )
    with django_capture_on_commit_callbacks(execute=True):
        row = sync(portal_petition)

    assert Notification.objects.get(pk=row.pk).status == SENT
    payload = portal.requests[-1]["json"]
    assert payload["state"] == "answered"
    assert payload["state_label"] == "Đã trả lời"
    assert payload["answer"] == "Đã sửa xong đoạn đường."


def test_a_500_is_retried_after_the_back_off_with_the_same_idempotency_key(
    portal, portal_petition, settings
):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    portal.replies = [500]
    row = sync(portal_petition)
    now = timezone.now()

    assert services.deliver(notification_id=row.pk, now=now) == PENDING
    failed = Notification.objects.get(pk=row.pk)
    assert failed.last_error.startswith("DeliveryError: Portal answered HTTP 500")
    assert failed.next_attempt_at == now + timedelta(minutes=1)

    assert services.deliver_due_batch(now=now + timedelta(seconds=30)) == 0
    assert services.deliver_due_batch(now=now + timedelta(minutes=1)) == 1

    assert Notification.objects.get(pk=row.pk).status == SENT
    first, second = portal.requests
    assert first["body"] == second["body"]
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]
    # Each attempt is signed afresh with its own timestamp.
    assert second["signed"] is True
    assert (
        int(second["headers"]["X-PAKN-Timestamp"])
        - int(first["headers"]["X-PAKN-Timestamp"])
        == 60
    )


def test_a_wrong_secret_is_refused_by_the_portal_and_retried(
    portal, portal_petition, settings
):
    settings.PORTAL_WEBHOOK_SECRET = "not-the-shared-secret"
    row = sync(portal_petition)

    assert services.deliver(notification_id=row.pk, now=timezone.now()) == PENDING
    assert portal.requests[0]["signed"] is False
    assert "HTTP 401" in Notification.objects.get(pk=row.pk).last_error


def test_an_unreachable_portal_is_retried(portal_petition, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PORTAL_WEBHOOK_URL = f"http://127.0.0.1:{port}/status"
    settings.PORTAL_WEBHOOK_SECRET = "x"
    row = sync(portal_petition)

    assert services.deliver(notification_id=row.pk, now=timezone.now()) == PENDING
    row = Notification.objects.get(pk=row.pk)
    assert row.last_error.startswith("DeliveryError: Portal not reachable")
    assert row.attempts == 1


def test_a_redirect_is_not_followed(portal, portal_petition):
    portal.replies = [307]
    row = sync(portal_petition)

    assert services.deliver(notification_id=row.pk, now=timezone.now()) == PENDING
    assert len(portal.requests) == 1
    assert "HTTP 307" in Notification.objects.get(pk=row.pk).last_error


def test_petitions_from_other_channels_are_not_synced(portal, submit, routed_to_a):
    petition = submit(channel="web")

    messages.status_changed(petition, now=timezone.now())

    assert not webhook_rows(petition).exists()


def test_no_rows_are_written_while_the_webhook_is_off(portal_petition, settings):
    settings.PORTAL_WEBHOOK_URL = ""

    messages.status_changed(portal_petition, now=timezone.now())

    assert not webhook_rows(portal_petition).exists()


def test_every_state_change_of_a_portal_petition_queues_one_update(
    portal, portal_petition, handler_a
):
    workflow.accept_petition(petition_id=portal_petition.pk, actor=handler_a)
    workflow.request_information(
        petition_id=portal_petition.pk, actor=handler_a, question="Ảnh hiện trạng?"
    )

    states = [r.context["state"] for r in webhook_rows(portal_petition).order_by("pk")]
    # The intake call answered the portal with the first state; then each change.
    assert states == ["in_progress", "awaiting_info"]
