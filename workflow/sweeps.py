"""The SLA sweep: records the warnings, breaches and escalations that came due.

Runs every minute as a django-q2 schedule (`workflow.tasks.sweep_sla`) and as
`manage.py sla_sweep`. It finds work only through the partial index on
`Clock.next_check_at`, so its cost follows what became due, not what is open. Rows are
claimed with `FOR UPDATE … SKIP LOCKED`, so several clusters may sweep at once; each
alert is written with ON CONFLICT DO NOTHING on its unique (clock, kind), so a warning
or breach is recorded once however often or concurrently the sweep runs. A breach is
recorded at the due moment (`breached_at = due_at`), never at the time the sweep ran.
"""

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from psycopg2.extras import execute_values

from notifications.models import Notification
from notifications.services import queue_batch
from workflow.access import Actor
from workflow.deadlines import WorkingCalendar
from workflow.history import Entry, insert_entries, next_values
from workflow.models import Action, Membership, Role
from workflow.models.sla import SlaAlert
from workflow.sla import ANSWER, PROGRESS_EVERY, next_check, office_hours_after

# Small batches keep two workers busy side by side; at 1,000,000 open petitions
# 500 swept 10,000 breaches fastest (bench/sweep.py: 250 → 1.9 s, 500 → 1.8 s,
# 1,000 → 2.0 s, 2,500 → 2.1 s).
BATCH_SIZE = 500
WARNING, LAST_DAY, BREACH = (
    SlaAlert.Kind.WARNING,
    SlaAlert.Kind.LAST_DAY,
    SlaAlert.Kind.BREACH,
)

CLAIM_SQL = """
SELECT c.id, c.kind, c.cycle, c.amount, c.unit, c.due_at, c.original_due_at,
       c.warn_at, c.last_day_warn_at, c.is_paused, c.stopped_at, c.breached_at,
       p.id, p.state, p.agency_id, p.tracking_code, p.language, p.history_head,
       p.history_length, p.due_at, p.handler_id, u.email, a.parent_id, a.email,
       p.title
FROM workflow_clock c
JOIN workflow_petition p ON p.id = c.petition_id
LEFT JOIN workflow_agency a ON a.id = p.agency_id
LEFT JOIN auth_user u ON u.id = p.handler_id
WHERE c.next_check_at <= %s
ORDER BY c.next_check_at
LIMIT %s
FOR UPDATE OF c SKIP LOCKED
FOR NO KEY UPDATE OF p SKIP LOCKED
"""


@dataclass
class DueClock:
    """One claimed clock with what the sweep needs of its petition (no ORM objects)."""

    id: int
    kind: str
    cycle: int
    amount: int
    unit: str
    due_at: datetime
    original_due_at: datetime | None
    warn_at: datetime | None
    last_day_warn_at: datetime | None
    is_paused: bool
    stopped_at: datetime | None
    breached_at: datetime | None
    petition: "PetitionHead"


@dataclass
class PetitionHead:
    pk: int
    state: str
    agency_id: int | None
    tracking_code: str
    language: str
    history_head: str
    history_length: int
    due_at: datetime | None
    handler_id: int | None
    handler_email: str | None
    parent_agency_id: int | None
    agency_email: str | None
    title: str


def sweep(*, now: datetime, workers: int = 1) -> Counter[str]:
    """Handle due clocks in batches until none is left; return what was done.

    With several workers (threads, each with its own database connection) batches
    run side by side; SKIP LOCKED keeps them apart, as it keeps clusters apart.
    Most of a batch is spent in PostgreSQL, so the threads do not wait on Python.
    """
    if workers <= 1:
        return _sweep_batches(now)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_sweep_in_thread, [now] * workers))
    return sum(results, Counter[str]())


def _sweep_in_thread(now: datetime) -> Counter[str]:
    try:
        return _sweep_batches(now)
    finally:
        connection.close()


def _sweep_batches(now: datetime) -> Counter[str]:
    done: Counter[str] = Counter()
    while True:
        batch = check_due_clocks(now=now)
        if not batch["claimed"]:
            return done
        done.update(batch)


def due_alerts(clock: DueClock, now: datetime) -> list[str]:
    """Which alerts of this clock are due now (each is recorded at most once).

    After downtime a breach supersedes the warnings it overtook: nobody needs to be
    told a deadline is near once it has passed.
    """
    if clock.breached_at is not None or clock.due_at is None:
        return []
    if clock.stopped_at is not None:
        return [BREACH] if clock.stopped_at > clock.due_at else []
    if clock.due_at <= now:
        return [BREACH]
    return [
        kind
        for kind, at in ((WARNING, clock.warn_at), (LAST_DAY, clock.last_day_warn_at))
        if at is not None and at <= now
    ]


