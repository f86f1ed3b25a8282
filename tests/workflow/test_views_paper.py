"""Staff pages of paper answers and back-dating: letters, posting, the auditors'
list of back-dated entries, the queue's channel filter."""

import csv
import io
from datetime import datetime

import pytest
import time_machine

from tests.support.pdf import pdf_text
from workflow import services
from workflow.deadlines import VIETNAM
from workflow.models import AnswerLetter, HistoryEntry

MONDAY = datetime(2026, 3, 9, 9, 30, tzinfo=VIETNAM)
WEDNESDAY = datetime(2026, 3, 11, 10, 0, tzinfo=VIETNAM)
FRIDAY = datetime(2026, 3, 13, 15, 0, tzinfo=VIETNAM)


@pytest.fixture
def answered_letter(enter, reception, routed_to_a, handler_a):
    with time_machine.travel(WEDNESDAY, tick=False):
        petition = enter(reception, received_at=MONDAY).petition
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
    with time_machine.travel(FRIDAY, tick=False):
        services.answer_petition(
            petition_id=petition.pk, actor=handler_a, text="Đã sửa cầu treo."
        )
    return AnswerLetter.objects.get(petition=petition)


def test_the_case_page_offers_the_letter_and_records_its_posting(
    staff_client, handler_a, answered_letter
):
    client = staff_client(handler_a)
    code = answered_letter.petition.tracking_code
    page = client.get(f"/work/petitions/{code}/").content.decode()
    assert "Số 1/PAKN" in page and "chưa gửi" in page
    pdf = client.get(f"/work/petitions/{code}/letters/{answered_letter.pk}.pdf")
    assert "Đã sửa cầu treo." in pdf_text(pdf.content)
    version = answered_letter.petition.__class__.objects.get(
        pk=answered_letter.petition_id
    ).version
    with time_machine.travel(FRIDAY, tick=False):
        response = client.post(
            f"/work/petitions/{code}/record_posting/",
            {
                "record_posting-version": version,
                "record_posting-posted_on": "2026-03-13",
                "record_posting-postal_tracking_number": "RR987654321VN",
            },
        )
    assert response.status_code == 302
    entry = HistoryEntry.objects.get(action="post_answer")
    assert entry.data["postal_tracking_number"] == "RR987654321VN"
    page = client.get(f"/work/petitions/{code}/").content.decode()
    assert "đã gửi ngày 13/03/2026, số hiệu RR987654321VN" in page


def test_letters_waiting_to_be_posted_are_listed_for_their_agency(
    staff_client, handler_a, handler_b, answered_letter
):
    page = staff_client(handler_a).get("/work/letters/").content.decode()
    assert answered_letter.petition.tracking_code in page
    other = staff_client(handler_b).get("/work/letters/").content.decode()
    assert answered_letter.petition.tracking_code not in other


def test_another_agency_cannot_open_the_letter(
    staff_client, handler_b, answered_letter
):
    code = answered_letter.petition.tracking_code
    url = f"/work/petitions/{code}/letters/{answered_letter.pk}/"
    assert staff_client(handler_b).get(url).status_code == 404


def test_auditors_list_back_dated_entries_with_who_and_when(
    staff_client, auditor, handler_a, enter, reception
):
    with time_machine.travel(WEDNESDAY, tick=False):
        late = enter(reception, received_at=MONDAY).petition
        on_time = enter(reception).petition
    client = staff_client(auditor)
    query = "?start_on=2026-03-01&end_on=2026-03-31"
    page = client.get("/audit/backdated/" + query).content.decode()
    assert late.tracking_code in page and on_time.tracking_code not in page
    assert "2 ngày 0 giờ 30 phút" in page
    response = client.get("/audit/backdated/" + query + "&format=csv")
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode()[1:]))
    )
    assert rows[1][0] == late.tracking_code
    assert rows[1][2:4] == ["2026-03-09 09:30", "2026-03-11 10:00"]
    assert rows[1][5] == "Reception"
    # Each case page tells the same.
    case = client.get(f"/audit/petitions/{late.tracking_code}/").content.decode()
    assert "Nhập lùi thời gian" in case and "11/03/2026 10:00" in case
    assert staff_client(handler_a).get("/audit/backdated/").status_code == 404


def test_the_queue_filters_by_channel(
    staff_client, coordinator, enter, reception, submit
):
    letter = enter(reception).petition
    web = submit()
    page = staff_client(coordinator).get("/work/queue/?channel=post").content.decode()
    assert letter.tracking_code in page and web.tracking_code not in page
