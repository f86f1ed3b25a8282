"""Deadlines on the staff and audit pages: one wording, with working days left."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from workflow import services, sweeps
from workflow.templatetags.deadlines import deadline

# Monday 2 March 2026, 09:00 in Hanoi.
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def assigned(submit, routed_to_a):
    with time_machine.travel(MONDAY, tick=False):
        return submit(title="Đèn đường hỏng")


def test_the_queue_shows_the_last_day_and_the_working_days_left(
    assigned, handler_a, staff_client
):
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        page = staff_client(handler_a).get("/work/queue/").content.decode()
    # The agency accepts within 2 working days: by the end of Wednesday 4 March,
    # stored as 00:00 on the 5th, which no page may show.
    assert "hết ngày 04/03/2026" in page
    assert "05/03/2026 00:00" not in page
    assert "còn 2 ngày làm việc" in page


def test_the_queue_counts_overdue_working_days_after_the_weekend(
    assigned, handler_a, staff_client
):
    sweeps.sweep(now=MONDAY + timedelta(days=8))
    # Tuesday 10 March: Thursday, Friday, Monday and Tuesday have passed.
    with time_machine.travel(MONDAY + timedelta(days=8), tick=False):
        page = staff_client(handler_a).get("/work/queue/").content.decode()
    assert "quá hạn 4 ngày làm việc" in page


def test_the_case_page_shows_both_deadlines_as_last_days(
    assigned, handler_a, staff_client
):
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        page = staff_client(handler_a).get(f"/work/petitions/{assigned.tracking_code}/")
    text = page.content.decode()
    # The answer is due 20 days after receipt: Sunday 22 March moves to Monday 23.
    assert "hết ngày 23/03/2026" in text and "còn 15 ngày làm việc" in text
    assert "hết ngày 04/03/2026" in text and "còn 2 ngày làm việc" in text
    assert "24/03/2026 00:00" not in text


def test_while_waiting_for_the_citizen_the_case_page_shows_their_reply_deadline(
    assigned, handler_a, staff_client
):
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        services.accept_petition(petition_id=assigned.pk, actor=handler_a)
        petition = services.request_information(
            petition_id=assigned.pk, actor=handler_a, question="Số nhà nào?"
        )
        page = staff_client(handler_a).get(f"/work/petitions/{assigned.tracking_code}/")
        queue = staff_client(handler_a).get("/work/queue/").content.decode()
    text = page.content.decode()
    assert petition.info_due_at is not None
    reply = deadline(petition.info_due_at)
    assert reply.startswith("hết ngày ")
    # The reply deadline is on the case page and in the queue, not a dash.
    assert 'id="reply-deadline"' in text and reply in text
    assert "tạm dừng trong khi chờ người gửi bổ sung" in text
    assert reply in queue and "(người gửi bổ sung)" in queue
