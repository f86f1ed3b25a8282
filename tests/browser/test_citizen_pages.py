"""Issue 14's citizen pages in a real browser, on a desktop and on a 375×812 phone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from notifications.models import Notification
from tests import factories
from tests.browser.screens import DESKTOP, PHONE, both_sizes
from tests.browser.test_citizen import fill_petition
from workflow.models import Petition, Role

pytestmark = pytest.mark.browser


@pytest.fixture
def land_in_lang_son(transactional_db):
    land = factories.category("land")
    factories.rule(factories.agency("so-tnmt-lang-son"), category=land)
    return land


def open_case(page, code, secret):
    page.goto("/track/")
    page.fill("#id_tracking_code", code)
    page.fill("#id_secret", secret)
    page.get_by_role("button", name="Xem phản ánh").click()


def test_the_confirmation_names_agency_and_deadline_copies_prints_and_recovers(
    page, land_in_lang_son
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")
    fill_petition(page)
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.get_by_role("heading", name="Phản ánh của bạn đã được tiếp nhận").wait_for()
    petition = Petition.objects.get(tracking_code=page.inner_text("#tracking-code"))
    # The agency that received it and the case deadline as a last day.
    assert page.inner_text("#receiving-agency") == petition.agency.name
    assert page.inner_text("#case-deadline").startswith("hết ngày ")
    both_sizes(page, "confirmation")

    page.locator("[data-copy=secret]").click()
    page.locator("#copy-status").wait_for()
    old_secret = page.inner_text("#secret")
    assert page.evaluate("navigator.clipboard.readText()") == old_secret

    # On paper: no menu, no buttons, the codes still there.
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden()
    assert page.locator("#print-page").is_hidden()
    assert page.locator("#secret").is_visible()
    page.shot("confirmation-print")
    page.emulate_media(media="screen")

    # Lost: a code to the e-mail on file gives a new secret.
    page.goto("/track/")
    page.get_by_role("link", name="Quên mã bí mật?").click()
    page.fill("#id_tracking_code", petition.tracking_code)
    both_sizes(page, "forgot-secret")
    page.get_by_role("button", name="Gửi mã xác nhận").click()
    page.get_by_role("heading", name="Nhập mã xác nhận").wait_for()
    # The live server's cluster delivered it: the code is in the e-mail (and
    # the outbox row has forgotten it).
    body = next(m.body for m in mail.outbox if "Mã xác nhận:" in m.body)
    code = re.search(r"Mã xác nhận: (\d{6})", body).group(1)
    row = Notification.objects.get(petition_id=petition.pk, event="recovery_code")
    assert "secret" not in row.context
    page.fill("#id_code", "12")
    page.get_by_role("button", name="Nhận mã bí mật mới").click()
    page.locator("#error-summary").wait_for()
    assert "6 chữ số" in page.inner_text("#error-summary")
    both_sizes(page, "enter-code-error")
    page.fill("#id_code", code)
    page.get_by_role("button", name="Nhận mã bí mật mới").click()
    page.get_by_role("heading", name="Mã bí mật mới của bạn").wait_for()
    new_secret = page.inner_text("#secret")
    both_sizes(page, "new-secret")
    petition.refresh_from_db()
    assert petition.has_secret(new_secret) is True
    assert petition.has_secret(old_secret) is False
    page.get_by_role("link", name="Xem phản ánh").click()
    page.get_by_role("heading", name=petition.title).wait_for()


def test_on_a_phone_the_header_is_short_and_the_status_above_the_fold(
    page, land_in_lang_son
):
    page.set_viewport_size(PHONE)
    page.goto("/")
    fill_petition(page)
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    code = page.inner_text("#tracking-code")
    secret = page.inner_text("#secret")
    open_case(page, code, secret)
    page.locator("#status-heading").wait_for()
    header = page.locator(".site-header").bounding_box()
    menu = page.locator(".site-header nav ul").bounding_box()
    status = page.locator("section.status").bounding_box()
    link = page.get_by_role("link", name="Phản ánh đã trả lời").bounding_box()
    # Measured before the fix: header 190 px, status from 470 px, one word a line.
    assert header["height"] < 110, header
    assert link["height"] < 30, "a menu entry stays on one line"
    assert menu["height"] < 60, "the menu takes two rows at most"
    # The status and its deadline are on the first screen of 812 px.
    assert status["y"] < 300, status
    assert status["y"] + status["height"] < 812, status
    page.shot("case-phone")
    page.set_viewport_size(DESKTOP)
    page.shot("case-desktop")


def test_where_a_typed_address_and_a_pin_on_the_map_are_stored_as_data(
    page, land_in_lang_son, live_server, settings
):
    # Tiles from the test server itself (they 404: the map works without them).
    settings.MAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    page.goto("/")
    fill_petition(page)
    page.fill("#id_place", "Cầu treo thôn Bản Chắt")
    page.locator("#place-map.leaflet-container").wait_for()
    both_sizes(page, "form-with-map")
    page.locator("#place-map").click(position={"x": 150, "y": 120})
    page.locator("#place-map .leaflet-marker-icon").wait_for()
    latitude = page.input_value("#id_latitude")
    assert latitude and page.input_value("#id_longitude")
    page.shot("form-pin")
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.get_by_role("heading", name="Phản ánh của bạn đã được tiếp nhận").wait_for()
    petition = Petition.objects.get(tracking_code=page.inner_text("#tracking-code"))
    assert petition.place == "Cầu treo thôn Bản Chắt"
    assert f"{petition.latitude:.6f}" == latitude
    assert petition.longitude is not None
    # The text stays the citizen's own: no coordinates appended.
    assert latitude not in petition.content


def test_without_map_tiles_the_form_has_no_map(page, land_in_lang_son):
    page.goto("/")
    assert page.locator("#id_place").is_visible()
    assert page.locator("#place-map").count() == 0


def _photo():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 120, 200)).save(out, "JPEG")
    return {
        "name": "hien-truong.jpg",
        "mimeType": "image/jpeg",
        "buffer": out.getvalue(),
    }


def test_files_show_as_thumbnails_open_inline_and_read_in_kilobytes(
    page, land_in_lang_son, login
):
    page.goto("/")
    fill_petition(page)
    page.set_input_files("#id_attachments", files=[_photo()])
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    code = page.inner_text("#tracking-code")
    secret = page.inner_text("#secret")
    open_case(page, code, secret)
    thumb = page.locator("img.thumbnail")
    thumb.wait_for()
    thumb.scroll_into_view_if_needed()  # it loads lazily
    # Not wait_for_function: its polling evals a string, which the CSP refuses.
    expect(thumb).to_have_js_property("complete", True)
    # The thumbnail is a real picture, decoded by the browser.
    assert page.evaluate("document.querySelector('img.thumbnail').naturalWidth") == 320
    assert " KB)" in page.inner_text(".attachments")
    both_sizes(page, "case-attachments")
    with page.context.expect_page() as opened:
        page.locator(".attachments").get_by_role("link", name="Xem", exact=True).click()
    shown = opened.value
    shown.wait_for_load_state()
    assert shown.evaluate("document.contentType") == "image/jpeg"
    shown.close()

    agency = Petition.objects.get(tracking_code=code).agency
    factories.staff("handler_a", Role.HANDLER, agency)
    login(page, "handler_a")
    page.goto(f"/work/petitions/{code}/")
    page.locator("img.thumbnail").wait_for()
    assert " KB)" in page.inner_text(".attachments")
    both_sizes(page, "staff-case-attachments")


def test_published_answers_filter_and_open_one_answer_page(page, land_in_lang_son):
    from workflow import services
    from workflow.access import Actor

    page.goto("/")
    fill_petition(page)
    page.check("#id_publish_consent")
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    petition = Petition.objects.get(tracking_code=page.inner_text("#tracking-code"))
    handler = Actor.staff(factories.staff("handler", Role.HANDLER, petition.agency))
    services.accept_petition(petition_id=petition.pk, actor=handler)
    services.answer_petition(
        petition_id=petition.pk, actor=handler, text="Sở đã sửa đoạn đường này."
    )
    # Consent alone publishes nothing: a supervisor of the agency publishes it.
    supervisor = Actor.staff(
        factories.staff("supervisor", Role.SUPERVISOR, petition.agency)
    )
    services.publish_answer(petition_id=petition.pk, actor=supervisor)

    page.goto("/answers/")
    page.select_option("#id_agency", petition.agency.code)
    page.select_option("#id_province", str(factories.LANG_SON))
    page.get_by_role("button", name="Lọc").click()
    page.locator("article.published").wait_for()
    assert page.locator("article.published").count() == 1
    both_sizes(page, "answers-filtered")
    page.get_by_role("link", name="Xem toàn văn").click()
    page.get_by_role("heading", name=petition.title).wait_for()
    assert "Sở đã sửa đoạn đường này." in page.inner_text("main")
    both_sizes(page, "answer-page")


def test_a_citizen_is_shown_a_similar_petition_and_follows_it(
    page, land_in_lang_son, login
):
    commune = factories.commune_of(factories.LANG_SON)

    def fill_same():
        fill_petition(page)
        page.wait_for_selector(
            f"#id_commune option[value='{commune.code}']", state="attached"
        )
        page.select_option("#id_commune", str(commune.code))

    page.goto("/")
    fill_same()
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    first = page.inner_text("#tracking-code")

    page.goto("/")
    fill_same()
    page.fill("#id_email", "hang.xom@example.vn")
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.locator("#similar-petitions").wait_for()
    assert "Nguyễn Văn An" not in page.inner_text("#similar-petitions")
    both_sizes(page, "similar-suggested")
    page.get_by_role("button", name="Theo dõi phản ánh này").click()
    page.get_by_role("heading", name="Bạn đang theo dõi phản ánh").wait_for()
    both_sizes(page, "following")
    assert Petition.objects.count() == 1
    from workflow.models import Follower

    assert Follower.objects.get().petition.tracking_code == first

    # A second, filed anyway, shows the first on the staff case page.
    page.goto("/")
    fill_same()
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.get_by_role("button", name="Không trùng, vẫn gửi phản ánh của tôi").click()
    second = page.inner_text("#tracking-code")
    agency = Petition.objects.get(tracking_code=second).agency
    factories.staff("handler_a", Role.HANDLER, agency)
    login(page, "handler_a")
    page.goto(f"/work/petitions/{second}/")
    page.locator("#similar-petitions").wait_for()
    assert first in page.inner_text("#similar-petitions")
    both_sizes(page, "staff-similar")
