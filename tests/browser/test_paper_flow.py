"""A letter from the post, in a real browser: the counter clerk enters it with its
real receipt day, prints the receipt, a handler answers, the answer letter is
produced and its posting recorded; the deadline counts from the receipt."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests import factories
from tests.support.pdf import pdf_text, save_png
from workflow.deadlines import DAYS, VIETNAM, WorkingCalendar, due_at, due_on
from workflow.models import AnswerLetter, HistoryEntry, Petition, Role, State

pytestmark = pytest.mark.browser

SCAN = {
    "name": "thu-ba-mai.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
}


@pytest.fixture
def cast(transactional_db):
    land = factories.category("land")
    agency = factories.agency("so-tnmt-lang-son")
    factories.rule(agency, category=land)
    factories.staff("reception", Role.RECEPTION)
    factories.staff("handler_a", Role.HANDLER, agency)
    return agency


def two_working_days_ago() -> datetime:
    calendar, day = WorkingCalendar(), timezone.localdate(timezone.now())
    for _step in range(2):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return datetime.combine(day, time(9, 15), tzinfo=VIETNAM)


def test_a_letter_entered_at_the_counter_is_answered_and_posted(page, login, cast):
    received = two_working_days_ago()
    expected_last_day = due_on(
        due_at(received, 20, DAYS, WorkingCalendar()), WorkingCalendar()
    )

    login(page, "reception")
    page.goto("/work/petitions/new/")
    page.check("input[name=channel][value=post]")
    page.fill("#id_received_on", received.strftime("%Y-%m-%d"))
    page.fill("#id_received_time", "09:15")
    page.fill("#id_submitter_name", "Hoàng Thị Mai")
    page.fill("#id_postal_address", "Thôn Bản Chắt, xã Tân Văn, tỉnh Lạng Sơn")
    page.select_option("#id_category", "land")
    page.select_option("#id_province", str(factories.LANG_SON))
    page.fill("#id_title", "Đề nghị sửa cầu treo Bản Chắt")
    page.fill("#id_content", "Cầu treo qua suối bị gãy ván, học sinh đi lại nguy hiểm.")
    page.set_input_files("#id_attachments", files=[SCAN])
    page.shot("clerk-enters-the-letter")
    page.get_by_role("button", name="Tiếp nhận và cấp biên nhận").click()
    page.get_by_role("heading", name="Đã tiếp nhận phản ánh, kiến nghị").wait_for()
    code, secret = page.inner_text("#tracking-code"), page.inner_text("#secret")
    # The case deadline as the last day, counted from the real receipt.
    assert page.inner_text("#deadline") == f"hết ngày {expected_last_day:%d/%m/%Y}"
    page.shot("receipt-with-secret")

    # The print page opens beside it, with the secret; the PDF says the same.
    with page.expect_popup() as popup:
        page.get_by_role("button", name="In giấy biên nhận").click()
    printed = popup.value
    printed.wait_for_load_state()
    assert printed.inner_text("#receipt-secret") == secret
    printed.screenshot(path=str(save_dir() / "receipt-print-page.png"), full_page=True)
    printed.close()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải giấy biên nhận (PDF)").click()
    receipt_pdf = open(download.value.path(), "rb").read()
    text = pdf_text(receipt_pdf)
    assert code in text and secret in text
    assert "GIẤY BIÊN NHẬN PHẢN ÁNH, KIẾN NGHỊ" in text
    assert "Hoàng Thị Mai" in text and "Thư, đường bưu chính" in text
    save_png(receipt_pdf, "receipt-from-browser")

    petition = Petition.objects.get(tracking_code=code)
    assert petition.received_at == received
    assert petition.state == State.ASSIGNED and petition.agency == cast

    # The handler accepts and answers; the answer goes out as a letter.
    page.context.clear_cookies()
    login(page, "handler_a")
    page.goto(f"/work/petitions/{code}/")
    assert "Nhập lùi thời gian" in page.inner_text("#entry-facts")
    page.get_by_role("button", name="Tiếp nhận xử lý").click()
    page.fill(
        "#id_answer-answer", "Ngày hôm nay Sở đã thay toàn bộ ván cầu treo Bản Chắt."
    )
    page.get_by_role("button", name="Gửi trả lời").click()
    page.get_by_text("Đã thực hiện: Trả lời.").wait_for()
    letter = AnswerLetter.objects.get(petition=petition)
    with page.expect_download() as download:
        page.locator("#letter-pdf-1").click()
    letter_pdf = open(download.value.path(), "rb").read()
    letter_text = " ".join(pdf_text(letter_pdf).split())
    assert f"Số: {letter.reference}" in letter_text
    assert "Kính gửi: Ông/Bà Hoàng Thị Mai" in letter_text
    assert "Sở đã thay toàn bộ ván cầu treo Bản Chắt." in letter_text
    assert cast.name in letter_text
    save_png(letter_pdf, "answer-letter-from-browser")
    page.shot("handler-has-the-letter")

    # Posted today with a registered-mail number.
    today = timezone.localdate(timezone.now())
    page.fill("#id_record_posting-posted_on", today.strftime("%Y-%m-%d"))
    page.fill("#id_record_posting-postal_tracking_number", "RR123456789VN")
    page.get_by_role("button", name="Ghi nhận đã gửi").click()
    page.get_by_text("Đã thực hiện: Ghi nhận đã gửi thư trả lời.").wait_for()
    assert "số hiệu RR123456789VN" in page.inner_text("#letters")
    page.shot("letter-posted")

    entry = HistoryEntry.objects.get(petition=petition, action="post_answer")
    assert entry.data["postal_tracking_number"] == "RR123456789VN"
    # Nothing was tried by e-mail or SMS for a submitter with a postal address only.
    assert not Notification.objects.filter(
        petition_id=petition.pk, recipient_user__isnull=True
    ).exists()


def save_dir():
    from tests.support.pdf import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
