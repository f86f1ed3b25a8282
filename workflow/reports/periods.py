"""Report periods: local dates, both ends included, and the months /stats/ shows."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from workflow.deadlines import VIETNAM

# The auditor report's period when none is chosen: the last 90 days, today included.
DEFAULT_DAYS = 90


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def local_today(now) -> date:
    return now.astimezone(VIETNAM).date()


@dataclass(frozen=True)
class Period:
    """From 00:00 of start_on to 24:00 of end_on, Hà Nội time.

    Flows count what was recorded in the period; stocks are counted at its start
    (carried over) and at its end, as the history knew them then.
    """

    start_on: date
    end_on: date

    def __post_init__(self):
        if self.start_on > self.end_on:
            raise ValueError(f"a period cannot end before it starts: {self}")

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.start_on)

    @property
    def end_at(self) -> datetime:
        return local_midnight(self.end_on + timedelta(days=1))

    @property
    def slug(self) -> str:
        return f"{self.start_on.isoformat()}_{self.end_on.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1

    def has_ended(self, now) -> bool:
        return self.end_at <= now

    @classmethod
    def last_days(cls, days: int, *, now) -> "Period":
        """The last `days` days, today included."""
        today = local_today(now)
        return cls(today - timedelta(days=days - 1), today)

    @classmethod
    def default(cls, *, now) -> "Period":
        return cls.last_days(DEFAULT_DAYS, now=now)

    @classmethod
    def month(cls, first: date) -> "Period":
        return cls(first, next_month(first) - timedelta(days=1))


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    first = month_start(day)
    return (first + timedelta(days=32)).replace(day=1)


def months_back(last: date, count: int) -> list[date]:
    """The first days of `count` months up to the month of `last`, oldest first."""
    months, first = [], month_start(last)
    for _ in range(count):
        months.append(first)
        first = month_start(first - timedelta(days=1))
    return months[::-1]
