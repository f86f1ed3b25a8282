"""SMS through the pluggable backend; the default writes one line per message."""

import json

from django.utils import timezone

from notifications import services
from notifications.channels.sms import ConsoleBackend, FileBackend
from notifications.checks import delivery_settings
from notifications.models import Notification


def test_the_file_backend_writes_one_json_line_per_sms(
    submit, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "notifications.channels.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    with django_capture_on_commit_callbacks(execute=True):
        petition = submit(email="", phone="0912345678")

    row = Notification.objects.get(petition_id=petition.pk, channel="sms")
    assert row.status == "sent"
    (line,) = (tmp_path / "sms" / "sms.log").read_text().splitlines()
    record = json.loads(line)
    assert record["to"] == "0912345678"
    assert record["key"] == str(row.delivery_key)
    assert petition.tracking_code in record["text"]


def test_lines_of_several_messages_stay_whole(tmp_path):
    backend = FileBackend(path=tmp_path)
    for n in range(3):
        backend.send(f"09000000{n:02d}", "Dòng một\nDòng hai", f"key-{n}")

    lines = (tmp_path / "sms.log").read_text().splitlines()
    # A text with a line break is still one line in the file.
    assert [json.loads(line)["key"] for line in lines] == ["key-0", "key-1", "key-2"]
    assert json.loads(lines[0])["text"] == "Dòng một\nDòng hai"


def test_the_console_backend_prints_one_line(capsys):
    ConsoleBackend().send("0912345678", "PAKN ABC", "key-1")

    assert json.loads(capsys.readouterr().out) == {
        "to": "0912345678",
        "key": "key-1",
        "text": "PAKN ABC",
    }


def test_a_row_without_phone_number_fails_at_once(submit):
    petition = submit()
    (row,) = services.queue_notifications(
        event="received",
        petition_id=petition.pk,
        recipients=[services.Recipient("sms", address="")],
        now=timezone.now(),
    )

    assert services.deliver(notification_id=row.pk, now=timezone.now()) == "failed"
    assert "no phone number" in Notification.objects.get(pk=row.pk).last_error


def test_an_sms_backend_that_cannot_be_imported_is_a_system_check_error(settings):
    settings.SMS_BACKEND = "notifications.channels.sms.NoSuchBackend"

    errors = [e.id for e in delivery_settings(None)]

    assert errors == ["notifications.E003"]


def test_a_webhook_url_without_secret_is_a_system_check_error(settings):
    settings.PORTAL_WEBHOOK_URL = "https://dichvucong.example/pakn"
    settings.PORTAL_WEBHOOK_SECRET = ""

    errors = [e.id for e in delivery_settings(None)]

    assert errors == ["notifications.E002"]
