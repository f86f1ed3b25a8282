"""An independent recomputation of the auditor figures from raw rows.

Written apart from workflow.reports on purpose: it shares no rule, no SQL and no
calendar with it. It reads the petitions, their history entries, their clocks and
clock events, lays every deadline out again on its own list of Vietnamese days off,
and counts each column the way docs/staff.md defines it. Tests compare it with the
report; `bench/report_check.py` prints both side by side on the demo data.

Breaches are taken from the clocks (the deadline passed while the clock ran),
not from the sweep's entries: with a sweep that runs on time both agree.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN = {"received", "assigned", "in_progress", "awaiting_info", "answer_review"}

# Weekdays off and worked Saturdays, from the Government's decisions (2025–2027).
DAYS_OFF = {
    date(2025, 1, 1),
    *(date(2025, 1, d) for d in range(27, 32)),
    date(2025, 4, 7),
    date(2025, 4, 30),
    date(2025, 5, 1),
    date(2025, 5, 2),
    date(2025, 9, 1),
    date(2025, 9, 2),
    date(2026, 1, 1),
    *(date(2026, 2, d) for d in range(16, 21)),
    date(2026, 4, 27),
    date(2026, 4, 30),
    date(2026, 5, 1),
    date(2026, 8, 31),
    date(2026, 9, 1),
    date(2026, 9, 2),
    date(2026, 11, 24),
    date(2027, 1, 1),
    *(date(2027, 2, d) for d in (4, 5, 8, 9, 10)),
    date(2027, 4, 16),
    date(2027, 4, 30),
    date(2027, 5, 3),
    date(2027, 9, 2),
    date(2027, 9, 3),
    date(2027, 11, 24),
}
WORKED_SATURDAYS = {date(2025, 4, 26), date(2026, 8, 22)}


def is_working(day: date) -> bool:
    if not date(2025, 1, 1) <= day <= date(2027, 12, 31):
        raise ValueError(f"no calendar for {day}")
    if day in WORKED_SATURDAYS:
        return True
    return day.weekday() < 5 and day not in DAYS_OFF


def local(moment: datetime) -> date:
    return moment.astimezone(HANOI).date()


def working_days_after(first: date, last: date) -> int:
    """Working days in (first, last]."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += is_working(day)
    return count


def forward(day: date, amount: int, unit: str) -> date:
    """The last day of `amount` units counted after `day`."""
    if unit == "days" or amount == 0:
        day += timedelta(days=amount)
        while not is_working(day):
            day += timedelta(days=1)
        return day
    for _ in range(amount):
        day += timedelta(days=1)
        while not is_working(day):
            day += timedelta(days=1)
    return day


