"""One petition's whole life in a real browser: citizen, handler, auditor.

A citizen files it with an attachment, a handler claims it and asks a question, the
citizen answers on the tracking page, the handler answers, the citizen rates the
answer, and an auditor finds it in the on-time report and downloads the CSV.
"""

import csv
import io

import pytest

from tests import factories
from workflow.models import HistoryEntry, Petition, Role, State

pytestmark = pytest.mark.browser

PDF = {
    "name": "ban-ve-hien-trang.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
}


@pytest.fixture
def cast(transactional_db):
    land = factories.category("land")
    agency = factories.agency("so-tnmt-lang-son")
    factories.rule(agency, category=land)
    factories.staff("handler_a", Role.HANDLER, agency)
    factories.staff("auditor", Role.AUDITOR)
    return agency


def as_citizen(page):
    page.context.clear_cookies()


def file_petition(page):
    page.goto("/")
    page.fill("#id_submitter_name", "Nguyễn Văn An")
    page.fill("#id_email", "an@example.vn")
    page.select_option("#id_category", "land")
    page.select_option("#id_province", str(factories.LANG_SON))
    page.fill("#id_title", "Cống thoát nước bị tắc")
    page.fill("#id_content", "Cống thoát nước đầu thôn bị tắc, nước tràn vào nhà dân.")
    page.set_input_files("#id_attachments", files=[PDF])
    page.check("#id_processing_consent")
    page.shot("citizen-fills-the-form")
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.get_by_role("heading", name="Phản ánh của bạn đã được tiếp nhận").wait_for()
    page.shot("citizen-gets-code-and-secret")
    return page.inner_text("#tracking-code"), page.inner_text("#secret")


def open_tracking_page(page, code, secret):
    page.goto("/track/")
    page.fill("#id_tracking_code", code)
    page.fill("#id_secret", secret)
    page.get_by_role("button", name="Xem phản ánh").click()
    page.get_by_role("heading", name="Cống thoát nước bị tắc").wait_for()


def test_a_petition_from_the_form_to_the_auditors_csv(page, login, cast):
    code, secret = file_petition(page)
    petition = Petition.objects.get(tracking_code=code)
    assert petition.state == State.ASSIGNED and petition.agency == cast

    # The handler claims it from the queue, accepts it and asks a question.
    login(page, "handler_a")
    page.get_by_role("heading", name="Hàng đợi xử lý").wait_for()
    row = page.locator("tr", has=page.get_by_role("link", name=code))
    page.shot("handler-queue")
    row.get_by_role("button", name="Nhận xử lý").click()
    page.get_by_role("link", name=code).click()
    page.get_by_role("heading", name="Cống thoát nước bị tắc").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="ban-ve-hien-trang.pdf", exact=False).click()
    assert open(download.value.path(), "rb").read().startswith(b"%PDF")
    page.get_by_role("button", name="Tiếp nhận xử lý").click()
    page.fill("#id_request_info-question", "Xin cho biết cống ở thôn nào?")
    page.shot("handler-asks-a-question")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    page.get_by_text("Đã thực hiện: Yêu cầu bổ sung thông tin.").wait_for()
    assert Petition.objects.get(pk=petition.pk).state == State.AWAITING_INFO

    # The citizen answers the question on the tracking page.
    as_citizen(page)
    open_tracking_page(page, code, secret)
    assert "Xin cho biết cống ở thôn nào?" in page.content()
    page.fill("#form-information textarea", "Cống ở thôn Bản Chắt, cạnh nhà văn hoá.")
    page.shot("citizen-answers-the-question")
    page.get_by_role("button", name="Gửi thông tin bổ sung").click()
    page.get_by_text("Đã gửi thông tin bổ sung.").wait_for()
    assert Petition.objects.get(pk=petition.pk).state == State.IN_PROGRESS

    # The handler reads the reply in the history and answers.
    login(page, "handler_a")
    page.goto(f"/work/petitions/{code}/")
    assert "Cống ở thôn Bản Chắt" in page.inner_text("#history")
    page.fill("#id_answer-answer", "Đã nạo vét cống thôn Bản Chắt ngày hôm nay.")
    page.shot("handler-answers")
    page.get_by_role("button", name="Gửi trả lời").click()
    page.get_by_text("Đã thực hiện: Trả lời.").wait_for()
    assert Petition.objects.get(pk=petition.pk).state == State.ANSWERED

    # The citizen reads the answer and rates it.
    as_citizen(page)
    open_tracking_page(page, code, secret)
    assert "Đã nạo vét cống" in page.content()
    page.locator("#form-rate input[type=radio][value='5']").check()
    page.shot("citizen-rates")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn bạn đã đánh giá.").wait_for()
    assert HistoryEntry.objects.filter(petition=petition, action="rate").exists()

    # The auditor sees it answered on time and downloads the table.
    as_citizen(page)
    login(page, "auditor")
    page.get_by_role(
        "heading", name="Báo cáo tình hình tiếp nhận, giải quyết phản ánh, kiến nghị"
    ).wait_for()
    agency_row = page.locator("tr", has=page.get_by_text(cast.name, exact=True)).first
    assert "100,00\u00a0%" in agency_row.inner_text()
    page.shot("auditor-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải CSV").first.click()
    body = open(download.value.path(), encoding="utf-8").read()
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    # Carried over, received, reopened, moved in, out, to handle, not accepted, on
    # time, late, rate (the numbered columns of the report).
    assert rows[1][:11] == [
        cast.name,
        "0",
        "1",
        "0",
        "0",
        "0",
        "1",
        "0",
        "1",
        "0",
        "100.00",
    ]
    assert download.value.suggested_filename.startswith("pakn-agency-")

    # Drill down to the case and its verified history.
    agency_row.get_by_role("link", name="1").first.click()
    page.get_by_role("link", name=code).click()
    assert "Toàn vẹn: 8 bước" in page.locator(".intact").inner_text()
    page.shot("auditor-verified-history")


def test_a_handler_of_another_agency_meets_a_404(page, login, cast):
    code, _secret = file_petition(page)
    factories.staff("handler_b", Role.HANDLER, factories.agency("so-xd-lang-son"))
    login(page, "handler_b")
    response = page.goto(f"/work/petitions/{code}/")
    assert response.status == 404
    page.shot("other-agency-404")
