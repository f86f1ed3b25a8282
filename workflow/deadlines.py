"""Working-day and SLA deadline arithmetic: pure rules, no ORM, no clock.

Every moment comes in as an aware datetime and goes out as an aware UTC datetime.
Days are always the local dates of Asia/Ho_Chi_Minh, whatever the server's time
zone (the healthchecks back-to-UTC rule).

Legal frame (sources in shared/research/domain-vn-pakn.md):
- Civil Code 2015 (91/2015/QH13) art. 147: a period counted in days starts on the
  day after the event, so the day of receipt is not counted.
- Civil Code art. 148: a period ends at 24:00 of its last day; a last day that is a
  weekly rest day or a public holiday moves to the end of the next working day.
- Decree 20/2008/NĐ-CP as amended by Decree 92/2017/NĐ-CP: a petition outside the
  agency's competence is forwarded within 5 working days of receipt; Circular
  02/2017/TT-VPCP: the answer is due within 20 (plain) days of receipt.
- Labour Code 2019 arts. 111–112 and the Government's yearly decisions: the public
  holidays and the swapped working days ("ngày làm bù").
"""

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Units of an SLA target.
WORKING_DAYS = "working_days"
DAYS = "days"
UNITS = (WORKING_DAYS, DAYS)

# Kinds of clock events.
START = "start"
PAUSE = "pause"
RESUME = "resume"
STOP = "stop"
EXTEND = "extend"
EVENT_KINDS = (START, PAUSE, RESUME, STOP, EXTEND)

# Values of sla_status().
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OVERDUE = "overdue"
PAUSED = "paused"
MET = "met"

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


