"""Benchmark: auditor figures at national scale (10,000,000 petitions by default).

    .venv/bin/python bench/reports.py [--petitions N] [--years 4] [--requests 20]
                                      [--refill] [--drop]

Uses its own database (`pakn_bench_reports`, or BENCH_DATABASE), never the
development one. The fill writes only what the figures and the queue read: the
petitions (short texts) and their history entries (short hashes: this database
proves speed, not chains), with COPY (config/bulk.py), in two processes, the
figure trigger off; then rebuilds the rollups from the history in one pass, as
`manage.py rebuild_report_figures` does. The petitions are received evenly over
`--years` years up to today, about 10 % still open (recent ones within their
deadline, a backlog of older ones overdue), with transfers, questions to the
submitter, reopened cycles, late answers and step breaches.

Then it measures, through Django's test Client (middleware and templates, no
network): the auditor report for the last twelve months, /stats/, a closed year
(closing it and `verify_report` are timed too), drill-down lists, and the
handler queue. Targets (DESIGN.md): report ≤ 1 s median, /stats/ ≤ 300 ms,
closed period ≤ 100 ms, queue ≤ 50 ms with a fixed query count.
`--drop` drops the database at the end (it takes several gigabytes).
"""

import argparse
import multiprocessing
import os
import random
import shutil
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import common

CHUNK = 50_000  # petitions per COPY
OPEN = {"received", "assigned", "in_progress", "awaiting_info", "answer_review"}
# Shares of petitions (the demo's story at national scale).
REJECTED, WITHDRAWN = 0.07, 0.02
DESK = 0.10  # no routing rule: the triage desk routes it to the province's committee
SLOW_ACCEPT, TRANSFERRED, ASKED = 0.03, 0.04, 0.06
LATE, LATE_LAGGING, BACKLOG, REOPENED, CLOSED = 0.01, 0.08, 0.08, 0.02, 0.6


# Moments are whole seconds since 1970 (UTC) while filling: formatting datetimes is
# most of a fill's cost otherwise.
HOUR_S, DAY_S, HANOI_S = 3600, 86400, 7 * 3600
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NULL = "\\N"  # COPY's NULL


