"""Issue 9, leak 6: the submitter's secret is sealed in the outbox until sent."""

import pytest
from cryptography.fernet import Fernet
from django.core import checks, mail
from django.db import connection
from django.utils import timezone

from notifications import services
from notifications.models import Notification


@pytest.fixture
def receipt(submission):
    """A web petition with e-mail and phone; its receipt rows wait in the outbox."""
    filed = submission(email="an@example.vn", phone="0912345678")
    row = Notification.objects.get(
        petition_id=filed.petition.pk, event="received", channel="email"
    )
    return filed, row


def stored_rows_text(petition_id) -> str:
    """Every column of the petition's outbox rows, as a database dump shows them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(row_to_json(n)::text, ' ') "
            "FROM notifications_notification n WHERE petition_id = %s",
            [petition_id],
        )
        return cursor.fetchone()[0]


def test_the_stored_receipt_rows_do_not_contain_the_secret(receipt):
    filed, _row = receipt

    dump = stored_rows_text(filed.petition.pk)

    assert "received" in dump and filed.petition.tracking_code in dump
    assert filed.secret not in dump
    assert filed.secret.lower() not in dump.lower()


def test_delivery_still_sends_the_secret_and_then_forgets_it(receipt):
    filed, row = receipt

    assert services.deliver(notification_id=row.pk, now=timezone.now()) == "sent"

    assert filed.secret in mail.outbox[0].body
    assert "secret" not in Notification.objects.get(pk=row.pk).context


def test_a_row_sealed_before_a_key_rotation_still_opens(submission, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NOTIFICATION_SEALING_KEYS = [old]
    filed = submission(email="an@example.vn")
    row = Notification.objects.get(petition_id=filed.petition.pk, channel="email")
    settings.NOTIFICATION_SEALING_KEYS = [new, old]

    services.deliver(notification_id=row.pk, now=timezone.now())

    assert filed.secret in mail.outbox[0].body


def test_a_row_no_key_opens_fails_for_good_with_a_clear_error(submission, settings):
    settings.NOTIFICATION_SEALING_KEYS = [Fernet.generate_key().decode()]
    filed = submission(email="an@example.vn")
    row = Notification.objects.get(petition_id=filed.petition.pk, channel="email")
    settings.NOTIFICATION_SEALING_KEYS = [Fernet.generate_key().decode()]

    assert services.deliver(notification_id=row.pk, now=timezone.now()) == "failed"

    failed = Notification.objects.get(pk=row.pk)
    assert "NOTIFICATION_SEALING_KEYS" in failed.last_error
    assert "secret" not in failed.context
    assert mail.outbox == []


def test_a_malformed_sealing_key_is_a_system_check_error(settings):
    settings.NOTIFICATION_SEALING_KEYS = ["not-a-fernet-key"]

    errors = [e.id for e in checks.run_checks() if e.level >= checks.ERROR]

    assert "notifications.E005" in errors


def test_production_may_not_seal_with_the_development_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "dev-only-secret-key-not-for-production"

    found = [e.id for e in checks.run_checks(include_deployment_checks=True)]

    assert "notifications.E006" in found