@functools.lru_cache(maxsize=32)
def _public_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Vietnam's public days off and swapped working weekend days in one year.

    Both come from the `holidays` package. It lists the statutory holidays, the
    compensation days, and the Government's swaps: a weekday off traded for a
    Saturday worked, e.g. Monday 31/8/2026 off for Saturday 22/8/2026 worked. The
    worked Saturdays are not holidays, so the package answers for them only through
    is_working_day(); they are read that way rather than from its internals.
    """
    # Neighbouring years are loaded too, because a swap can cross New Year
    # (31/12/2018 off for Saturday 5/1/2019 worked; vacanza/holidays#2196).
    public = holidays.country_holidays(
        "VN", language="vi", years=range(year - 1, year + 2)
    )
    days_off = frozenset(day for day in public if day.year == year)
    first = date(year, 1, 1)
    year_days = (first + timedelta(days=n) for n in range(366))
    worked_weekend_days = frozenset(
        day
        for day in year_days
        if day.year == year
        and day.weekday() >= _SATURDAY
        and public.is_working_day(day)
    )
    return days_off, worked_weekend_days


@dataclass(frozen=True)
class WorkingCalendar:
    """The public-sector working calendar, with the admin's exceptions on top.

    A working day is Monday to Friday, minus Vietnamese public holidays and
    Government days off, plus the Saturdays the Government swapped into working
    days (Labour Code 2019 arts. 111–112). The admin's exceptions win over the
    package in both directions, because swap decisions are published late and
    package releases lag behind them.

    end_of_day is the local time at which a due day ends. None means 24:00 (Civil
    Code art. 148), so the deadline is 00:00 of the next local day.
    """

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    end_of_day: time | None = None

    def __post_init__(self) -> None:
        # Callers may pass sets or query results; the calendar must stay hashable.
        object.__setattr__(self, "extra_days_off", frozenset(self.extra_days_off))
        object.__setattr__(
            self, "extra_working_days", frozenset(self.extra_working_days)
        )
        if clash := self.extra_days_off & self.extra_working_days:
            raise ValueError(f"days both off and working: {sorted(clash)}")
        if self.end_of_day is not None and (
            self.end_of_day.tzinfo is not None or self.end_of_day == time.min
        ):
            raise ValueError("end_of_day is a naive local time after 00:00")

    def is_working_day(self, day: date) -> bool:
        """Whether staff work on this local date."""
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        days_off, worked_weekend_days = _public_calendar(day.year)
        if day.weekday() >= _SATURDAY:
            return day in worked_weekend_days
        return day not in days_off

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def working_days_between(self, start_on: date, end_on: date) -> int:
        """The number of working days in (start_on, end_on]; 0 when end_on <= start_on.

        The left end is open for the same reason the day of receipt is not
        counted (Civil Code art. 147).
        """
        if end_on <= start_on:
            return 0
        # From running counts per year, not day by day: a queue of old overdue
        # petitions asks this across years for every row it shows.
        count = _working_days_through(self, end_on.year)[_day_of_year(end_on)]
        for year in range(start_on.year, end_on.year):
            count += _working_days_through(self, year)[-1]
        return (
            count - _working_days_through(self, start_on.year)[_day_of_year(start_on)]
        )


def _day_of_year(day: date) -> int:
    return (day - date(day.year, 1, 1)).days


@functools.lru_cache(maxsize=256)
def _working_days_through(calendar: WorkingCalendar, year: int) -> tuple[int, ...]:
    """Working days from 1 January of `year` up to each of its days, inclusive."""
    counts, count, day = [], 0, date(year, 1, 1)
    while day.year == year:
        count += calendar.is_working_day(day)
        counts.append(count)
        day += _ONE_DAY
    return tuple(counts)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")


def _require_target(amount: int, unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")
    if amount < 1:
        raise ValueError(f"an SLA target needs at least 1 {unit}, got {amount}")


def _local_date(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


@functools.lru_cache(maxsize=4096)
def _day_start(day: date) -> datetime:
    """00:00 local of `day`, in UTC (cached: warnings walk every day of a target)."""
    return datetime.combine(day, time.min, tzinfo=VIETNAM).astimezone(UTC)


def _deadline(due_on: date, calendar: WorkingCalendar) -> datetime:
    """The moment the due day ends, in UTC."""
    if calendar.end_of_day is None:
        # 24:00 is stored as 00:00 of the next day, never 23:59:59, so nothing is
        # off by a second at the boundary (Zammad #3180).
        return _day_start(due_on + _ONE_DAY)
    return datetime.combine(due_on, calendar.end_of_day, tzinfo=VIETNAM).astimezone(UTC)


def _roll_forward(day: date, calendar: WorkingCalendar) -> date:
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


def _count_forward(
    from_on: date, amount: int, unit: str, calendar: WorkingCalendar
) -> date:
    """The last day of a period of `amount` units that begins after `from_on`.

    Amount 0 (a remainder that ran out) gives `from_on` itself, or the next
    working day if `from_on` is a day off.
    """
    if unit == DAYS or amount == 0:
        # Civil Code art. 148(5): a last day off moves to the next working day.
        return _roll_forward(from_on + timedelta(days=amount), calendar)
    day = from_on
    for _ in range(amount):
        day = calendar.next_working_day(day)
    return day


def _units_left(on: date, due_on: date, unit: str, calendar: WorkingCalendar) -> int:
    """Whole units after the local date `on` up to and including the due day.

    The day `on` itself is lost to the agency: it had that day.
    """
    if unit == WORKING_DAYS:
        return calendar.working_days_between(on, due_on)
    return max(0, (due_on - on).days)


def due_on(deadline: datetime, calendar: WorkingCalendar) -> date:
    """The local due day whose end is `deadline`.

    With the default end of day (24:00) the deadline is 00:00 of the next local
    day, so the due day is the day before the deadline's local date.
    """
    _require_aware(deadline, "deadline")
    local = deadline.astimezone(VIETNAM)
    if calendar.end_of_day is None:
        return (local - timedelta(microseconds=1)).date()
    return local.date()


def due_at(
    start: datetime, amount: int, unit: str, calendar: WorkingCalendar
) -> datetime:
    """The deadline of a target of `amount` units counted from `start`, in UTC.

    Civil Code 2015 arts. 147–148: the day of receipt (the local date of `start`)
    is not counted. In working days the period ends on the Nth working day after
    it. In plain days it ends N days after it, moved to the next working day when
    that day is off. The period ends at the end of that day (24:00 unless the
    calendar says otherwise). Examples: forwarding within 5 working days (Decree
    20/2008/NĐ-CP as amended by 92/2017/NĐ-CP); an answer within 20 days.
    """
    _require_aware(start, "start")
    _require_target(amount, unit)
    last_day = _count_forward(_local_date(start), amount, unit, calendar)
    return _deadline(last_day, calendar)


@dataclass(frozen=True)
class ClockEvent:
    """One entry of a clock's append-only event record.

    kind is one of EVENT_KINDS; `days` is the length of an extension, in the
    target's unit.
    """

    kind: str
    at: datetime
    days: int = 0


@dataclass(frozen=True)
class ClockTimes:
    """Where a clock's moments fall, derived from its events (all UTC).

    due_at and original_due_at (the deadline without extensions) are None while
    paused, except when the pause came after that deadline had passed: an overdue
    deadline stays visible. remaining_days is the number of whole units left while
    paused. warn_at and last_day_warn_at are None while paused or stopped.
    """

    started_at: datetime
    due_at: datetime | None
    original_due_at: datetime | None
    warn_at: datetime | None
    last_day_warn_at: datetime | None
    paused: bool
    stopped_at: datetime | None
    remaining_days: int | None


def _resume(
    due_day: date,
    paused_at: datetime,
    resumed_at: datetime,
    unit: str,
    calendar: WorkingCalendar,
) -> date:
    """The due day after a pause, laid out again from the resume.

    The units left after the pause day are counted from the resume day with the
    Civil Code rule (the resume day is not counted). A pause and resume on the
    same local date therefore give back exactly the old due day, and repeated
    cycles cannot drift.
    """
    if paused_at >= _deadline(due_day, calendar):
        # The deadline had already passed: pausing cannot suspend a breach.
        return due_day
    left = _units_left(_local_date(paused_at), due_day, unit, calendar)
    return _count_forward(_local_date(resumed_at), left, unit, calendar)


def _working_pieces(
    start: datetime, end: datetime, calendar: WorkingCalendar
) -> Iterator[tuple[datetime, datetime]]:
    """The parts of [start, end) that fall on working days, in order."""
    day = _local_date(start)
    while (day_start := _day_start(day)) < end:
        piece_start = max(start, day_start)
        piece_end = min(end, _day_start(day + _ONE_DAY))
        if piece_start < piece_end and calendar.is_working_day(day):
            yield piece_start, piece_end
        day += _ONE_DAY


def _warnings(
    stretches: list[tuple[datetime, datetime]],
    started_at: datetime,
    due_day: date,
    calendar: WorkingCalendar,
) -> tuple[datetime | None, datetime | None]:
    """The 75 % warning and the last-day warning of a running clock.

    The allowed time is the working time (whole working dates, 00:00–24:00 local)
    of the active stretches, the last one ending at the current deadline; paused
    time never counts. warn_at is where 75 % of it has been used. The last-day
    warning falls at 00:00 local of the due day, when exactly one working day of
    time is left: staff then still have the whole due day. A target too short to
    tell the two apart only gets the 75 % warning.
    """
    pieces = [
        piece
        for start, end in stretches
        for piece in _working_pieces(start, end, calendar)
    ]
    allowed = sum((end - start for start, end in pieces), timedelta())
    if not allowed:
        return None, None
    needed = allowed * 3 / 4
    warn_at = pieces[-1][1]
    for start, end in pieces:
        if end - start >= needed:
            warn_at = start + needed
            break
        needed -= end - start
    last_day_warn_at = _day_start(due_day)
    # At 00:00 it is never after a 75 % warning on the same local date, so this
    # also drops it when both would fall on one day.
    if last_day_warn_at <= max(started_at, warn_at):
        return warn_at, None
    return warn_at, last_day_warn_at


def lay_out_clock(
    events: Sequence[ClockEvent], amount: int, unit: str, calendar: WorkingCalendar
) -> ClockTimes:
    """Lay a clock's times out; see _lay_out_clock.

    A pure function of immutable arguments, so repeats are answered from a cache:
    a batch of petitions received together starts its clocks at one moment, on a
    handful of targets and calendars.
    """
    return _lay_out_clock(tuple(events), amount, unit, calendar)


@functools.lru_cache(maxsize=1024)
def _lay_out_clock(
    events: tuple[ClockEvent, ...], amount: int, unit: str, calendar: WorkingCalendar
) -> ClockTimes:
    """Lay a clock's deadline and warnings out on the calendar from its events.

    The deadline is due_at() of the start (Civil Code arts. 147–148). A pause (the
    petition awaits the submitter's information) keeps the whole units left after
    the pause day; the resume lays them out again from the resume day with the
    same rule. An extension adds its days to the deadline; the original deadline
    is kept. A stop ends the clock and keeps the deadline it had, so the caller
    can judge stopped_at <= due_at. Events are sorted by time (stably), and the
    first must be the only start.
    """
    _require_target(amount, unit)
    ordered = sorted(events, key=lambda event: event.at)
    for event in ordered:
        _require_aware(event.at, f"{event.kind} event time")
        if event.kind not in EVENT_KINDS:
            raise ValueError(f"unknown clock event {event.kind!r}")
    if not ordered or ordered[0].kind != START:
        raise ValueError("a clock needs a start event before any other event")

    started_at = ordered[0].at.astimezone(UTC)
    due_day = _count_forward(_local_date(started_at), amount, unit, calendar)
    # The original deadline goes through the same pauses, but no extensions.
    original_due_day = due_day
    running_since: datetime = started_at
    paused_at: datetime | None = None
    stopped_at: datetime | None = None
    stretches: list[tuple[datetime, datetime]] = []
    for event in ordered[1:]:
        at = event.at.astimezone(UTC)
        if stopped_at is not None:
            raise ValueError(f"{event.kind} event after the clock stopped")
        if event.kind == START:
            raise ValueError("a clock has one start; a reopen starts a new clock")
        if event.kind == PAUSE:
            if paused_at is not None:
                raise ValueError("pause of a clock that is already paused")
            stretches.append((running_since, at))
            paused_at = at
        elif event.kind == RESUME:
            if paused_at is None:
                raise ValueError("resume of a clock that is not paused")
            due_day = _resume(due_day, paused_at, at, unit, calendar)
            original_due_day = _resume(original_due_day, paused_at, at, unit, calendar)
            running_since, paused_at = at, None
        elif event.kind == EXTEND:
            if event.days < 1:
                raise ValueError(f"an extension needs at least 1 {unit}")
            # While paused this extends the deadline the pause started from, which
            # the resume then lays out again: the same as extending before pausing.
            due_day = _count_forward(due_day, event.days, unit, calendar)
        else:
            stopped_at = at

    deadline = _deadline(due_day, calendar)
    original_deadline = _deadline(original_due_day, calendar)
    if paused_at is None:
        warn_at = last_day_warn_at = None
        # A clock resumed after its deadline is overdue: warnings no longer apply.
        if stopped_at is None and running_since < deadline:
            warn_at, last_day_warn_at = _warnings(
                [*stretches, (running_since, deadline)], started_at, due_day, calendar
            )
        return ClockTimes(
            started_at=started_at,
            due_at=deadline,
            original_due_at=original_deadline,
            warn_at=warn_at,
            last_day_warn_at=last_day_warn_at,
            paused=False,
            stopped_at=stopped_at,
            remaining_days=None,
        )

    is_overdue = paused_at >= deadline
    return ClockTimes(
        started_at=started_at,
        due_at=deadline if is_overdue else None,
        original_due_at=original_deadline if paused_at >= original_deadline else None,
        warn_at=None,
        last_day_warn_at=None,
        paused=True,
        stopped_at=stopped_at,
        remaining_days=(
            0
            if is_overdue
            else _units_left(_local_date(paused_at), due_day, unit, calendar)
        ),
    )


def sla_status(times: ClockTimes, now: datetime) -> str:
    """How a clock stands at `now`: on_track, at_risk, overdue, paused or met.

    Overdue once now is past the deadline, or when the clock stopped after it. A
    clock stopped on time, or while paused before its deadline, is met. At risk
    from the 75 % warning or the last-day warning on.
    """
    _require_aware(now, "now")
    if times.stopped_at is not None:
        is_late = times.due_at is not None and times.stopped_at > times.due_at
        return OVERDUE if is_late else MET
    if times.due_at is not None and now > times.due_at:
        return OVERDUE
    if times.paused:
        return PAUSED
    for warning_at in (times.warn_at, times.last_day_warn_at):
        if warning_at is not None and now >= warning_at:
            return AT_RISK
    return ON_TRACK


# --- deadlines as people read them ----------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A deadline as people read it: its last day, and the hour where a calendar
    ends its days before midnight ("hết ngày 16/12/2026", not "17/12/2026 00:00")."""

    last_day: date
    ends_at: str | None = None  # "17:00"; None: at the end of the day (24:00)


def deadline_as_read(deadline: datetime) -> Deadline:
    """The last day of a stored deadline, and its hour unless the day ends at 24:00.

    Civil Code art. 148: a period ends at 24:00 of its last day, stored as 00:00 of
    the next day (see `_deadline`). A calendar's own end of day is never 00:00, so
    a local midnight always means "the end of the day before".
    """
    _require_aware(deadline, "deadline")
    local = deadline.astimezone(VIETNAM)
    if local.time() == time.min:
        return Deadline(last_day=local.date() - _ONE_DAY)
    return Deadline(last_day=local.date(), ends_at=local.strftime("%H:%M"))


@dataclass(frozen=True)
class DaysLeft:
    """Working days from today to a deadline, or past it."""

    days: int
    is_overdue: bool


def working_days_left(
    deadline: datetime, now: datetime, calendar: WorkingCalendar
) -> DaysLeft:
    """Working days after today up to the due day ("còn 3 ngày làm việc"), or, once
    the deadline has passed, working days after the due day up to today ("quá hạn
    2 ngày làm việc").

    Today is not counted either way, as the day of receipt is not (Civil Code
    art. 147): 0 left means the deadline ends today; 0 overdue means it passed
    today, or only days off have gone by since.
    """
    _require_aware(deadline, "deadline")
    _require_aware(now, "now")
    today, last_day = _local_date(now), deadline_as_read(deadline).last_day
    if now < deadline:
        return DaysLeft(calendar.working_days_between(today, last_day), False)
    return DaysLeft(calendar.working_days_between(last_day, today), True)