def midnight_after(moment, days):
    """00:00 Hà Nội time `days` days after the moment's local date (a deadline)."""
    return ((moment + HANOI_S) // DAY_S + days) * DAY_S - HANOI_S


_DAYS: dict[int, str] = {}


def stamp(moment) -> str:
    """A moment as COPY reads a timestamptz."""
    if moment is None:
        return NULL
    day, rest = divmod(moment, DAY_S)
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = (EPOCH + timedelta(days=day)).strftime("%Y-%m-%d ")
    hours, rest = divmod(rest, HOUR_S)
    return f"{text}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}+00"


class Shape:
    """What the fill needs from the reference data (ids), and the layout of the two
    tables' COPY lines: every column the fill does not set gets its default."""

    def __init__(self):
        from workflow.models import (
            Agency,
            Category,
            HistoryEntry,
            Membership,
            Petition,
            Role,
        )
        from workflow.models.petitions import Channel

        self.committees = dict(
            Agency.objects.filter(parent__code="vpcp").values_list("province_id", "pk")
        )
        self.departments = list(
            Agency.objects.filter(parent__parent__code="vpcp", level="province")
            .values_list("pk", "province_id")
            .order_by("pk")
        )
        self.by_province = {}
        for pk, province in self.departments:
            self.by_province.setdefault(province, []).append(pk)
        self.lagging = self.departments[0][1]  # one province lags
        self.categories = list(Category.objects.values_list("pk", flat=True))
        online = ("web", "portal")  # most petitions come online
        self.channels = [
            c for c in Channel.values for _ in range(3 if c in online else 1)
        ]
        self.handlers = dict(
            Membership.objects.filter(role=Role.HANDLER).values_list(
                "agency_id", "user_id"
            )
        )
        self.petition_columns, self.petition_line = _layout(Petition, PETITION_SET)
        self.entry_columns, self.entry_line = _layout(HistoryEntry, ENTRY_SET)


# The columns the fill sets (the others get their model default).
PETITION_SET = (
    "id tracking_code secret_hash submitter_kind submitter_name email title content "
    "category_id province_id channel state agency_id handler_id received_at due_at "
    "next_due_at next_warn_at breached_at answered_at closed_at history_length "
    "history_head transfer_count"
).split()
ENTRY_SET = (
    "petition_id seq action from_state to_state actor_label at agency_id due_at data "
    "prev_hash hash"
).split()


def _layout(model, wanted):
    """(columns, a str.format line) for a model's concrete columns."""
    import json

    columns, parts = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in wanted:
            continue
        columns.append(field.column)
        if field.column in wanted:
            parts.append("{" + field.column + "}")
            continue
        if field.has_default():
            value = field.default() if callable(field.default) else field.default
            if isinstance(value, dict):
                value = json.dumps(value)
            if isinstance(value, bool):
                value = "t" if value else "f"
            parts.append(str(value).replace("{", "{{").replace("}", "}}"))
        elif field.null:
            parts.append(NULL)
        else:
            parts.append("")
    return columns, "\t".join(parts) + "\n"


def national_agencies():
    """The demo's six provinces have their agencies; give the other provinces a
    people's committee and the demo's departments too (no logins needed)."""
    from workflow.areas.models import Province
    from workflow.demo import DEPARTMENTS
    from workflow.models import Agency

    vpcp = Agency.objects.get(code="vpcp")
    have = set(Agency.objects.values_list("province_id", flat=True))
    new = []
    for province in Province.objects.current().exclude(pk__in=have):
        committee = Agency.objects.create(
            code=f"ubnd-{province.code}",
            name=f"UBND {province.name}",
            level="province",
            parent=vpcp,
            province=province,
        )
        for code, name, _category in DEPARTMENTS:
            new.append(
                Agency(
                    code=f"{code}-{province.code}",
                    name=f"{name} {province.name}",
                    level="province",
                    parent=committee,
                    province=province,
                )
            )
    Agency.objects.bulk_create(new)


class Story:
    """One petition's life as history entries dated before now, and its row."""

    __slots__ = ("entries", "state", "holder", "due", "answered", "closed", "breached")

    def __init__(self):
        self.entries, self.state = [], "received"
        self.answered = self.closed = self.breached = None

    def step(self, action, to_state, at, due, clock="", now=0):
        if at >= now:
            return False
        self.entries.append((action, self.state, to_state, at, self.holder, due, clock))
        self.state = to_state
        return True


def story(g, rng, received, now, shape):
    """A petition's steps, with the demo's mix at national scale."""
    random = rng.random
    agency, province = shape.departments[int(random() * len(shape.departments))]
    on_desk = random() < DESK
    life = Story()
    life.holder = None if on_desk else agency
    due = midnight_after(received, 21)

    def step(action, to_state, at, due, clock=""):
        return life.step(action, to_state, at, due, clock, now)

    step("submit", "received", received, due)
    fate = random()
    at = received + int((2 + random() * 28) * HOUR_S)
    if on_desk:
        if fate < REJECTED:
            if step("reject", "rejected", at, due):
                life.closed = at
            return life, province, due
        life.holder = shape.committees[province]
        if not step("triage", "assigned", at, due):
            return life, province, due
    elif fate < REJECTED:
        if step("reject", "rejected", at, due):
            life.closed = at
        return life, province, due
    if fate > 1 - WITHDRAWN:
        if step("withdraw", "withdrawn", at + DAY_S, due):
            life.closed = at + DAY_S
        return life, province, due
    if random() < SLOW_ACCEPT:  # two working days passed: a step breach
        accept_due = midnight_after(at, 3)
        step("breach", life.state, accept_due, due, "accept")
        at = accept_due + int((2 + random() * 28) * HOUR_S)
    else:
        at += int((1 + random() * 19) * HOUR_S)
    if not step("accept", "in_progress", at, due):
        return life, province, due
    if on_desk or random() < TRANSFERRED:
        others = [a for a in shape.by_province[province] if a != life.holder]
        at += int((2 + random() * 46) * HOUR_S)
        life.holder = others[int(random() * len(others))]
        if not step("transfer", "assigned", at, due):
            return life, province, due
        at += int((1 + random() * 19) * HOUR_S)
        if not step("accept", "in_progress", at, due):
            return life, province, due
    if random() < ASKED:
        at += int((12 + random() * 60) * HOUR_S)
        if not step("request_info", "awaiting_info", at, None):
            return life, province, None
        paused_days = 1 + int(random() * 5)
        at += paused_days * DAY_S
        due += paused_days * DAY_S
        if not step("provide_info", "in_progress", at, due):
            return life, province, None
    if received + 40 * DAY_S < now and random() < BACKLOG:  # open long after due
        if step("breach", life.state, due, due, "answer"):
            life.breached = due
        return life, province, due
    lagging = province == shape.lagging
    for _cycle in (1, 2):
        if random() < (LATE_LAGGING if lagging else LATE):
            out = due + int((1 + random() * 9) * DAY_S)
        else:
            out = max(at, due - int((2 + random() * 17) * DAY_S)) + HOUR_S
        if out > due:  # the sweep recorded the breach at the deadline
            if not step("breach", life.state, due, due, "answer"):
                return life, province, due
            life.breached = life.breached or due
        if not step("answer", "answered", out, due):
            return life, province, due
        life.answered = at = out
        if _cycle == 2 or random() > REOPENED:
            break
        at += int((1 + random() * 9) * DAY_S)
        due = midnight_after(at, 21)
        if not step("reopen", "in_progress", at, due):
            return life, province, due
    if random() < CLOSED and step("close", "closed", at + 5 * DAY_S, due):
        life.closed = at + 5 * DAY_S
    return life, province, due


# The data of a breach entry (a value of the line, so braces are not doubled).
CLOCK_DATA = {
    "": "{}",
    "answer": '{"clock": "answer", "cycle": 1}',
    "accept": '{"clock": "accept", "cycle": 1}',
}


def fill_range(first, last, total, start, span, now, seed):
    """Petitions first..last and their history, with COPY (in a process of its own)."""
    import django

    django.setup()
    from django.db import connection, transaction

    from config.bulk import copy_text

    connection.close()  # never share the parent's connection
    shape = Shape()
    rng = random.Random(seed)
    petition_line, entry_line = shape.petition_line, shape.entry_line
    categories, channels = shape.categories, shape.channels
    with connection.cursor() as cursor:
        # The history trigger (and the append-only one) stay off for the fill; the
        # rollups are rebuilt from the history afterwards.
        cursor.execute("SET session_replication_role = replica")
    for low in range(first, last + 1, CHUNK):
        high = min(low + CHUNK - 1, last)
        petitions, entries = [], []
        for g in range(low, high + 1):
            received = (
                start + span * g // (total + 1) + int((rng.random() - 0.5) * 43200)
            )
            life, province, due = story(g, rng, received, now, shape)
            state, holder = life.state, life.holder
            is_open = state in OPEN
            for seq, (action, before, after, at, agency, due_at, clock) in enumerate(
                life.entries, start=1
            ):
                entries.append(
                    entry_line.format(
                        petition_id=g,
                        seq=seq,
                        action=action,
                        from_state=before,
                        to_state=after,
                        actor_label="s",
                        at=stamp(at),
                        agency_id=NULL if agency is None else agency,
                        due_at=stamp(due_at),
                        data=CLOCK_DATA[clock],
                        prev_hash="x",
                        hash="h",
                    )
                )
            running = is_open and state != "awaiting_info"
            petitions.append(
                petition_line.format(
                    id=g,
                    tracking_code=f"B{g:09d}",
                    secret_hash="x",
                    submitter_kind="citizen",
                    submitter_name="A",
                    email="a@b.vn",
                    title=f"P{g}",
                    content="C",
                    category_id=categories[g % len(categories)],
                    province_id=province,
                    channel=channels[g % len(channels)],
                    state=state,
                    agency_id=NULL if holder is None else holder,
                    handler_id=shape.handlers.get(holder, NULL)
                    if state == "in_progress"
                    else NULL,
                    received_at=stamp(received),
                    due_at=stamp(due),
                    next_due_at=stamp(due if running else None),
                    next_warn_at=stamp(due - 5 * DAY_S if running and due else None),
                    breached_at=stamp(life.breached),
                    answered_at=stamp(life.answered),
                    closed_at=stamp(life.closed),
                    history_length=len(life.entries),
                    history_head="h",
                    transfer_count=sum(1 for e in life.entries if e[0] == "transfer"),
                )
            )
        with transaction.atomic():
            copy_text("workflow_petition", shape.petition_columns, "".join(petitions))
            copy_text("workflow_historyentry", shape.entry_columns, "".join(entries))
    return last - first + 1


def secondary_indexes(table):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = %s AND NOT EXISTS (
              SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [table],
        )
        return cursor.fetchall()


def fill(total, years, now):
    from django.db import connection

    from workflow import demo

    if not demo.is_seeded():
        demo.seed_reference_data()
    national_agencies()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE workflow_petition, workflow_reportfigures, "
            "workflow_pendingfigures, workflow_closedperiod CASCADE"
        )
    dropped = {}
    for table in ("workflow_petition", "workflow_historyentry"):
        dropped[table] = secondary_indexes(table)
        with connection.cursor() as cursor:
            for name, _definition in dropped[table]:
                cursor.execute(f'DROP INDEX "{name}"')
    now_s = int(now.timestamp())
    span = 365 * years * DAY_S
    started = time.perf_counter()
    halves = [(1, total // 2), (total // 2 + 1, total)]
    connection.close()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.starmap(
            fill_range,
            [
                (a, b, total, now_s - span, span, now_s, seed)
                for seed, (a, b) in enumerate(halves)
            ],
        )
    copied = time.perf_counter() - started
    print(f"  COPY of petitions and history: {copied:.0f} s ({load()})", flush=True)
    with connection.cursor() as cursor:
        for indexes in dropped.values():
            for _name, definition in indexes:
                cursor.execute(definition)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('workflow_petition', 'id'), %s)",
            [total],
        )
    indexed = time.perf_counter() - started - copied
    print(f"  indexes: {indexed:.0f} s ({load()})", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_petition")
        cursor.execute("VACUUM ANALYZE workflow_historyentry")
    from workflow.reports import rollup

    before = time.perf_counter()
    rollup.rebuild()
    rebuilt = time.perf_counter() - before
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_reportfigures")
    print(f"  rollups rebuilt from the history: {rebuilt:.0f} s ({load()})", flush=True)
    return time.perf_counter() - started


def database_size():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--petitions", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--refill", action="store_true", help="fill even if full")
    parser.add_argument("--drop", action="store_true", help="drop the database after")
    args = parser.parse_args()

    os.environ.setdefault("BENCH_DATABASE", "pakn_bench_reports")
    print("database:", common.use_bench_database())
    print("disk before:", disk())
    from django.conf import settings
    from django.utils import timezone

    from workflow.models import HistoryEntry, Petition

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    now = timezone.now()
    if args.refill or Petition.objects.count() != args.petitions:
        print(f"filling {args.petitions:,} petitions over {args.years} years…")
        took = fill(args.petitions, args.years, now)
        print(f"fill: {took:.0f} s in all")
    counts = Petition.objects.count(), HistoryEntry.objects.count()
    open_count = Petition.objects.filter(state__in=OPEN).count()
    print(
        f"\n{counts[0]:,} petitions ({open_count:,} open), {counts[1]:,} history "
        f"entries; database {database_size()}; disk {disk()}"
    )
    measure(now, args.requests)
    if args.drop:
        drop_database()
        print("dropped; disk after:", disk())


