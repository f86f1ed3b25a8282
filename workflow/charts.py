"""Charts drawn on the server as inline SVG: no script, no outside service.

Each chart carries a title and a text description for screen readers
(`role="img"`, `aria-labelledby`); pages show the same figures as a table too.
"""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="system-ui, sans-serif" font-size="13"'
BAR_COLOUR = "#0b4f9c"
LATE_COLOUR = "#b00020"
GRID_COLOUR = "#d8dde3"
INK = "#1b1f24"


def percent(value: float | None) -> str:
    """A rate as people read it: "99,82 %" in Vietnamese, "99.82 %" in English."""
    if value is None:
        return "—"
    # number_format cuts digits off; round first so 16.666… reads 16,67.
    return f"{number_format(round(value, 2), 2)}\u00a0%"


def _open_svg(chart_id: str, width: int, height: int, title: str, desc: str) -> list:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def rate_bars(
    rows: list[tuple[str, float | None]], *, chart_id: str, title: str, desc: str
) -> SafeString:
    """Horizontal bars of a percentage per label (0–100 %); no bar when no rate."""
    label_width, bar_width, value_width, row_height = 330, 260, 80, 26
    width = label_width + bar_width + value_width
    height = row_height * max(len(rows), 1) + 30
    parts = _open_svg(chart_id, width, height, title, desc)
    for tick in (0, 25, 50, 75, 100):
        x = label_width + bar_width * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 22}" '
            f'stroke="{GRID_COLOUR}"/>'
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" {FONT} '
            f'fill="{INK}">{tick}</text>'
        )
    for index, (label, value) in enumerate(rows):
        y = index * row_height
        short = label if len(label) <= 44 else label[:43] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" {FONT} '
            f'fill="{INK}"><title>{escape(label)}</title>{escape(short)}</text>'
        )
        if value is not None:
            length = bar_width * max(0.0, min(value, 100.0)) / 100
            parts.append(
                f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" '
                f'height="{row_height - 10}" fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{label_width + bar_width + 6}" y="{y + 17}" {FONT} '
            f'fill="{INK}">{escape(percent(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def week_columns(
    rows: list[tuple[str, int]],
    *,
    chart_id: str,
    title: str,
    desc: str,
    axis_labels: list[str] | None = None,
) -> SafeString:
    """Vertical columns of a count per ISO week, labelled every few weeks.

    Each column's title is its label; the axis under it says `axis_labels` (the
    week's first day, say), or the label's part after its last "-".
    """
    left, bottom, plot_height, column = 40, 40, 180, 30
    width = left + column * max(len(rows), 1) + 10
    height = plot_height + bottom + 10
    top = max((count for _, count in rows), default=0)
    scale_max = max(_nice_ceiling(top), 1)
    parts = _open_svg(chart_id, width, height, title, desc)
    for value in sorted({0, scale_max // 2, scale_max}):
        y = 10 + plot_height * (1 - value / scale_max)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" {FONT} '
            f'fill="{INK}">{number_format(value, 0)}</text>'
        )
    every = max(1, -(-len(rows) // 8))  # at most 8 labels
    axis = axis_labels or [label.split("-")[-1] for label, _count in rows]
    for index, (label, count) in enumerate(rows):
        x = left + index * column
        length = plot_height * count / scale_max
        parts.append(
            f'<rect x="{x + 2}" y="{10 + plot_height - length:.1f}" '
            f'width="{column - 4}" height="{length:.1f}" fill="{LATE_COLOUR}">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        if index % every == 0:
            parts.append(
                f'<text x="{x + column / 2:.1f}" y="{height - 22}" '
                f'text-anchor="middle" {FONT} fill="{INK}">'
                f"{escape(axis[index])}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _nice_ceiling(value: int) -> int:
    """The next round number at or above `value` (1, 2, 5, 10, 20, 50…)."""
    if value <= 0:
        return 0
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def month_bars(
    rows: list[tuple[str, float | None]], *, chart_id: str, title: str, desc: str
) -> SafeString:
    """Vertical bars of a percentage per month (0–100 %), each labelled with it."""
    left, bottom, plot_height, column = 40, 44, 180, 56
    width = left + column * max(len(rows), 1) + 10
    height = plot_height + bottom + 24
    parts = _open_svg(chart_id, width, height, title, desc)
    for tick in (0, 50, 100):
        y = 24 + plot_height * (1 - tick / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" {FONT} '
            f'fill="{INK}">{tick}</text>'
        )
    for index, (label, value) in enumerate(rows):
        x = left + index * column
        if value is not None:
            length = plot_height * max(0.0, min(value, 100.0)) / 100
            top = 24 + plot_height - length
            parts.append(
                f'<rect x="{x + 6}" y="{top:.1f}" width="{column - 12}" '
                f'height="{length:.1f}" fill="{BAR_COLOUR}">'
                f"<title>{escape(label)}: {escape(percent(value))}</title></rect>"
                f'<text x="{x + column / 2:.1f}" y="{top - 6:.1f}" '
                f'text-anchor="middle" font-family="system-ui, sans-serif" '
                f'font-size="11" fill="{INK}">{escape(percent(value))}</text>'
            )
        parts.append(
            f'<text x="{x + column / 2:.1f}" y="{height - 24}" text-anchor="middle" '
            f'{FONT} fill="{INK}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
