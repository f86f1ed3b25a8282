"""Message texts: per event, in the recipient's language, plain text."""

from pathlib import Path

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.rendering import render
from notifications.services import Recipient, queue_notifications

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notifications"
# Events written by workflow.messages and workflow.sweeps.
EVENTS = [
    "received",
    "assigned",
    "rejected",
    "info_requested",
    "info_provided",
    "answered",
    "expired",
    "reopened",
    "merged",
    "warning",
    "last_day",
    "breach",
    "escalation",
    "progress_due",
    "extension_requested",
    "extension_decided",
    "deadline_extended",
    "transferred",
]
SUBMITTER_EVENTS = [
    "received",
    "rejected",
    "info_requested",
    "answered",
    "expired",
    "deadline_extended",
    "transferred",
]


def row_for(petition, event="received", language="vi", channel="email", **context):
    (row,) = queue_notifications(
        event=event,
        petition_id=petition.pk,
        recipients=[Recipient(channel, address="an@example.vn", language=language)],
        now=timezone.now(),
        context={"tracking_code": petition.tracking_code, **context},
    )
    return row


def test_received_message_is_in_vietnamese_for_a_vietnamese_submitter(submit):
    petition = submit(title="Đường liên xã xuống cấp")

    texts = render(row_for(petition, language="vi"))

    assert texts.subject == f"Đã tiếp nhận phản ánh, kiến nghị {petition.tracking_code}"
    assert "Kính gửi Nguyễn Văn An," in texts.body
    assert '"Đường liên xã xuống cấp"' in texts.body


def test_received_message_is_in_english_for_an_english_submitter(submit):
    petition = submit(language="en", submitter_name="John Smith")

    texts = render(row_for(petition, language="en"))

    assert texts.subject == f"Your petition {petition.tracking_code} was received"
    assert texts.body.startswith("Dear John Smith,")
    assert "Kính gửi" not in texts.body


def test_an_unknown_language_falls_back_to_vietnamese(submit):
    petition = submit()

    texts = render(row_for(petition, language="fr"))

    assert texts.subject.startswith("Đã tiếp nhận")


def test_text_is_not_html_escaped(submit):
    petition = submit(title='Cấp nước & thoát nước <"khẩn">')

    texts = render(row_for(petition))

    # Plain-text email: an entity like &amp; would show up literally.
    assert 'Cấp nước & thoát nước <"khẩn">' in texts.body


def test_deadline_is_shown_in_vietnam_time(submit):
    petition = submit()

    # 01:00 UTC is 08:00 in Hà Nội; the row's snapshot wins over the petition's.
    texts = render(row_for(petition, due_at="2026-12-01T01:00:00+00:00"))

    assert "Thời hạn trả lời: 08:00 ngày 01/12/2026." in texts.body


def test_english_deadline_reads_as_on_the_pages(submit):
    petition = submit(language="en")

    texts = render(row_for(petition, language="en", due_at="2026-12-01T01:00:00+00:00"))

    assert "An answer is due by 08:00 on 01/12/2026." in texts.body


def test_a_deadline_at_midnight_reads_as_the_last_day_like_every_page(submit):
    # 17:00 UTC is 24:00 in Hà Nội: the period ends with 22/12, as the citizen's
    # confirmation page says ("hết ngày 22/12/2026"), not "00:00 ngày 23/12".
    petition = submit(language="en")
    due = "2026-12-22T17:00:00+00:00"

    vietnamese = render(row_for(petition, due_at=due)).body
    english = render(row_for(petition, language="en", due_at=due)).body

    assert "Thời hạn trả lời: hết ngày 22/12/2026." in vietnamese
    assert "An answer is due by end of 22/12/2026." in english
    assert "23/12" not in vietnamese + english


def test_sms_uses_its_own_short_text_without_diacritics(submit):
    petition = submit(phone="0912345678")

    texts = render(row_for(petition, channel="sms"))

    assert texts.sms.startswith("PAKN: da tiep nhan phan anh, kien nghi")
    assert petition.tracking_code in texts.sms
    assert texts.sms.isascii()


def test_sms_of_an_event_without_sms_text_is_its_subject(submit):
    petition = submit()

    texts = render(row_for(petition, event="breach", channel="sms", clock="answer"))

    assert texts.sms == f"Quá hạn: {petition.tracking_code}"


def test_rejection_tells_the_reason_and_where_to_turn(submit, coordinator):
    from workflow import services

    petition = submit()
    services.reject_petition(
        petition_id=petition.pk,
        actor=coordinator,
        reason="Nội dung là khiếu nại.",
        redirect_hint="Gửi đơn khiếu nại đến UBND tỉnh.",
    )

    texts = render(row_for(petition, event="rejected"))

    assert "Lý do: Nội dung là khiếu nại." in texts.body
    assert "Ông/Bà có thể liên hệ: Gửi đơn khiếu nại đến UBND tỉnh." in texts.body


def test_warning_names_the_clock_that_runs_out(submit):
    petition = submit()

    vi = render(row_for(petition, event="warning", clock="triage"))
    en = render(row_for(petition, event="warning", language="en", clock="answer"))

    assert vi.subject.startswith("Sắp đến hạn chuyển đến cơ quan có thẩm quyền")
    assert en.subject.startswith("Deadline approaching for the answer")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("event", EVENTS)
def test_every_event_has_a_subject_and_a_body(submit, event, language):
    petition = submit()
    assert (TEMPLATES / language / f"{event}-subject.txt").exists()
    assert (TEMPLATES / language / f"{event}-body.txt").exists()

    texts = render(
        row_for(
            petition,
            event=event,
            language=language,
            clock="answer",
            due_at="2026-12-01T01:00:00+00:00",
            into="ABCDEFGHJK",
            approved=True,
            weeks_overdue=2,
            days=5,
            reply_due_at="2026-12-26T17:00:00+00:00",
            dispute_due_at="2027-01-04T17:00:00+00:00",
            agency_name="Sở Xây dựng",
        )
    )

    assert petition.tracking_code in texts.subject
    assert petition.tracking_code in texts.body
    # Nothing left unrendered, no line made of template whitespace only.
    assert "{" not in texts.body and "\n\n\n" not in texts.body


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("event", SUBMITTER_EVENTS)
def test_submitter_events_have_an_sms_text(event, language):
    assert (TEMPLATES / language / f"{event}-sms.txt").exists()


def test_a_message_for_an_event_without_template_fails_for_good_with_a_clear_error(
    submit,
):
    from notifications import services

    petition = submit()
    row = row_for(petition, event="no_such_event")

    status = services.deliver(notification_id=row.pk, now=timezone.now())

    row = Notification.objects.get(pk=row.pk)
    assert status == row.status == Notification.Status.FAILED
    assert "No message template for event 'no_such_event'" in row.last_error
    # A missing template cannot heal by waiting: one attempt, no retries.
    assert row.attempts == 1
