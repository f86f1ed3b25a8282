"""Failed deliveries in the admin: visible with their error, and retried from there."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification

CHANGELIST = reverse("admin:notifications_notification_changelist")


@pytest.fixture
def failed_row(submit, settings):
    """A receipt email that failed for good (the mail server refused it)."""
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox_admin.RefusingBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    petition = submit(email="an@example.vn")
    row = Notification.objects.get(petition_id=petition.pk)
    services.deliver(notification_id=row.pk, now=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return Notification.objects.get(pk=row.pk)


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@x.example", "pw")


def test_admin_lists_failed_deliveries_with_their_error(
    staff_client, superuser, failed_row
):
    client = staff_client(superuser)

    page = client.get(CHANGELIST, {"status__exact": "failed"})

    assert page.status_code == 200
    text = page.content.decode()
    assert f'<a href="/admin/notifications/notification/{failed_row.pk}/' in text
    assert "ConnectionRefusedError: SMTP server refused the connection" in text
    assert failed_row.status == "failed"


def test_admin_filters_by_status_channel_and_event(staff_client, superuser, failed_row):
    client = staff_client(superuser)

    page = client.get(CHANGELIST, {"channel__exact": "sms", "event": "received"})

    assert page.status_code == 200
    assert f"/notification/{failed_row.pk}/" not in page.content.decode()


def test_retry_action_puts_the_row_back_and_delivers_it(
    staff_client, superuser, failed_row, django_capture_on_commit_callbacks
):
    client = staff_client(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            CHANGELIST,
            {"action": "retry", "_selected_action": [failed_row.pk]},
            follow=True,
        )

    assert "Đã đưa 1 thông báo trở lại hàng gửi." in page.content.decode()
    row = Notification.objects.get(pk=failed_row.pk)
    assert row.status == "sent" and row.attempts == 1
    assert row.last_error == ""
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]


def test_retry_leaves_rows_that_did_not_fail_alone(staff_client, superuser, submit):
    petition = submit(email="an@example.vn")
    row = Notification.objects.get(petition_id=petition.pk)
    services.deliver(notification_id=row.pk, now=timezone.now())
    client = staff_client(superuser)

    client.post(CHANGELIST, {"action": "retry", "_selected_action": [row.pk]})

    assert Notification.objects.get(pk=row.pk).status == "sent"
    assert len(mail.outbox) == 1


def test_rows_cannot_be_edited_or_added_in_the_admin(
    staff_client, superuser, failed_row
):
    client = staff_client(superuser)
    url = reverse("admin:notifications_notification_change", args=[failed_row.pk])

    assert client.post(url, {"status": "sent"}).status_code == 403
    assert Notification.objects.get(pk=failed_row.pk).status == "failed"
    add = reverse("admin:notifications_notification_add")
    assert client.get(add).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, failed_row):
    page = client.get(CHANGELIST)

    assert page.status_code == 302
    assert "/admin/login/" in page["Location"]


def test_staff_without_permission_see_nothing(staff_client, failed_row):
    clerk = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    client = staff_client(clerk)

    assert client.get(CHANGELIST).status_code == 403
    detail = reverse("admin:notifications_notification_change", args=[failed_row.pk])
    assert client.get(detail).status_code == 403


def test_staff_who_may_only_view_cannot_retry(staff_client, failed_row):
    viewer = get_user_model().objects.create_user(
        "viewer", password="pw", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client = staff_client(viewer)

    assert client.get(CHANGELIST).status_code == 200
    client.post(CHANGELIST, {"action": "retry", "_selected_action": [failed_row.pk]})

    assert Notification.objects.get(pk=failed_row.pk).status == "failed"