def measure(now, requests):
    from django.db import connection

    from workflow.models import ClosedPeriod
    from workflow.reports import closing
    from workflow.reports.periods import Period, local_today

    today = local_today(now)
    year = Period(today - timedelta(days=364), today)
    closed_year = Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    results = {}
    auditor = common.signed_in_client("auditor")
    query = {"start_on": year.start_on, "end_on": year.end_on}
    results["auditor /audit/ (last 12 months)"] = common.time_pages(
        auditor, "/audit/", requests, query
    )
    results["auditor report.xlsx (last 12 months)"] = common.time_pages(
        auditor, "/audit/report.xlsx", max(3, requests // 4), query
    )
    from django.test import Client

    public = Client()
    results["public /stats/"] = common.time_pages(public, "/stats/", requests)
    results["public /stats/province/<id>/"] = common.time_pages(
        public, f"/stats/province/{lagging_province()}/", requests
    )
    if not ClosedPeriod.objects.filter(
        start_on=closed_year.start_on, end_on=closed_year.end_on
    ).exists():
        started = time.perf_counter()
        closing.close_period(closed_year, now=now)
        print(
            f"closing {closed_year.start_on}..{closed_year.end_on}: "
            f"{time.perf_counter() - started:.1f} s ({load()})"
        )
    closed_query = {"start_on": closed_year.start_on, "end_on": closed_year.end_on}
    results[f"auditor /audit/ (closed {closed_year.start_on.year})"] = (
        common.time_pages(auditor, "/audit/", requests, closed_query)
    )
    started = time.perf_counter()
    check = closing.verify_closed(
        ClosedPeriod.objects.get(
            start_on=closed_year.start_on, end_on=closed_year.end_on
        )
    )
    print(
        f"verify_report of {closed_year.start_on.year}: "
        f"{time.perf_counter() - started:.1f} s, matches: {check.matches} ({load()})"
    )
    month = Period(today.replace(day=1), today)
    for measure_name in ("resolved_late", "open_overdue"):
        results[f"drill-down {measure_name} by province (this month)"] = (
            common.time_pages(
                auditor,
                "/audit/petitions/",
                3,
                {
                    "start_on": month.start_on,
                    "end_on": month.end_on,
                    "measure": measure_name,
                    "by": "province",
                    "key": str(lagging_province()),
                },
            )
        )
    for username, path, params in [
        ("handler", "/work/queue/", None),
        ("handler", "/work/queue/", {"overdue": "on"}),
        ("coordinator", "/work/queue/", None),
        ("supervisor", "/work/dashboard/", None),
    ]:
        client = common.signed_in_client(username)
        label = f"{username} {path} {params or ''}"
        results[label] = common.time_pages(client, path, requests * 2, params)
    common.print_timings(results)
    explain_report(year)
    connection.close()


def lagging_province():
    from workflow.models import Agency

    return (
        Agency.objects.filter(parent__parent__code="vpcp", level="province")
        .order_by("pk")
        .values_list("province_id", flat=True)
        .first()
    )


def explain_report(period):
    from django.db import connection

    from workflow.reports import rollup

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + rollup.PERIOD_SQL,
            rollup.period_params(period),
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) — the report's figures, 12 months\n{plan}")


def load():
    """The machine's load averages (2 cores, shared with others)."""
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def disk():
    usage = shutil.disk_usage(Path(__file__).resolve().parent)
    return f"{usage.free / 1e9:.1f} GB free of {usage.total / 1e9:.0f} GB"


def drop_database():
    import psycopg2
    from django.db import connection

    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    connection.close()
    admin = psycopg2.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}"')
    admin.close()


if __name__ == "__main__":
    main()
