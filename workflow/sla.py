"""SLA clocks: started, paused and stopped as a petition moves; shown as a status.

Three clocks per petition (Decree 20/2008/NĐ-CP as amended by Decree 92/2017/NĐ-CP,
Circular 02/2017/TT-VPCP): triage (forward to the competent agency, from receipt),
acceptance (from each assignment to an agency) and answer (the case deadline, from
receipt; a transfer does not reset it, so no agency escapes a deadline by passing the
case on). Each clock's times are laid out by `deadlines.lay_out_clock` from its
append-only events; nothing is counted down.

Services call `on_steps()` inside their transaction, with the petition locked.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from functools import cached_property
from typing import Protocol

from django.conf import settings
from django.db import connection

from config.bulk import copy_values, insert_rows, new_row
from workflow.deadlines import (
    AT_RISK,
    DAYS,
    EXTEND,
    MET,
    ON_TRACK,
    OVERDUE,
    PAUSE,
    PAUSED,
    RESUME,
    START,
    STOP,
    VIETNAM,
    WORKING_DAYS,
    DaysLeft,
    WorkingCalendar,
    due_at,
    lay_out_clock,
    working_days_left,
)
from workflow.deadlines import ClockEvent as Event
from workflow.models.agencies import Agency, SlaTarget
from workflow.models.petitions import OPEN_STATES, Action, Petition, Priority, State
from workflow.models.sla import Clock
from workflow.reference import Reference, reference

TRIAGE, ACCEPT, ANSWER = Clock.Kind.TRIAGE, Clock.Kind.ACCEPT, Clock.Kind.ANSWER

# Targets when a category sets none: forward within 5 working days and answer within
# 20 days (Decree 20/2008 art. 10 and 14 as amended); accept within 2 working days.
DEFAULT_TARGETS: dict[str, tuple[int, str]] = {
    TRIAGE: (5, WORKING_DAYS),
    ACCEPT: (2, WORKING_DAYS),
    ANSWER: (20, DAYS),
}
# While overdue, the handler owes the submitter a progress update this often.
PROGRESS_EVERY = timedelta(days=7)
# Warnings go out in office hours; a warning due at night waits until morning.
OFFICE_OPENS, OFFICE_CLOSES = time(8, 0), time(17, 0)
NATIONAL_CALENDAR = "Lịch làm việc quốc gia"


# --- what a step of the lifecycle does to the clocks -------------------------------

# (action, state after the step) → clock operations, in order. One table so that
# every rule about when clocks run lives here.
STEPS: dict[str, list[tuple[str, str]]] = {
    Action.SUBMIT: [(START, TRIAGE), (START, ANSWER)],
    Action.TRIAGE: [(STOP, TRIAGE), (START, ACCEPT)],
    Action.TRANSFER: [(STOP, ACCEPT), (START, ACCEPT)],
    Action.RETURN_TO_TRIAGE: [(STOP, ACCEPT), (START, TRIAGE)],
    Action.ACCEPT: [(STOP, ACCEPT)],
    Action.REQUEST_INFO: [(PAUSE, ANSWER)],
    Action.PROVIDE_INFO: [(RESUME, ANSWER)],
    Action.REOPEN: [(START, ANSWER)],
}
# Steps after which the petition no longer waits for anyone: every clock stops.
FINAL_ACTIONS = {
    Action.REJECT,
    Action.WITHDRAW,
    Action.MERGE,
    Action.EXPIRE,
    Action.CLOSE,
}
# Steps that stop every clock once the answer has gone out (not while in review).
ANSWER_ACTIONS = {Action.ANSWER, Action.APPROVE_ANSWER}


def on_steps(petition: Petition, *, actions: Sequence[str], now: datetime) -> None:
    """Apply lifecycle steps to the petition's clocks and refresh its SLA fields.

    An answer stops the answer clock only when it goes out: while a supervisor
    reviews it (answer_review) the submitter is still waiting.
    """
    ledger = plan_steps(petition, actions=actions, now=now)
    if ledger is not None:
        save_ledgers([ledger])


def plan_steps(
    petition: Petition,
    *,
    actions: Sequence[str],
    now: datetime,
    ref: Reference | None = None,
    times: Sequence[datetime] | None = None,
) -> "_Ledger | None":
    """The clock changes of these steps, laid out in memory (save_ledgers writes).

    `times` is the moment of each step when they differ from `now`: a petition
    entered by staff was received before it was entered, and its clocks start then.
    """
    times = times or [now] * len(actions)
    steps = [
        (at, op)
        for action, at in zip(actions, times, strict=True)
        for op in _operations(petition, action)
    ]
    if not steps:
        return None
    # A petition being received has no clocks yet: no need to look.
    ledger = _Ledger(petition, now, None, empty=Action.SUBMIT in actions, ref=ref)
    for at, (operation, kind) in steps:
        ledger.now = at
        if operation == START:
            ledger.start(kind)
        else:
            ledger.append(kind, operation)
    ledger.now = now
    refresh_petition(petition, ledger.running())
    return ledger


def save_ledgers(ledgers: Iterable["_Ledger"]) -> None:
    """Write the clocks and events of many ledgers: one COPY each for all."""
    insert_rows(Clock, [c for ledger in ledgers for c in ledger.created])
    for ledger in ledgers:
        for clock in ledger.changed:
            clock.save(update_fields=CLOCK_TIMES)
    copy_values(
        "workflow_clockevent",
        ["clock_id", "kind", "at", "days"],
        [
            (clock.pk, e.kind, e.at, e.days)
            for ledger in ledgers
            for clock, e in ledger.new_events
        ],
    )


def _operations(petition: Petition, action: str) -> list[tuple[str, str]]:
    if action in FINAL_ACTIONS or (
        action in ANSWER_ACTIONS and petition.state == State.ANSWERED
    ):
        return [(STOP, kind) for kind in (TRIAGE, ACCEPT, ANSWER)]
    return STEPS.get(action, [])


def reply_due_at(petition: Petition, now: datetime) -> datetime:
    """When a petition awaiting the submitter's information expires unanswered.

    The period (settings.SLA_INFO_REPLY_WORKING_DAYS) counts like every other:
    the day of the question is not counted.
    """
    days = settings.SLA_INFO_REPLY_WORKING_DAYS
    return due_at(now, days, WORKING_DAYS, calendar_for(petition.agency))


def extend_answer_clock(
    petition: Petition, *, days: int, now: datetime
) -> Clock | None:
    """Add `days` (in the answer target's unit) to the running answer clock."""
    ledger = _Ledger(petition, now, None)
    if ledger.append(ANSWER, EXTEND, days=days) is None:
        return None
    save_ledgers([ledger])
    refresh_petition(petition, ledger.running())
    return ledger.clocks[ANSWER]


def refresh_petition(petition: Petition, running: Iterable[Clock]) -> None:
    """Copy the clocks' times onto the petition (for sorting and badges)."""
    running = list(running)
    answer = next((c for c in running if c.kind == ANSWER), None)
    if answer is not None:
        petition.due_at = answer.due_at
    active = [c for c in running if c.due_at is not None and not c.is_paused]
    petition.next_due_at = min(
        (c.due_at for c in active if c.due_at is not None), default=None
    )
    warnings = [w for c in active for w in (c.warn_at, c.last_day_warn_at) if w]
    petition.next_warn_at = min(warnings, default=None)


SLA_FIELDS = ["due_at", "next_due_at", "next_warn_at", "breached_at"]


class _Ledger:
    """A petition's clocks for one step: read once, changed in memory, written once."""

    def __init__(
        self,
        petition: Petition,
        now: datetime,
        calendar: WorkingCalendar | None,
        empty: bool = False,
        ref: Reference | None = None,
    ) -> None:
        self.petition, self.now = petition, now
        if ref is not None:
            self.reference = ref
        self._calendar = calendar
        self._targets: dict[str, tuple[int, str]] | None = None
        self.cycles: dict[str, int] = {}
        self.clocks: dict[str, Clock] = {}  # the running clock of each kind
        self.events: dict[int, list[Event]] = {}
        self.new_events: list[tuple[Clock, Event]] = []
        self.changed: list[Clock] = []
        self.created: list[Clock] = []
        if not empty:
            for clock in Clock.objects.filter(petition=petition).prefetch_related(
                "events"
            ):
                self.cycles[clock.kind] = max(
                    self.cycles.get(clock.kind, 0), clock.cycle
                )
                if clock.stopped_at is None:
                    self.clocks[clock.kind] = clock
                    self.events[id(clock)] = [
                        Event(e.kind, e.at, e.days) for e in clock.events.all()
                    ]

    @cached_property
    def reference(self) -> Reference:
        return reference()

    @property
    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            self._calendar = calendar_for(self.petition.agency, self.reference)
        return self._calendar

    def start(self, kind: str) -> None:
        if kind in self.clocks:  # a new cycle replaces one still running
            self.append(kind, STOP)
        if self._targets is None:
            self._targets = targets_for(self.petition, self.reference)
        amount, unit = self._targets[kind]
        self.cycles[kind] = self.cycles.get(kind, 0) + 1
        clock = new_row(
            Clock,
            petition=self.petition,
            kind=kind,
            cycle=self.cycles[kind],
            amount=amount,
            unit=unit,
            started_at=self.now,
            agency_id_at_start=self.petition.agency_id,
        )
        self.events[id(clock)] = []
        self.created.append(clock)
        self.clocks[kind] = clock
        self.append(kind, START)

    def append(self, kind: str, operation: str, days: int = 0) -> Clock | None:
        clock = self.clocks.get(kind)
        if clock is None:
            return None
        event = Event(operation, self.now, days)
        self.events[id(clock)].append(event)
        self.new_events.append((clock, event))
        lay_out(clock, self.calendar, now=self.now, events=self.events[id(clock)])
        if clock not in self.created and clock not in self.changed:
            self.changed.append(clock)
        if operation == STOP:
            del self.clocks[kind]
        return clock

    def running(self) -> list[Clock]:
        return list(self.clocks.values())


CLOCK_TIMES = [
    "due_at",
    "original_due_at",
    "warn_at",
    "last_day_warn_at",
    "is_paused",
    "stopped_at",
    "next_check_at",
]


def lay_out(
    clock: Clock,
    calendar: WorkingCalendar,
    *,
    now: datetime,
    events: list[Event] | None = None,
) -> None:
    """Recompute the clock's stored times from its events, target and calendar.

    A clock stopped after its deadline whose breach the sweep has not yet recorded
    (the sweep was down) keeps a check time, so the breach is still recorded.
    """
    if events is None:
        events = [
            Event(e.kind, e.at, e.days) for e in clock.events.order_by("at", "id")
        ]
    times = lay_out_clock(events, clock.amount, clock.unit, calendar)
    clock.due_at = times.due_at
    clock.original_due_at = times.original_due_at
    clock.warn_at = times.warn_at
    clock.last_day_warn_at = times.last_day_warn_at
    clock.is_paused = times.paused
    clock.stopped_at = times.stopped_at
    clock.next_check_at = next_check(clock, now)


class ClockTimes(Protocol):
    """What next_check reads: a Clock, or the sweep's copy of one (DueClock)."""

    @property
    def due_at(self) -> datetime | None: ...
    @property
    def warn_at(self) -> datetime | None: ...
    @property
    def last_day_warn_at(self) -> datetime | None: ...
    @property
    def is_paused(self) -> bool: ...
    @property
    def stopped_at(self) -> datetime | None: ...
    @property
    def breached_at(self) -> datetime | None: ...


def next_check(clock: ClockTimes, now: datetime) -> datetime | None:
    """The next moment the sweep must look at this clock, or None.

    Pending in order: the 75 % warning, the last-day warning, the breach, then a
    progress reminder every 7 days while the clock runs overdue. Moments already
    passed are included: the sweep records each alert once (unique per clock and kind).
    """
    if clock.due_at is None:
        return None
    if clock.stopped_at is not None:
        late = clock.stopped_at > clock.due_at and clock.breached_at is None
        return clock.due_at if late else None
    if clock.breached_at is None:
        moments = [m for m in (clock.warn_at, clock.last_day_warn_at) if m and m > now]
        return min([*moments, clock.due_at])
    if clock.is_paused:
        return None
    overdue_for = max(now - clock.due_at, timedelta(0))
    return clock.due_at + PROGRESS_EVERY * (overdue_for // PROGRESS_EVERY + 1)


# --- policy and calendar ------------------------------------------------------------


def targets_for(
    petition: Petition, ref: Reference | None = None
) -> dict[str, tuple[int, str]]:
    """The category's target of each clock for the petition's priority.

    An urgent petition uses the urgent target where the category sets one and the
    normal target otherwise; where the category sets none, the legal default.
    """
    rows = (ref or reference()).get(
        ("targets", petition.category_id),
        lambda: list(
            SlaTarget.objects.filter(category_id=petition.category_id).values_list(
                "clock", "priority", "amount", "unit"
            )
        ),
    )
    rows = [row for row in rows if row[1] in (petition.priority, Priority.NORMAL)]
    targets = dict(DEFAULT_TARGETS)
    for clock, _priority, amount, unit in sorted(
        rows, key=lambda row: row[1] == petition.priority
    ):
        targets[clock] = (amount, unit)
    return targets


def calendar_for(
    agency: Agency | None, ref: Reference | None = None
) -> WorkingCalendar:
    """The working calendar of an agency (the national one unless it has its own)."""
    calendar_id = agency.calendar_id if agency is not None else None
    return (ref or reference()).get(
        ("calendar", calendar_id), lambda: _load_calendar(calendar_id)
    )


def national_calendar_now() -> WorkingCalendar:
    """The national calendar as the database has it now, past the process cache."""
    return _load_calendar(None)


def _load_calendar(calendar_id: int | None) -> WorkingCalendar:
    where = "c.id = %s" if calendar_id is not None else "c.name = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.end_of_day, e.day, e.is_working_day FROM workflow_calendar c "
            "LEFT JOIN workflow_calendarexception e ON e.calendar_id = c.id "
            f"WHERE {where}",
            [calendar_id if calendar_id is not None else NATIONAL_CALENDAR],
        )
        rows = cursor.fetchall()
    if not rows:
        return WorkingCalendar()
    return WorkingCalendar(
        extra_days_off=frozenset(d for _, d, working in rows if d and not working),
        extra_working_days=frozenset(d for _, d, working in rows if d and working),
        end_of_day=rows[0][0],
    )


def office_hours_after(moment: datetime, calendar: WorkingCalendar) -> datetime:
    """The first moment in office hours (08:00–17:00 on a working day) from `moment`."""
    local = moment.astimezone(VIETNAM)
    day = local.date()
    if calendar.is_working_day(day) and OFFICE_OPENS <= local.time() < OFFICE_CLOSES:
        return moment
    if not calendar.is_working_day(day) or local.time() >= OFFICE_CLOSES:
        day = calendar.next_working_day(day)
    return datetime.combine(day, OFFICE_OPENS, tzinfo=VIETNAM)


# --- what people see -----------------------------------------------------------------


def days_left(
    petition: Petition,
    deadline: datetime | None,
    now: datetime,
    ref: Reference | None = None,
) -> DaysLeft | None:
    """Working days to one of the petition's deadlines, on its agency's calendar."""
    if deadline is None:
        return None
    return working_days_left(deadline, now, calendar_for(petition.agency, ref))


def sla_status(petition: Petition, now: datetime) -> str:
    """On track, at risk, overdue, paused (waiting for the submitter) or met.

    Overdue is a fact: a petition whose case deadline was ever breached stays
    overdue on screen, whatever it became later.
    """
    if petition.breached_at is not None:
        return OVERDUE
    if petition.state not in OPEN_STATES:
        return MET
    if petition.next_due_at is not None and now > petition.next_due_at:
        return OVERDUE
    if petition.state == State.AWAITING_INFO:
        return PAUSED
    if petition.next_warn_at is not None and now >= petition.next_warn_at:
        return AT_RISK
    return ON_TRACK
