"""A citizen in a real browser: files a petition, follows it, meets form errors."""

import pytest

from feedback.models import Attachment
from tests import factories
from workflow.models import Petition, State

PDF = {
    "name": "don-de-nghi.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
}

pytestmark = pytest.mark.browser


@pytest.fixture
def land_in_lang_son(transactional_db):
    land = factories.category("land")
    factories.rule(factories.agency("so-tnmt-lang-son"), category=land)
    return land


def fill_petition(page, *, email="an@example.vn"):
    page.fill("#id_submitter_name", "Nguyễn Văn An")
    if email:
        page.fill("#id_email", email)
    page.select_option("#id_category", "land")
    page.select_option("#id_province", str(factories.LANG_SON))
    page.fill("#id_title", "Đường liên xã xuống cấp ở Hà Giang")
    page.fill("#id_content", "Đề nghị sửa chữa đoạn đường liên xã, đi lại rất khó.")
    page.check("#id_processing_consent")


def test_a_citizen_files_a_petition_with_a_pdf_and_follows_it(page, land_in_lang_son):
    page.goto("/")
    page.shot("empty-form")
    fill_petition(page)
    # The commune list follows the province (static/js/petition-form.js).
    commune = factories.commune_of(factories.LANG_SON)
    page.wait_for_selector(
        f"#id_commune option[value='{commune.code}']", state="attached"
    )
    page.select_option("#id_commune", str(commune.code))
    page.check("#id_publish_consent")
    page.set_input_files("#id_attachments", files=[PDF])
    page.shot("filled-in")
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()

    page.get_by_role("heading", name="Phản ánh của bạn đã được tiếp nhận").wait_for()
    code = page.inner_text("#tracking-code")
    secret = page.inner_text("#secret")
    page.shot("tracking-code-and-secret")
    petition = Petition.objects.get(tracking_code=code)
    assert petition.has_secret(secret) is True
    assert petition.commune == commune
    assert petition.state == State.ASSIGNED
    assert Attachment.objects.get(petition=petition).content_type == "application/pdf"

    page.get_by_role("link", name="Tra cứu phản ánh").click()
    page.fill("#id_tracking_code", code)
    page.fill("#id_secret", secret)
    page.shot("lookup")
    page.get_by_role("button", name="Xem phản ánh").click()
    page.get_by_role("heading", name="Đường liên xã xuống cấp ở Hà Giang").wait_for()
    timeline = page.locator(".timeline").inner_text()
    assert "Đã tiếp nhận phản ánh" in timeline
    assert "Đã chuyển đến cơ quan xử lý" in timeline
    assert page.get_by_role("link", name="don-de-nghi.pdf").is_visible()
    assert secret not in page.url
    page.shot("case-page")


def test_the_form_keeps_what_was_typed_when_it_comes_back_with_errors(
    page, land_in_lang_son
):
    page.goto("/")
    page.check("#id_submitter_kind_1")  # business: the tax code field appears
    page.fill("#id_tax_code", "12345")
    fill_petition(page, email="")
    page.set_input_files("#id_attachments", files=[PDF])
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "Mã số thuế gồm 10 chữ số" in text
    assert "thư điện tử hoặc số điện thoại" in text
    assert "chọn lại tệp" in text
    # The summary takes the focus so that a screen reader reads it first.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.input_value("#id_title") == "Đường liên xã xuống cấp ở Hà Giang"
    assert page.input_value("#id_content").startswith("Đề nghị sửa chữa")
    assert page.input_value("#id_tax_code") == "12345"
    assert page.is_checked("#id_submitter_kind_1")
    assert page.get_attribute("#id_tax_code", "aria-invalid") == "true"
    page.shot("errors")
    assert Petition.objects.count() == 0

    # The error summary links to the field; fixing both gets the petition through.
    summary.get_by_role("link", name="Mã số thuế", exact=False).click()
    page.fill("#id_tax_code", "0101234567")
    page.fill("#id_email", "congty@example.vn")
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.get_by_role("heading", name="Phản ánh của bạn đã được tiếp nhận").wait_for()
    page.shot("fixed-and-sent")
    assert Petition.objects.get().tax_code == "0101234567"


def test_switching_to_english_shows_english_labels(page, land_in_lang_son):
    page.goto("/")
    assert page.get_attribute("html", "lang") == "vi"
    page.locator("form.lang button[value='en']").click()
    page.get_by_role(
        "heading", name="Send feedback or a petition on administrative regulations"
    ).wait_for()
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_label("Full name, or name of the business or organisation")
    assert page.get_by_role("button", name="Send feedback", exact=True).is_visible()
    assert page.get_by_role("link", name="Track").is_visible()
    page.shot("english")
    page.locator("form.lang button[value='vi']").click()
    page.get_by_role(
        "heading", name="Gửi phản ánh, kiến nghị về quy định hành chính"
    ).wait_for()
