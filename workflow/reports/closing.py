"""Closing a period (chốt số liệu): its figures stored once, and proved later.

A closed period's figures are computed from the history as known at its end
(`workflow.reports.history`) and stored with the history they came from: how many
entries were dated before the end and a digest of each petition's last one. The
row can never change (a trigger refuses UPDATE and DELETE). `verify_closed`
recomputes both from today's history: an entry written after the period ended
changes nothing, while an entry altered, removed or slipped in before the end
shows up as a difference.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from workflow.errors import InvalidInput, NotAllowedNow
from workflow.models import ClosedPeriod
from workflow.reports import history
from workflow.reports.figures import Figures
from workflow.reports.periods import Period


def stored(counts: dict) -> dict:
    return {
        dimension: {key: figures.as_dict() for key, figures in sorted(rows.items())}
        for dimension, rows in sorted(counts.items())
    }


def figures_of(closed: ClosedPeriod) -> dict:
    """{dimension: {key: Figures}} as stored when the period was closed."""
    return {
        dimension: {key: Figures.from_dict(counts) for key, counts in rows.items()}
        for dimension, rows in closed.figures.items()
    }


def find_closed(period: Period):
    from workflow.reports import db

    return (
        db.using(ClosedPeriod.objects.select_related("closed_by"))
        .filter(start_on=period.start_on, end_on=period.end_on)
        .first()
    )


def close_period(period: Period, *, user=None, now) -> ClosedPeriod:
    """Store the period's figures as of its end; once per period, after it ended."""
    if not period.has_ended(now):
        raise InvalidInput(
            f"The period {period.start_on:%d/%m/%Y}–{period.end_on:%d/%m/%Y} has "
            "not ended yet; it can be closed from the day after its last day.",
            field="end_on",
        )
    if ClosedPeriod.objects.filter(
        start_on=period.start_on, end_on=period.end_on
    ).exists():
        raise NotAllowedNow("This period is already closed; its figures stay.")
    counts, entries, digest = history.figures_as_of_end(period)
    already = NotAllowedNow("This period is already closed; its figures stay.")
    try:
        with transaction.atomic():
            return ClosedPeriod.objects.create(
                start_on=period.start_on,
                end_on=period.end_on,
                closed_at=now,
                closed_by=user,
                history_entries=entries,
                history_digest=digest,
                figures=stored(counts),
            )
    except IntegrityError:
        raise already from None


@dataclass
class Verification:
    closed: ClosedPeriod
    entries_now: int
    digest_now: str
    differences: list[str] = field(default_factory=list)

    @property
    def history_matches(self) -> bool:
        return (
            self.entries_now == self.closed.history_entries
            and self.digest_now == self.closed.history_digest
        )

    @property
    def matches(self) -> bool:
        return self.history_matches and not self.differences


def verify_closed(closed: ClosedPeriod) -> Verification:
    """Recompute a closed period from the history and compare, cell by cell."""
    period = Period(closed.start_on, closed.end_on)
    counts, entries, digest = history.figures_as_of_end(period)
    check = Verification(closed=closed, entries_now=entries, digest_now=digest)
    now, then = stored(counts), closed.figures
    for dimension in sorted(set(now) | set(then)):
        rows_now, rows_then = now.get(dimension, {}), then.get(dimension, {})
        for key in sorted(set(rows_now) | set(rows_then)):
            cells_now, cells_then = rows_now.get(key, {}), rows_then.get(key, {})
            for name in Figures.STORED:
                before, after = cells_then.get(name, 0), cells_now.get(name, 0)
                if before != after:
                    check.differences.append(
                        f"{dimension} {key or '-'}: {name} {before} → {after}"
                    )
    return check