def end_of(day: date) -> datetime:
    """24:00 of a local day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=HANOI)


def deadline(clock, events, upto=None):
    """(due moment or None while paused, is_paused) from the events before `upto`."""
    events = [e for e in events if upto is None or e.at < upto]
    due_day = forward(local(clock.started_at), clock.amount, clock.unit)
    paused_at = None
    for event in sorted(events, key=lambda e: (e.at, e.pk)):
        if event.kind == "pause":
            paused_at = event.at
        elif event.kind == "resume":
            if paused_at < end_of(due_day):
                if clock.unit == "days":
                    left = max(0, (due_day - local(paused_at)).days)
                else:
                    left = working_days_after(local(paused_at), due_day)
                due_day = forward(local(event.at), left, clock.unit)
            paused_at = None
        elif event.kind == "extend":
            due_day = forward(due_day, event.days, clock.unit)
    due = end_of(due_day)
    if paused_at is not None and paused_at < due:
        return None, True
    return due, paused_at is not None


def breach_moment(clock, clock_events):
    """When the clock's deadline passed while it ran, or None.

    Between two events the deadline is the one laid out from the events so far; the
    first stretch in which it falls is the breach (a later extension or pause does
    not undo it).
    """
    ordered = sorted(clock_events, key=lambda e: (e.at, e.pk))
    for index, event in enumerate(ordered):
        if event.kind == "stop":
            return None
        due, _paused = deadline(clock, ordered[: index + 1])
        following = ordered[index + 1].at if index + 1 < len(ordered) else None
        if (
            due is not None
            and event.at <= due
            and (following is None or due < following)
        ):
            return due
    return None


def recompute(start_on: date, end_on: date) -> dict:
    """{dimension: {key: {column: value}}} for the period, as known at its end."""
    from workflow.models import Clock, ClockEvent, HistoryEntry, Petition

    start = datetime.combine(start_on, time.min, tzinfo=HANOI)
    end = end_of(end_on)
    petitions = {p.pk: p for p in Petition.objects.all()}
    entries = defaultdict(list)
    for entry in HistoryEntry.objects.filter(at__lt=end).order_by("petition_id", "seq"):
        entries[entry.petition_id].append(entry)
    clocks = defaultdict(list)
    for clock in Clock.objects.order_by("petition_id", "kind", "cycle"):
        clocks[clock.petition_id].append(clock)
    events = defaultdict(list)
    for event in ClockEvent.objects.all():
        events[event.clock_id].append(event)
    counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))

    def book(petition, agency_id, column, amount=1):
        if column in ("moved_in", "moved_out"):  # only an agency changes hands
            counts["agency"]["" if agency_id is None else str(agency_id)][column] += 1
            return
        keys = {
            "total": "",
            "agency": "" if agency_id is None else str(agency_id),
            "province": str(petition.province_id),
            "category": str(petition.category_id),
            "channel": petition.channel,
        }
        for dimension, key in keys.items():
            counts[dimension][key][column] += amount

    def holder_at(chain, moment):
        before = [e for e in chain if e.at <= moment]
        return before[-1].agency_id if before else None

    for pk, chain in entries.items():
        petition = petitions[pk]
        answer_clocks = [c for c in clocks[pk] if c.kind == "answer"]
        for moment, column in ((start, "carried_over"), (end, None)):
            before = [e for e in chain if e.at < moment]
            if not before or before[-1].to_state not in OPEN:
                continue
            last = before[-1]
            if column:
                book(petition, last.agency_id, column)
                continue
            running = [c for c in answer_clocks if c.started_at < moment][-1]
            due, paused = deadline(running, events[running.pk], upto=moment)
            if due is not None and due < moment:
                book(petition, last.agency_id, "open_overdue")
            elif paused:
                book(petition, last.agency_id, "open_waiting")
            else:
                book(petition, last.agency_id, "open_within")
        previous = None
        for entry in chain:
            if entry.at >= start:
                _flows(petition, previous, entry, answer_clocks, events, book)
            previous = entry
        for clock in clocks[pk]:
            due = breach_moment(clock, events[clock.pk])
            if due is not None and start <= due < end:
                column = {
                    "answer": "case_breaches",
                    "triage": "triage_breaches",
                    "accept": "accept_breaches",
                }[clock.kind]
                book(petition, holder_at(chain, due), column)
    return {
        dimension: {key: dict(columns) for key, columns in by_key.items()}
        for dimension, by_key in counts.items()
    }


def _flows(petition, previous, entry, answer_clocks, events, book):
    was_open = previous is not None and previous.to_state in OPEN
    is_open = entry.to_state in OPEN
    if previous is None:
        book(petition, entry.agency_id, "received")
    elif not was_open and is_open:
        book(petition, entry.agency_id, "reopened")
    if was_open and is_open and previous.agency_id != entry.agency_id:
        book(petition, entry.agency_id, "moved_in")
        book(petition, previous.agency_id, "moved_out")
    if not was_open or is_open:
        return
    if entry.to_state == "rejected":
        book(petition, entry.agency_id, "not_accepted")
    elif entry.to_state == "answered":
        [clock] = [c for c in answer_clocks if c.stopped_at == entry.at]
        due, _paused = deadline(clock, events[clock.pk])
        on_time = due is not None and clock.stopped_at <= due
        column = "resolved_on_time" if on_time else "resolved_late"
        book(petition, entry.agency_id, column)
        days = working_days_after(local(clock.started_at), local(entry.at))
        book(petition, entry.agency_id, "working_days", days)
    else:
        book(petition, entry.agency_id, "ended_otherwise")
        if previous.to_state == "awaiting_info" and entry.to_state == "closed":
            book(petition, entry.agency_id, "reply_lapses")
