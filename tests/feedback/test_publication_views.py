"""The supervisors' publication review: list, masked preview, publish, decline."""

import pytest

from workflow import services
from workflow.models import HistoryEntry, Petition

REVIEW = "/work/publication/"


@pytest.fixture
def waiting(answered):
    petition, secret = answered(
        publish_consent=True,
        title="Đèn đường hỏng trước quán Hoa Mai",
        content="Nhà bà Lò Thị Sen, gọi 0912 345 678, đèn hỏng cả tháng.",
    )
    return petition


def test_the_list_shows_the_agencys_answers_awaiting_a_decision(
    staff_client, supervisor_a, waiting, answered
):
    answered(publish_consent=False, title="Không đồng ý công khai")
    html = staff_client(supervisor_a).get(REVIEW).content.decode()
    assert waiting.tracking_code in html
    assert "Không đồng ý công khai" not in html
    # The menu leads there.
    assert f'href="{REVIEW}"' in html


def test_the_page_shows_the_text_as_the_public_would_read_it_and_previews_more(
    staff_client, supervisor_a, waiting
):
    client = staff_client(supervisor_a)
    html = client.get(f"{REVIEW}{waiting.tracking_code}/").content.decode()
    assert "gọi ***, đèn hỏng" in html
    assert "0912 345 678" not in html

    preview = client.post(
        f"{REVIEW}{waiting.tracking_code}/",
        {
            "version": waiting.version,
            "redactions": "Lò Thị Sen\nquán Hoa Mai",
            "preview": "1",
        },
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Nhà bà ***, gọi ***" in html and "trước ***" in html
    # A preview changes nothing.
    assert Petition.objects.get(pk=waiting.pk).version == waiting.version


def test_publishing_needs_the_tick_then_shows_it_on_answers(
    client, staff_client, supervisor_a, waiting
):
    staff = staff_client(supervisor_a)
    url = f"{REVIEW}{waiting.tracking_code}/"
    form = {"version": waiting.version, "redactions": "Lò Thị Sen", "publish": "1"}
    refused = staff.post(url, form)
    assert refused.status_code == 400
    assert "đánh dấu ô xác nhận" in refused.content.decode()
    assert Petition.objects.get(pk=waiting.pk).publication == ""

    done = staff.post(url, {**form, "confirm": "on"})
    assert done.status_code == 302
    staff.logout()
    html = client.get(f"/answers/{waiting.tracking_code}/").content.decode()
    assert "Nhà bà ***, gọi ***" in html
    assert "Sen" not in html


def test_a_bad_phrase_is_shown_on_its_field(staff_client, supervisor_a, waiting):
    response = staff_client(supervisor_a).post(
        f"{REVIEW}{waiting.tracking_code}/",
        {
            "version": waiting.version,
            "redactions": "ab",
            "publish": "1",
            "confirm": "on",
        },
    )
    assert response.status_code == 400
    assert "từ 3 đến 200 ký tự" in response.content.decode()
    assert Petition.objects.get(pk=waiting.pk).publication == ""


def test_declining_records_the_reason_the_submitter_reads(
    client, staff_client, supervisor_a, waiting, answered, verified
):
    staff = staff_client(supervisor_a)
    url = f"{REVIEW}{waiting.tracking_code}/decline/"
    assert (
        staff.post(url, {"version": waiting.version, "reason": ""}).status_code == 400
    )
    done = staff.post(url, {"version": waiting.version, "reason": "Nêu tên hộ khác."})
    assert done.status_code == 302
    entry = HistoryEntry.objects.filter(petition=waiting).latest("seq")
    assert (entry.action, entry.reason) == ("decline_publication", "Nêu tên hộ khác.")
    # Off the list (the confirmation message names it once).
    assert f'href="{url[:-8]}"' not in staff.get(REVIEW).content.decode()


def test_the_submitter_sees_the_decision_on_the_tracking_page(
    client, answered, verified, supervisor_a
):
    petition, secret = answered(publish_consent=True)
    services.decline_publication(
        petition_id=petition.pk, actor=supervisor_a, reason="Nêu tên hộ khác."
    )
    verified(petition, secret)
    html = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "không công khai trả lời" in html
    assert "Nêu tên hộ khác." in html


def test_handlers_and_other_agencies_get_404(
    staff_client, handler_a, handler_b, supervisor_a, waiting, answered
):
    url = f"{REVIEW}{waiting.tracking_code}/"
    assert staff_client(handler_a).get(REVIEW).status_code == 404
    assert staff_client(handler_a).get(url).status_code == 404
    assert staff_client(handler_b).get(url).status_code == 404
    # Nothing to decide without consent: no page either.
    private, _ = answered(publish_consent=False)
    page = staff_client(supervisor_a).get(f"{REVIEW}{private.tracking_code}/")
    assert page.status_code == 404
