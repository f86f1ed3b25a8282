"""The printed documents: a receipt slip and an answer letter, as PDF."""

from datetime import date, datetime, time

import time_machine

from tests.support.pdf import pdf_text, save_png
from workflow import documents, services
from workflow.deadlines import VIETNAM
from workflow.documents.content import deadline_of, letter_of, receipt_of
from workflow.models import AnswerLetter, Calendar, Petition

ENTERED_AT = datetime(2026, 3, 16, 9, 0, tzinfo=VIETNAM)


def test_the_deadline_reads_as_its_last_day_not_the_midnight_after(enter, reception):
    with time_machine.travel(ENTERED_AT, tick=False):
        petition = enter(reception).petition
    # 20 days from Monday 16 March: Sunday 5 April, moved to Monday 6 April; the
    # stored deadline is the midnight that ends it (00:00 on 7 April).
    assert petition.due_at.astimezone(VIETNAM) == datetime(
        2026, 4, 7, 0, 0, tzinfo=VIETNAM
    )
    assert deadline_of(petition).last_day == date(2026, 4, 6)
    assert deadline_of(petition).ends_at is None


def test_a_calendar_that_ends_days_at_five_shows_the_hour(
    enter, reception, agency_a, routed_to_a
):
    agency_a.calendar = Calendar.objects.create(
        name="Giờ hành chính", end_of_day=time(17)
    )
    agency_a.save()
    with time_machine.travel(ENTERED_AT, tick=False):
        petition = enter(reception).petition
    deadline = deadline_of(Petition.objects.get(pk=petition.pk))
    assert (deadline.last_day, deadline.ends_at) == (date(2026, 4, 6), "17:00")


def test_the_receipt_pdf_carries_the_code_the_secret_and_vietnamese_text(
    enter, reception
):
    with time_machine.travel(ENTERED_AT, tick=False):
        submission = enter(reception, channel="counter")
    petition = Petition.objects.get(pk=submission.petition.pk)
    pdf = documents.render_pdf(
        documents.RECEIPT,
        {"receipt": receipt_of(petition, secret=submission.secret)},
    )
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert petition.tracking_code in text
    assert submission.secret in text
    # Vietnamese letters survive the round trip through the font and extraction.
    assert "GIẤY BIÊN NHẬN PHẢN ÁNH, KIẾN NGHỊ" in text
    assert "Hoàng Thị Mai" in text
    assert "hết ngày 06/04/2026" in text
    save_png(pdf, "receipt")


def test_a_reprinted_receipt_has_no_secret_and_says_how_to_get_a_new_one(
    enter, reception
):
    submission = enter(reception)
    petition = Petition.objects.get(pk=submission.petition.pk)
    text = pdf_text(
        documents.render_pdf(documents.RECEIPT, {"receipt": receipt_of(petition)})
    )
    assert submission.secret not in text
    assert "Bản in lại" in text
    assert "được cấp mã mới" in " ".join(text.split())


def test_the_answer_letter_pdf_names_agency_number_date_answer_and_signer(
    enter, reception, routed_to_a, handler_a, agency_a
):
    with time_machine.travel(ENTERED_AT, tick=False):
        petition = enter(reception).petition
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
    with time_machine.travel(datetime(2026, 3, 20, 15, 0, tzinfo=VIETNAM), tick=False):
        services.answer_petition(
            petition_id=petition.pk,
            actor=handler_a,
            text="Ngày 18/3/2026, Sở đã thay ván cầu treo.\n\nTrân trọng thông báo.",
        )
    letter = letter_of(AnswerLetter.objects.get(petition=petition))
    assert letter.place == "Lạng Sơn"
    pdf = documents.render_pdf(documents.ANSWER_LETTER, {"letter": letter})
    text = " ".join(pdf_text(pdf).split())
    for expected in (
        agency_a.name,
        "Số: 1/PAKN",
        "Lạng Sơn, ngày 20 tháng 03 năm 2026",
        "Kính gửi: Ông/Bà Hoàng Thị Mai",
        "Sở đã thay ván cầu treo.",
        "Trân trọng thông báo.",
        "Handler_A",
        "CÁN BỘ XỬ LÝ",
        # 30 days from 20 March end on Sunday 19 April: the letter gives Monday.
        "trong thời hạn 30 ngày kể từ ngày trả lời (hết ngày 20/04/2026)",
    ):
        assert expected in text, expected
    save_png(pdf, "answer-letter")
