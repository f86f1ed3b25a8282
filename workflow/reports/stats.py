"""The public statistics (/stats/): every province's, agency's and channel's
figures per month.

Counts only, from the same rollups as the auditor report: no petition, no name of
a person. Whole months show their stocks at the month's end; the current month
is shown so far (to the end of today).
"""

from dataclasses import dataclass
from datetime import date

from workflow.codes import MAX_ID, parse_number
from workflow.reports import columns, rollup
from workflow.reports.figures import Figures, Report, build_report, names_of
from workflow.reports.periods import Period, local_today, month_start, months_back

MONTHS_SHOWN = 12
# The columns /stats/ prints (their definitions are printed under the tables).
COLUMN_KEYS = (
    "carried_over",
    "received",
    "not_accepted",
    "resolved_on_time",
    "resolved_late",
    "on_time_rate",
    "average_working_days",
    "open_within",
    "open_overdue",
    "open_waiting",
)
COLUMNS = tuple(columns.BY_KEY[key] for key in COLUMN_KEYS)
# The tables of a month, in the order the page shows them.
UNITS = ("province", "agency", "channel")


@dataclass(frozen=True)
class Month:
    first: date
    figures: Figures
    is_current: bool  # still running: figures so far

    @property
    def period(self) -> Period:
        return Period.month(self.first)

    @property
    def cells(self):
        return columns.cells(self.figures, COLUMNS)


@dataclass(frozen=True)
class UnitTable:
    """One month's table of agencies or provinces, with the columns /stats/ shows."""

    dimension: str
    label: str
    rows: list  # (Row, cells)
    total_cells: list


def unit_table(report: Report, dimension: str) -> UnitTable:
    table = report.tables[dimension]
    return UnitTable(
        dimension=dimension,
        label=table.label,
        rows=[(row, columns.cells(row.figures, COLUMNS)) for row in table.rows],
        total_cells=columns.cells(table.total, COLUMNS),
    )


def shown_months(now) -> list[date]:
    """The first days of the last MONTHS_SHOWN whole months and the current one."""
    today = local_today(now)
    return months_back(month_start(today), MONTHS_SHOWN + 1)


def monthly(now, *, dimension="total", key="") -> list[Month]:
    """One unit's (or the country's) figures for each shown month, oldest first."""
    months = shown_months(now)
    complete, current = months[:-1], months[-1]
    by_month = rollup.monthly_figures(dimension, complete, key=key).get(key, {})
    so_far = _so_far(current, now, dimension).get(key, Figures())
    return [
        *(Month(m, by_month.get(m, Figures()), False) for m in complete),
        Month(current, so_far, True),
    ]


def _so_far(first: date, now, dimension) -> dict:
    period = Period(first, local_today(now))
    return rollup.period_figures(period, dimensions=(dimension,))[dimension]


def month_report(first: date, now) -> Report:
    """Every province, agency and channel in one month (the current one so far)."""
    last = min(local_today(now), Period.month(first).end_on)
    period = Period(first, last)
    counts = rollup.period_figures(period, dimensions=("total", *UNITS))
    return build_report(period, counts)


def unit_name(dimension: str, key: str):
    """The unit's name (a channel's label), or None when there is no such unit."""
    if dimension not in UNITS:
        return None
    if dimension != "channel" and parse_number(key, maximum=MAX_ID) is None:
        return None
    return names_of(dimension, [key]).get(key)


def month_of(text: str, now) -> date | None:
    """The month named YYYY-MM if it is one of the months shown, else None."""
    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError:
        return None
    return first if first in shown_months(now) else None
