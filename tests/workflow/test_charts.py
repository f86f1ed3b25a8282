"""Server-drawn SVG charts: valid, described for screen readers, escaped."""

from xml.etree import ElementTree

from django.utils import translation

from workflow import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ElementTree.fromstring(str(svg))


def test_rate_bars_draw_one_bar_per_rated_row_with_its_percentage():
    svg = charts.rate_bars(
        [("Lạng Sơn", 99.82), ("Tuyên Quang", 92.24), ("Chờ", None)],
        chart_id="c",
        title="Tỷ lệ đúng hạn",
        desc="Cao nhất: Lạng Sơn",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Tỷ lệ đúng hạn"
    assert root.find(f"{SVG}desc").text == "Cao nhất: Lạng Sơn"
    bars = root.findall(f"{SVG}rect")
    # No bar for a row without a rate; bar length is proportional to the rate.
    assert len(bars) == 2
    assert float(bars[0].get("width")) > float(bars[1].get("width"))
    assert "99,82\u00a0%" in str(svg)


def test_percent_follows_the_language():
    with translation.override("vi"):
        assert charts.percent(99.82) == "99,82\u00a0%"
    with translation.override("en"):
        assert charts.percent(99.82) == "99.82\u00a0%"
    assert charts.percent(None) == "—"


def test_labels_are_escaped():
    svg = charts.rate_bars(
        [("<script>alert(1)</script>", 50.0)], chart_id="x", title="<b>", desc="&"
    )
    assert "<script>" not in str(svg)
    parse(svg)  # still well-formed XML


def test_week_columns_scale_to_the_busiest_week():
    rows = [("2026-W09", 0), ("2026-W10", 4), ("2026-W11", 2)]
    root = parse(charts.week_columns(rows, chart_id="t", title="Quá hạn", desc="6"))
    heights = [float(r.get("height")) for r in root.findall(f"{SVG}rect")]
    assert heights[0] == 0
    assert heights[1] == 2 * heights[2]


def test_an_empty_chart_is_still_a_valid_image():
    parse(charts.week_columns([], chart_id="e", title="-", desc="-"))
    parse(charts.rate_bars([], chart_id="r", title="-", desc="-"))
