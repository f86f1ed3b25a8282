"""One word per status and report, on every page (workflow.glossary)."""

from datetime import UTC, datetime, timedelta

import time_machine

from workflow import glossary
from workflow.deadlines import ON_TRACK

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_staff_and_citizen_read_the_same_word_for_a_status(
    submit, routed_to_a, handler_a, staff_client, client
):
    with time_machine.travel(MONDAY, tick=False):
        petition = submit()
    word = str(glossary.SLA_STATUS[ON_TRACK])
    assert word == "Trong hạn"
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        staff = staff_client(handler_a)
        queue = staff.get("/work/queue/").content.decode()
        case = staff.get(f"/work/petitions/{petition.tracking_code}/").content.decode()
    assert f'class="badge on_track">{word}<' in queue
    assert f'class="badge on_track">{word}<' in case
    for other in ("Đúng tiến độ", "Hoàn thành đúng hạn"):
        assert other not in queue and other not in case


def test_the_menu_and_the_report_page_name_the_report_alike(auditor, staff_client):
    page = staff_client(auditor).get("/audit/").content.decode()
    name = str(glossary.REPORT)
    assert f">{name}</a>" in page and f"<h1>{name}</h1>" in page
    assert "Báo cáo quá hạn" not in page
