"""The auditor report of a period: stored when it is closed, else from the rollups."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext

from workflow.reports import closing, rollup
from workflow.reports.figures import Report, build_report
from workflow.reports.periods import Period


def auditor_report(period: Period) -> Report:
    """The figures of the period per agency, province, category and channel.

    A closed period is read as it was stored; any other from the rollups, which
    the history keeps exact.
    """
    closed = closing.find_closed(period)
    if closed is not None:
        return build_report(period, closing.figures_of(closed), closed=closed)
    return build_report(period, rollup.period_figures(period))


@dataclass(frozen=True)
class WeekCount:
    week_start: date
    count: int

    @property
    def label(self) -> str:
        """The ISO week, as exports write it (2026-W36)."""
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def shown_label(self) -> str:
        """The week as people read it: "Tuần 36 (từ 31/08/2026)"."""
        return str(gettext("Tuần %(week)d (từ %(day)s)")) % {
            "week": self.week_start.isocalendar()[1],
            "day": self.week_start.strftime("%d/%m/%Y"),
        }


def breach_weeks(period: Period) -> list[WeekCount]:
    """Case deadlines breached per ISO week of the period (the sweep's record).

    Every week is listed, zero included, so a chart shows the gaps.
    """
    by_day = rollup.case_breaches_by_day(period)
    first = period.start_on - timedelta(days=period.start_on.weekday())
    weeks, day = [], first
    while day <= period.end_on:
        week = [day + timedelta(days=n) for n in range(7)]
        weeks.append(WeekCount(day, sum(by_day.get(d, 0) for d in week)))
        day += timedelta(days=7)
    return weeks