@transaction.atomic
def check_due_clocks(*, now: datetime, limit: int = BATCH_SIZE) -> Counter[str]:
    """Handle up to `limit` due clocks in one transaction."""
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, [now, limit])
        clocks = _due_clocks(cursor.fetchall())
    done: Counter[str] = Counter(claimed=len(clocks))
    if not clocks:
        return done
    wanted = [(c, kind) for c in clocks for kind in due_alerts(c, now)]
    recorded = _record_alerts(wanted, now)
    breached = [c for c, kind in wanted if kind == BREACH and (c.id, kind) in recorded]
    for clock in breached:
        clock.breached_at = clock.due_at
    _write_breaches(breached, now)
    reminders = [c for c in clocks if _reminder_number(c, now)]
    _notify(
        [(c, kind) for c, kind in wanted if (c.id, kind) in recorded], reminders, now
    )
    _store_next_checks(clocks, now)
    done.update(kind for _, kind in recorded)
    done["progress"] += len(reminders)
    return done


# The claim query's first columns, in DueClock's order (its petition follows).
CLOCK_COLUMNS = [f.name for f in fields(DueClock) if f.name != "petition"]


def _due_clocks(rows: Sequence[Sequence[Any]]) -> list[DueClock]:
    # Clocks of one petition share its head, so that two breaches found in the same
    # batch extend the petition's history chain one after the other.
    heads: dict[int, PetitionHead] = {}
    clocks = []
    for row in rows:
        head = heads.setdefault(row[12], PetitionHead(*row[12:]))
        clocks.append(
            DueClock(**dict(zip(CLOCK_COLUMNS, row, strict=False)), petition=head)
        )
    return clocks


def _record_alerts(
    wanted: list[tuple[DueClock, str]], now: datetime
) -> set[tuple[int, str]]:
    if not wanted:
        return set()
    rows = [
        (
            c.id,
            kind,
            c.due_at if kind == BREACH else _alert_moment(c, kind),
            now,
            _snapshot(c),
        )
        for c, kind in wanted
    ]
    with connection.cursor() as cursor:
        inserted = execute_values(
            cursor,
            """
            INSERT INTO workflow_slaalert (clock_id, kind, at, recorded_at, snapshot)
            VALUES %s ON CONFLICT (clock_id, kind) DO NOTHING RETURNING clock_id, kind
            """,
            rows,
            template="(%s, %s, %s, %s, %s::jsonb)",
            page_size=len(rows),
            fetch=True,
        )
    return {(clock_id, kind) for clock_id, kind in inserted}


def _alert_moment(clock: DueClock, kind: str) -> datetime | None:
    return clock.warn_at if kind == WARNING else clock.last_day_warn_at


def _snapshot(clock: DueClock) -> str:
    return json.dumps(
        {
            "clock": clock.kind,
            "cycle": clock.cycle,
            "amount": clock.amount,
            "unit": clock.unit,
            "due_at": clock.due_at.isoformat(),
            "original_due_at": (
                clock.original_due_at.isoformat() if clock.original_due_at else None
            ),
        }
    )


def _write_breaches(breached: list[DueClock], now: datetime) -> None:
    """Stamp breaches of the case deadline on petitions, and log every breach.

    The clocks get theirs with their next check time (_store_next_checks).
    """
    if not breached:
        return
    system = Actor.system()
    entries: list[Entry] = []
    heads: dict[int, tuple[str, int, datetime | None]] = {}
    for clock in breached:
        petition = clock.petition
        entries.append(
            next_values(
                petition,
                actor=system,
                action=Action.BREACH,
                from_state=petition.state,
                at=now,
                due_at=petition.due_at,
                data={
                    "clock": clock.kind,
                    "cycle": clock.cycle,
                    "due_at": clock.due_at.isoformat(),
                },
            )
        )
        answer_breach = clock.due_at if clock.kind == ANSWER else None
        first = heads.get(petition.pk, (None, None, None))[2]
        heads[petition.pk] = (
            petition.history_head,
            petition.history_length,
            first or answer_breach,
        )
    insert_entries(entries)
    with connection.cursor() as cursor:
        execute_values(
            cursor,
            """
            UPDATE workflow_petition p SET history_head = v.head,
                history_length = v.length,
                breached_at = COALESCE(p.breached_at, v.breached_at)
            FROM (VALUES %s) AS v(id, head, length, breached_at) WHERE p.id = v.id
            """,
            [
                (pk, head, length, breached_at)
                for pk, (head, length, breached_at) in heads.items()
            ],
            template="(%s, %s, %s, %s::timestamptz)",
            page_size=len(heads),
        )


