"""What the submitter is told at each step, with the dates the law gives them.

Each message is queued by the real service and rendered as it would be sent.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from notifications.models import Notification
from notifications.rendering import render
from tests import factories
from workflow import services
from workflow.deadlines import VIETNAM
from workflow.models import Extension, HistoryEntry, Role

# Friday 4 December 2026, 10:00 in Hà Nội.
FRIDAY = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)


def sent_to_submitter(petition, event, channel="email"):
    rows = Notification.objects.filter(
        petition_id=petition.pk, event=event, channel=channel
    )
    (row,) = [
        r for r in rows if r.recipient_address in (petition.email, petition.phone)
    ]
    return render(row)


@pytest.fixture
def in_progress(submit, routed_to_a, handler_a):
    with time_machine.travel(FRIDAY, tick=False):
        petition = submit(phone="0912345678")
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
    return petition


def test_a_submitter_with_a_phone_only_gets_the_secret_by_sms(submission, land):
    made = submission(email="", phone="0912345678")

    texts = sent_to_submitter(made.petition, "received", channel="sms")

    assert f"Ma bi mat: {made.secret}" in texts.sms
    assert "/track/" in texts.sms


def test_with_an_e_mail_the_secret_goes_by_e_mail_only(submission):
    made = submission(email="an@example.vn", phone="0912345678")

    assert made.secret in sent_to_submitter(made.petition, "received").body
    assert made.secret not in sent_to_submitter(made.petition, "received", "sms").sms


def test_a_question_says_until_when_and_what_happens_after(in_progress, handler_a):
    with time_machine.travel(FRIDAY, tick=False):
        services.request_information(
            petition_id=in_progress.pk, actor=handler_a, question="Số thửa đất?"
        )
    in_progress.refresh_from_db()
    last_day = (in_progress.info_due_at - timedelta(seconds=1)).astimezone(VIETNAM)

    mail = sent_to_submitter(in_progress, "info_requested")
    sms = sent_to_submitter(in_progress, "info_requested", channel="sms")

    assert f"Thời hạn bổ sung: hết ngày {last_day:%d/%m/%Y}." in mail.body
    assert "sẽ được đóng" in mail.body
    assert f"han {last_day:%d/%m/%Y}" in sms.sms


def test_an_approved_extension_tells_the_submitter_the_new_deadline(
    in_progress, handler_a, supervisor_a
):
    with time_machine.travel(FRIDAY, tick=False):
        services.request_extension(
            petition_id=in_progress.pk, actor=handler_a, days=5, reason="Xác minh"
        )
        assert not Notification.objects.filter(event="deadline_extended").exists()
        services.decide_extension(
            petition_id=in_progress.pk, actor=supervisor_a, approve=True
        )
    in_progress.refresh_from_db()
    last_day = (in_progress.due_at - timedelta(seconds=1)).astimezone(VIETNAM)

    mail = sent_to_submitter(in_progress, "deadline_extended")

    assert "được gia hạn thêm 5 ngày" in mail.body
    assert f"Thời hạn trả lời mới: hết ngày {last_day:%d/%m/%Y}." in mail.body

    # The staff history says how many days, and the deadline they gave.
    from workflow.queries import case_history

    shown = {e.action: e.details for e in case_history(in_progress)}
    assert [(str(k), v) for k, v in shown["request_extension"]] == [
        ("Số ngày gia hạn:", "5")
    ]
    assert (
        "Hạn trả lời mới:",
        f"hết ngày {last_day:%d/%m/%Y}",
    ) in [(str(k), v) for k, v in shown["approve_extension"]]


def test_a_transfer_names_the_new_agency_and_withdraws_a_pending_extension(
    in_progress, handler_a, agency_b
):
    factories.staff("supervisor_b", Role.SUPERVISOR, agency_b)
    with time_machine.travel(FRIDAY, tick=False):
        services.request_extension(
            petition_id=in_progress.pk, actor=handler_a, days=5, reason="Xác minh"
        )
        services.transfer_petition(
            petition_id=in_progress.pk,
            actor=handler_a,
            agency_id=agency_b.pk,
            reason="Thuộc thẩm quyền Sở Xây dựng",
        )

    mail = sent_to_submitter(in_progress, "transferred")
    assert f"đã được chuyển đến {agency_b.name}" in mail.body
    # The agency that asked no longer holds the case: its request goes, recorded.
    assert not Extension.objects.filter(petition=in_progress).exists()
    entry = HistoryEntry.objects.filter(petition=in_progress).order_by("-seq")[0]
    assert entry.action == "transfer" and entry.data["extension_withdrawn"] == 5


def test_the_answer_says_until_when_it_may_be_disputed(in_progress, handler_a):
    # Answered on Friday 4 December: 30 days end on Sunday 3 January 2027, a day
    # off, so the window runs to the end of Monday 4 January (Civil Code art. 148).
    with time_machine.travel(FRIDAY, tick=False):
        services.answer_petition(
            petition_id=in_progress.pk, actor=handler_a, text="Đã sửa đường."
        )

    mail = sent_to_submitter(in_progress, "answered")

    assert "đề nghị xem xét lại đến hết ngày 04/01/2027" in mail.body


def test_an_answer_going_out_withdraws_a_request_still_waiting(in_progress, handler_a):
    # Else it would wait on the supervisors' list for ever, with no form to decide.
    with time_machine.travel(FRIDAY, tick=False):
        services.request_extension(
            petition_id=in_progress.pk, actor=handler_a, days=5, reason="Xác minh"
        )
        services.answer_petition(
            petition_id=in_progress.pk, actor=handler_a, text="Đã sửa đường."
        )
    assert not Extension.objects.filter(petition=in_progress).exists()
    entry = HistoryEntry.objects.filter(petition=in_progress).order_by("-seq")[0]
    assert entry.action == "answer" and entry.data["extension_withdrawn"] == 5


def test_a_supervisors_own_request_goes_to_the_supervisors_above(
    in_progress, supervisor_a, agency_a
):
    # The agency's only supervisor cannot decide their own request: the parent
    # agency's can, and hears of it; the one who asked does not.
    parent = factories.agency("ubnd-lang-son")
    agency_a.parent = parent
    agency_a.save()
    above = factories.staff("supervisor_above", Role.SUPERVISOR, parent)
    above.email = "above@example.vn"
    above.save()
    supervisor_a.user.email = "sup@example.vn"
    supervisor_a.user.save()
    with time_machine.travel(FRIDAY, tick=False):
        services.request_extension(
            petition_id=in_progress.pk, actor=supervisor_a, days=5, reason="Xác minh"
        )

    rows = Notification.objects.filter(event="extension_requested")
    assert [r.recipient_address for r in rows] == ["above@example.vn"]
    body = render(rows[0]).body
    assert f"{supervisor_a.user.get_full_name() or 'supervisor_a'} đề nghị" in body


def test_the_answer_sms_gives_the_last_day_to_dispute(in_progress, handler_a):
    with time_machine.travel(FRIDAY, tick=False):
        services.answer_petition(
            petition_id=in_progress.pk, actor=handler_a, text="Đã sửa đường."
        )

    sms = sent_to_submitter(in_progress, "answered", channel="sms").sms

    assert "de nghi xem xet lai den het 04/01/2027" in sms
