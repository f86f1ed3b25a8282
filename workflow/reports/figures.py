"""A row of auditor figures, and a report: its rows per agency, province, category
and channel, named, with their total.

The counts come from the rollups (`rollup`), from the history (`history`) or from a
closed period (`closing`); this module only adds them up and derives the rest.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from workflow.areas.models import Province
from workflow.charts import percent
from workflow.codes import MAX_ID, parse_number
from workflow.models import Agency, Category
from workflow.models import reports as stored
from workflow.models.petitions import Channel
from workflow.reports import db
from workflow.reports.periods import Period


@dataclass
class Figures:
    carried_over: int = 0
    received: int = 0
    reopened: int = 0
    moved_in: int = 0
    moved_out: int = 0
    not_accepted: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    ended_otherwise: int = 0
    working_days: int = 0
    case_breaches: int = 0
    triage_breaches: int = 0
    accept_breaches: int = 0
    reply_lapses: int = 0
    open_within: int = 0
    open_overdue: int = 0
    open_waiting: int = 0

    # What happened in the period, and the stocks at its end.
    FLOWS = stored.FLOWS
    STOCKS = stored.STOCKS
    STORED = ("carried_over", *FLOWS, *STOCKS)

    @classmethod
    def from_values(cls, values) -> "Figures":
        """From values in STORED order."""
        return cls(**dict(zip(cls.STORED, (int(v) for v in values), strict=True)))

    @classmethod
    def from_dict(cls, counts: dict) -> "Figures":
        return cls(**{name: int(counts.get(name, 0)) for name in cls.STORED})

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.STORED}

    def is_zero(self) -> bool:
        return not any(getattr(self, name) for name in self.STORED)

    def add(self, other: "Figures") -> None:
        for name in self.STORED:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def to_handle(self) -> int:
        """Carried over, received, reopened and moved in, less moved out."""
        return (
            self.carried_over
            + self.received
            + self.reopened
            + self.moved_in
            - self.moved_out
        )

    @property
    def resolved(self) -> int:
        return self.resolved_on_time + self.resolved_late

    @property
    def open_at_end(self) -> int:
        return self.open_within + self.open_overdue + self.open_waiting

    @property
    def on_time_rate(self) -> float | None:
        """Resolved on time per resolved, in percent (None before any answer)."""
        return 100 * self.resolved_on_time / self.resolved if self.resolved else None

    @property
    def on_time_rate_text(self) -> str:
        return percent(self.on_time_rate)

    @property
    def average_working_days(self) -> float | None:
        return self.working_days / self.resolved if self.resolved else None

    def is_balanced(self) -> bool:
        """To handle = not accepted + resolved + ended otherwise + still open."""
        return self.to_handle == (
            self.not_accepted + self.resolved + self.ended_otherwise + self.open_at_end
        )


DIMENSIONS = ("agency", "province", "category", "channel")
DIMENSION_LABELS = {
    "agency": _("Đơn vị"),
    "province": _("Tỉnh, thành phố"),
    "category": _("Lĩnh vực"),
    "channel": _("Kênh tiếp nhận"),
}
TRIAGE_DESK = _("Chưa có đơn vị (chờ phân loại)")


@dataclass
class Row:
    key: str  # the agency's, province's or category's id, a channel's code; "" none
    name: str
    figures: Figures

    @property
    def link_key(self) -> str:
        return self.key or "none"


@dataclass
class Table:
    dimension: str
    rows: list[Row]
    total: Figures = field(default_factory=Figures)

    @property
    def label(self) -> str:
        return str(DIMENSION_LABELS[self.dimension])


@dataclass
class Report:
    period: Period
    tables: dict[str, Table]
    total: Figures
    closed: Any = None  # the ClosedPeriod the figures were read from, if any


def build_report(period: Period, counts: dict, *, closed=None) -> Report:
    """Name and sort the rows of {dimension: {key: Figures}}; add the totals."""
    tables = {}
    for dimension in DIMENSIONS:
        by_key = counts.get(dimension, {})
        names = names_of(dimension, by_key)
        rows = [Row(key, names.get(key, key), f) for key, f in by_key.items()]
        rows.sort(key=lambda row: (row.key == "", str(row.name)))
        table = Table(dimension=dimension, rows=rows)
        for row in rows:
            table.total.add(row.figures)
        tables[dimension] = table
    total = counts.get("total", {}).get("", Figures())
    return Report(period=period, tables=tables, total=total, closed=closed)


def names_of(dimension: str, keys) -> dict:
    """Display names of the keys of one dimension (one query at most)."""
    # Keys come from URLs too: only ASCII numbers name a unit (workflow.codes).
    ids = [
        number
        for number in (parse_number(key, maximum=MAX_ID) for key in keys)
        if number is not None
    ]
    if dimension == "agency":
        names = db.using(Agency.objects.filter(pk__in=ids)).values_list("pk", "name")
        found = {str(pk): name for pk, name in names}
        return {"": TRIAGE_DESK, **found}
    if dimension == "province":
        names = db.using(Province.objects.filter(pk__in=ids)).values_list("pk", "name")
        return {str(pk): name for pk, name in names}
    if dimension == "category":
        english = (get_language() or "").startswith("en")
        rows = db.using(Category.objects.filter(pk__in=ids)).values_list(
            "pk", "name", "name_en"
        )
        return {str(pk): (en if english and en else vi) for pk, vi, en in rows}
    if dimension == "channel":
        return {key: Channel(key).label for key in keys if key in Channel.values}
    return {}