def _reminder_number(clock: DueClock, now: datetime) -> int:
    """The progress reminder due now for a clock running overdue (0: none)."""
    if clock.breached_at is None or clock.stopped_at or clock.is_paused:
        return 0
    return int((now - clock.due_at) // PROGRESS_EVERY)


def _notify(
    recorded: list[tuple[DueClock, str]], reminders: list[DueClock], now: datetime
) -> None:
    """Tell handlers of warnings, breaches and overdue reminders; escalate breaches.

    One message per recipient and kind per batch: a supervisor whose agency has many
    breaches at once gets one list, not hundreds of e-mails. Warnings and reminders
    wait for office hours; breaches and escalations go out at once. Each alert is
    written once (unique per clock and kind), so a message is too.
    """
    breached = [c for c, kind in recorded if kind == BREACH]
    supervisors = _supervisors(
        {c.petition.agency_id for c in breached}
        | {c.petition.parent_agency_id for c in breached}
    )
    office = office_hours_after(now, WorkingCalendar())
    # (event, address, user id, when) → {petition: item}
    digests: defaultdict[tuple[str, str, int | None, datetime], dict[int, Any]] = (
        defaultdict(dict)
    )

    def add(
        event: str,
        recipients: Iterable[tuple[str, int | None]],
        clock: DueClock,
        when: datetime,
        **extra: Any,
    ) -> None:
        item = {
            "petition_id": clock.petition.pk,
            "tracking_code": clock.petition.tracking_code,
            "title": clock.petition.title,
            "clock": clock.kind,
            "due_at": clock.due_at.isoformat(),
            **extra,
        }
        for address, user_id in recipients:
            digests[(event, address, user_id, when)][clock.petition.pk] = item

    for clock, kind in recorded:
        add(kind, _handlers(clock.petition), clock, now if kind == BREACH else office)
        if kind == BREACH:
            for agency_id in (
                clock.petition.agency_id,
                clock.petition.parent_agency_id,
            ):
                add(
                    "escalation",
                    supervisors.get(agency_id, []) if agency_id else [],
                    clock,
                    now,
                    agency=agency_id,
                )
    for clock in reminders:
        add(
            "progress_due",
            _handlers(clock.petition),
            clock,
            office,
            weeks_overdue=_reminder_number(clock, now),
        )
    queue_batch(
        [
            Notification(
                event=event,
                channel=Notification.Channel.EMAIL,
                recipient_user_id=user_id,
                recipient_address=address,
                created_at=now,
                next_attempt_at=when,
                # One petition reads as a message about it; more as a list.
                **(
                    {"petition_id": items[0]["petition_id"], "context": items[0]}
                    if len(items) == 1
                    else {"context": {"petitions": items}}
                ),
            )
            for (event, address, user_id, when), by_petition in digests.items()
            for items in [list(by_petition.values())]
        ]
    )


def _handlers(petition: PetitionHead) -> list[tuple[str, int | None]]:
    if petition.handler_email:
        return [(petition.handler_email, petition.handler_id)]
    if petition.agency_email:
        return [(petition.agency_email, None)]
    return []


def _supervisors(
    agency_ids: Iterable[int | None],
) -> dict[int, list[tuple[str, int | None]]]:
    found: dict[int, list[tuple[str, int | None]]] = {}
    rows = (
        Membership.objects.filter(
            agency_id__in=[a for a in agency_ids if a],
            role=Role.SUPERVISOR,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("agency_id", "user__email", "user_id")
    )
    for agency_id, email, user_id in rows:
        found.setdefault(agency_id, []).append((email, user_id))
    return found


def _store_next_checks(clocks: list[DueClock], now: datetime) -> None:
    """Each claimed clock's next check time, and the breach just recorded on it."""
    with connection.cursor() as cursor:
        execute_values(
            cursor,
            "UPDATE workflow_clock c SET next_check_at = v.at, "
            "breached_at = COALESCE(c.breached_at, v.breached_at) "
            "FROM (VALUES %s) AS v(id, at, breached_at) WHERE c.id = v.id",
            [(c.id, next_check(c, now), c.breached_at) for c in clocks],
            template="(%s, %s::timestamptz, %s::timestamptz)",
            page_size=len(clocks),
        )


def expire_unanswered(*, now: datetime) -> int:
    """Close, one by one, petitions whose submitter did not answer in time."""
    from workflow.models import Petition, State
    from workflow.services import expire_petition

    expired = 0
    while True:
        # Found through the partial index petition_info_due_idx; the service takes the
        # row lock and re-checks the state, so a reply that just came in wins.
        petition_id = (
            Petition.objects.filter(state=State.AWAITING_INFO, info_due_at__lte=now)
            .order_by("info_due_at")
            .values_list("pk", flat=True)
            .first()
        )
        if petition_id is None:
            return expired
        expire_petition(petition_id=petition_id, actor=Actor.system())
        expired += 1
