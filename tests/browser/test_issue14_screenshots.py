"""Every page issue 14 changed, in a real browser, on a desktop and at 375×812.

One flow: a citizen files (form, confirmation), looks at the tracking page and
the lost-secret page; staff answer with the agency's signed reply attached; the
supervisor reviews the answer for publication (masked preview with a phrase
hidden) and publishes it; the public reads /answers/ and the answer's page; the
handler's queue and case page, the supervisor's dashboard and the auditor's case
page; the citizen's tracking page with the answer, its print and PDF.
Screenshots: test-artifacts/screenshots/<this test>/NN-<page>-<desktop|phone>.png.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.files import PDF
from feedback.replies import attach_reply_document
from feedback.services import Upload
from tests import factories
from tests.browser.screens import both_sizes
from tests.browser.test_citizen import fill_petition
from tests.browser.test_citizen_pages import open_case
from tests.feedback.samples import PDF_BYTES
from workflow import services
from workflow.access import Actor
from workflow.models import Petition, Role

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db):
    land = factories.category("land")
    agency = factories.agency("so-tnmt-lang-son")
    factories.rule(agency, category=land)
    handler = Actor.staff(factories.staff("handler_a", Role.HANDLER, agency))
    factories.staff("supervisor_a", Role.SUPERVISOR, agency)
    factories.staff("auditor", Role.AUDITOR)
    return {"handler": handler}


def test_every_page_issue_14_changed_on_a_desktop_and_a_phone(page, login, cast):
    page.goto("/")
    both_sizes(page, "citizen-form")
    fill_petition(page)
    page.fill(
        "#id_content",
        "Đèn đường trước quán Hoa Mai không sáng, đi lại rất nguy hiểm.",
    )
    page.check("#id_publish_consent")
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.get_by_role("heading", name="Phản ánh của bạn đã được tiếp nhận").wait_for()
    code, secret = page.inner_text("#tracking-code"), page.inner_text("#secret")
    both_sizes(page, "confirmation")

    open_case(page, code, secret)
    page.locator("#status-heading").wait_for()
    both_sizes(page, "tracking-page-received")

    page.goto("/track/forgot/")
    both_sizes(page, "lost-secret")

    petition = Petition.objects.get(tracking_code=code)
    handler = cast["handler"]
    services.accept_petition(petition_id=petition.pk, actor=handler)
    attach_reply_document(
        petition_id=petition.pk,
        actor=handler,
        upload=Upload(file=SimpleUploadedFile("15-STNMT.pdf", PDF_BYTES), kind=PDF),
    )
    services.answer_petition(
        petition_id=petition.pk,
        actor=handler,
        text="Sở đã thay bóng đèn trước quán Hoa Mai.\n\nCảm ơn ông đã phản ánh.",
    )

    login(page, "supervisor_a")
    page.goto("/work/publication/")
    both_sizes(page, "publication-review-list")
    page.get_by_role("link", name="Xem và duyệt").click()
    page.fill("#id_redactions", "quán Hoa Mai")
    page.get_by_role("button", name="Xem trước").click()
    page.locator(".publication-preview").wait_for()
    assert "Hoa Mai" not in page.inner_text(".publication-preview")
    both_sizes(page, "publication-review-preview")
    page.check("#id_confirm")
    page.get_by_role("button", name="Công khai", exact=True).click()
    page.locator("main .messages li.success").wait_for()
    page.goto("/work/dashboard/")
    both_sizes(page, "dashboard")

    page.context.clear_cookies()
    page.goto("/answers/")
    page.locator("article.published").wait_for()
    both_sizes(page, "answers")
    page.get_by_role("link", name="Xem toàn văn").click()
    page.get_by_role("heading", level=1).wait_for()
    assert "Hoa Mai" not in page.inner_text("main")
    both_sizes(page, "answer-page")

    login(page, "handler_a")
    page.goto("/work/queue/")
    both_sizes(page, "queue")
    page.goto(f"/work/petitions/{code}/")
    page.locator("#reply-documents").wait_for()
    both_sizes(page, "case-page")
    page.goto(f"/work/petitions/{code}/answer-document/")
    page.locator(".sheet").wait_for()
    both_sizes(page, "staff-answer-print")

    page.context.clear_cookies()
    login(page, "auditor")
    page.goto(f"/audit/petitions/{code}/")
    page.locator("#petition-text").wait_for()
    both_sizes(page, "audit-case")

    page.context.clear_cookies()
    open_case(page, code, secret)
    page.locator("#reply-documents").wait_for()
    both_sizes(page, "tracking-page-answered")
    page.emulate_media(media="print")
    page.shot("tracking-page-answered-print")
    page.emulate_media(media="screen")
    page.goto(f"/track/{code}/answer-document/")
    page.locator(".sheet").wait_for()
    both_sizes(page, "citizen-answer-print")
