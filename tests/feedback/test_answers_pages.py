"""Issue 14 item 13: filters, a page per answer, excerpts, letter number, signer."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from workflow import services
from workflow.models import AnswerLetter

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
LONG_TEXT = " ".join(f"từ{n}" for n in range(200))


def test_filters_by_agency_category_province_and_period(
    client, answered, agency_a, consented
):
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=HANOI), tick=False):
        march = consented(title="Trả lời tháng ba")
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=HANOI), tick=False):
        may = consented(title="Trả lời tháng năm")

    def titles(**params):
        html = client.get("/answers/", params).content.decode()
        return {t for t in ("Trả lời tháng ba", "Trả lời tháng năm") if t in html}

    assert titles() == {"Trả lời tháng ba", "Trả lời tháng năm"}
    assert titles(answered_from="2026-04-01") == {"Trả lời tháng năm"}
    # The last day counts whole (local time).
    assert titles(answered_until="2026-03-02") == {"Trả lời tháng ba"}
    assert titles(agency=agency_a.code, category=march.category.code) == titles()
    assert titles(province=str(march.province.code)) == titles()
    other = factories.agency("so-khac")
    assert titles(agency=other.code) == set()
    # A bad value is an error on its field; the other filters still apply.
    response = client.get("/answers/", {"answered_from": "hôm qua", "q": "tháng năm"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trả lời tháng năm" in html and "Trả lời tháng ba" not in html
    assert 'aria-invalid="true"' in html
    assert may.pk


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        # The last day of Python's calendar has no next day to end the filter at.
        ({"answered_until": "9999-12-31"}, "Vui lòng chọn một ngày từ 01/01/1900"),
        ({"answered_from": "9999-12-31"}, "Vui lòng chọn một ngày từ 01/01/1900"),
        (
            {"answered_from": "2026-05-01", "answered_until": "2026-03-01"},
            "Ngày kết thúc không được trước ngày bắt đầu.",
        ),
    ],
)
def test_a_date_filter_out_of_reach_is_an_error_on_its_field(
    client, answered, filters, message
):
    response = client.get("/answers/", filters)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html


def test_a_card_shows_an_excerpt_and_links_to_the_answers_own_page(
    client, answered, consented
):
    petition = consented(content=LONG_TEXT)
    html = client.get("/answers/").content.decode()
    assert "từ39" in html and "từ150" not in html
    page = client.get(f"/answers/{petition.tracking_code}/")
    assert page.status_code == 200
    assert "từ150" in page.content.decode()
    assert f'href="/answers/{petition.tracking_code}/"' in html


def test_an_unpublished_or_unknown_answer_has_no_page(client, answered):
    private, _ = answered(publish_consent=False)
    assert client.get(f"/answers/{private.tracking_code}/").status_code == 404
    assert client.get("/answers/NOSUCHCODE/").status_code == 404


def test_the_letter_number_and_signer_are_shown_where_the_answer_has_them(
    client, enter, reception, routed_to_a, handler_a, publish
):
    # A letter with a postal address only: the answer goes out as a numbered letter.
    petition = enter(reception, publish_consent=True).petition
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(
        petition_id=petition.pk, actor=handler_a, text="Đã sửa cầu treo."
    )
    publish(petition)
    letter = AnswerLetter.objects.get(petition=petition)
    for url in ("/answers/", f"/answers/{petition.tracking_code}/"):
        html = client.get(url).content.decode()
        assert letter.reference in html
        assert letter.signer_name in html


def test_the_list_page_keeps_its_query_count(
    client, answered, django_assert_max_num_queries, consented
):
    for n in range(5):
        consented(title=f"Phản ánh {n}")
    # The letters come in one prefetch, not one query per card.
    with django_assert_max_num_queries(12):
        client.get("/answers/")
