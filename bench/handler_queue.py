"""Benchmark: the handler queue page and the dashboard at 1,000,000 petitions.

    .venv/bin/python bench/handler_queue.py [--petitions N] [--requests 50] [--refill]

Uses its own database (`pakn_bench_queue`, or BENCH_DATABASE) on the embedded
PostgreSQL (or DATABASE_URL's server), never the development database. Fills it
once with the demo's agencies and logins and N petitions spread over 400 days, all
states and every agency (INSERT … SELECT generate_series, in batches), then times
the pages server-side through Django's test Client (the whole middleware and
template stack, no network) and prints EXPLAIN (ANALYZE) of their main queries.
Target (DESIGN.md): queue median ≤ 50 ms with a fixed query count. The auditor
report and /stats/ are measured by bench/reports.py (they read the history's
rollups, which this fill does not write).
"""

import sys
from pathlib import Path

# This file shares its name with the standard library's `queue` (which Django's
# threads need): keep its own folder off the import path, and load common.py by path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import time  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_common", HERE / "common.py")
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)
use_bench_database = common.use_bench_database
signed_in_client, time_pages = common.signed_in_client, common.time_pages
sql_literal = common.sql_literal

BATCH = 200_000
# Share of rows per state for petitions older than the answer deadline ("old") and
# for those still within it ("new"); cumulative bounds, checked in SQL.
STATE_MIX = {
    "old": [
        ("closed", 0.78),
        ("answered", 0.86),
        ("rejected", 0.91),
        ("withdrawn", 0.92),
        ("in_progress", 0.97),  # still open long after its deadline: overdue
        ("awaiting_info", 1.0),
    ],
    "new": [
        ("assigned", 0.15),
        ("in_progress", 0.60),
        ("awaiting_info", 0.70),
        ("answer_review", 0.75),
        ("answered", 0.90),
        ("rejected", 0.95),
        ("received", 1.0),
    ],
}
OPEN = ("received", "assigned", "in_progress", "awaiting_info", "answer_review")


def fill(total: int, now) -> None:
    from django.db import connection

    from workflow import demo
    from workflow.areas.models import Province
    from workflow.models import Agency, Category, Membership, Petition

    if not demo.is_seeded():
        demo.seed_reference_data()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE workflow_petition CASCADE")
    agencies = list(Agency.objects.values_list("pk", "province_id"))
    handlers = dict(
        Membership.objects.filter(role="handler").values_list("agency_id", "user_id")
    )
    pairs = [(a, p or 0, handlers.get(a, 0)) for a, p in agencies]
    categories = list(Category.objects.values_list("pk", flat=True))
    provinces = list(Province.objects.current().values_list("pk", flat=True))
    columns, values = insert_columns(Petition)
    sql = f"""
        WITH raw AS (
            SELECT g, random() AS r, random() AS r2, random() AS r3,
                   %(now)s - (random() * 400) * interval '1 day' AS received_at
            FROM generate_series(%(first)s, %(last)s) g
        ), placed AS (
            SELECT raw.*, (%(agencies)s)[1 + (g %% %(n_agencies)s)] AS agency_id,
                   (%(agency_provinces)s)[1 + (g %% %(n_agencies)s)] AS agency_province,
                   (%(agency_handlers)s)[1 + (g %% %(n_agencies)s)] AS agency_handler,
                   received_at + interval '20 days' AS due_at,
                   CASE WHEN received_at < %(now)s - interval '20 days'
                        THEN {state_case("old")} ELSE {state_case("new")} END AS state
            FROM raw
        ), timed AS (
            SELECT placed.*,
                   CASE WHEN state IN ('answered', 'closed')
                        THEN received_at + (1 + r2 * 21) * interval '1 day' END
                        AS answered_at
            FROM placed
        )
        INSERT INTO workflow_petition ({", ".join(columns)})
        SELECT {", ".join(values)} FROM timed
    """
    print(f"filling {total:,} petitions…", flush=True)
    started = time.perf_counter()
    for first in range(1, total + 1, BATCH):
        last = min(first + BATCH - 1, total)
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                {
                    "first": first,
                    "last": last,
                    "now": now,
                    "agencies": [a for a, _, _ in pairs],
                    "agency_provinces": [p for _, p, _ in pairs],
                    "agency_handlers": [h for _, _, h in pairs],
                    "n_agencies": len(pairs),
                    "categories": categories,
                    "n_categories": len(categories),
                    "provinces": provinces,
                    "n_provinces": len(provinces),
                },
            )
        print(f"  {last:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_petition")


def state_case(age: str) -> str:
    branches = " ".join(
        f"WHEN r < {bound} THEN '{state}'" for state, bound in STATE_MIX[age][:-1]
    )
    return f"(CASE {branches} ELSE '{STATE_MIX[age][-1][0]}' END)"


def insert_columns(model) -> tuple[list[str], list[str]]:
    """Every concrete column of the petition with the SQL that fills it.

    Columns added later by other work get their default or NULL, so the script
    keeps working as the model grows.
    """
    open_states = ", ".join(f"'{s}'" for s in OPEN)
    known = {
        "tracking_code": "'Q' || lpad(upper(to_hex(g)), 9, '0')",
        "secret_hash": "md5(g::text) || md5(g::text)",
        "submitter_kind": "'citizen'",
        "submitter_name": "'Nguyễn Văn ' || g",
        "email": "'dan' || g || '@example.vn'",
        "title": "'Phản ánh về thủ tục hành chính số ' || g",
        "content": "'Nội dung phản ánh'",
        "category_id": "(%(categories)s)[1 + (g %% %(n_categories)s)]",
        "province_id": "COALESCE(NULLIF(agency_province, 0), "
        "(%(provinces)s)[1 + (g %% %(n_provinces)s)])",
        "channel": "'portal'",
        "state": "state",
        "agency_id": "CASE WHEN state = 'received' THEN NULL ELSE agency_id END",
        "handler_id": "CASE WHEN state <> 'received' AND state <> 'assigned' "
        "AND r3 < 0.7 THEN NULLIF(agency_handler, 0) END",
        "received_at": "received_at",
        "due_at": "due_at",
        "next_due_at": f"CASE WHEN state IN ({open_states}) "
        "AND state <> 'awaiting_info' THEN due_at - (r3 * 15) * interval '1 day' END",
        "next_warn_at": f"CASE WHEN state IN ({open_states}) "
        "AND state <> 'awaiting_info' THEN due_at - (r3 * 15 + 5) * interval '1 day' "
        "END",
        "breached_at": f"CASE WHEN (state IN ({open_states}) AND due_at < %(now)s) "
        "OR answered_at > due_at THEN due_at END",
        "answered_at": "answered_at",
        "closed_at": "CASE WHEN state IN ('closed', 'rejected', 'withdrawn') "
        "THEN COALESCE(answered_at, received_at) + interval '3 days' END",
        "answer": "CASE WHEN answered_at IS NOT NULL THEN 'Đã trả lời' ELSE '' END",
    }
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in known:
            values.append(known[field.column])
        elif field.has_default() and not callable(field.default):
            values.append(sql_literal(field.default))
        elif field.null:
            values.append("NULL")
        elif field.get_internal_type() in ("CharField", "TextField"):
            values.append("''")
        else:
            raise SystemExit(f"bench/handler_queue.py: no value for {field.column}")
    return columns, values


def explain(label, queryset):
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) — {label}")
    print(queryset.explain(analyze=True, buffers=True))


def explain_count(label, queryset):
    from django.db import connection

    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({sql}) AS page", params
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) — {label}\n{plan}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--refill", action="store_true", help="fill even if full")
    args = parser.parse_args()

    import os

    os.environ.setdefault("BENCH_DATABASE", "pakn_bench_queue")
    print("database:", use_bench_database())
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from workflow import queries
    from workflow.access import Actor
    from workflow.models import Petition

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    now = timezone.now()
    if args.refill or Petition.objects.count() != args.petitions:
        fill(args.petitions, now)
    open_count = Petition.objects.filter(state__in=OPEN).count()
    print(f"\n{Petition.objects.count():,} petitions, {open_count:,} open")

    users = get_user_model().objects
    results = {}
    for username, path, params in [
        ("handler", "/work/queue/", None),
        ("handler", "/work/queue/", {"view": "mine"}),
        ("handler", "/work/queue/", {"overdue": "on"}),
        ("supervisor", "/work/queue/", None),
        ("coordinator", "/work/queue/", None),
        ("coordinator", "/work/queue/", {"view": "triage"}),
        ("supervisor", "/work/dashboard/", None),
    ]:
        client = signed_in_client(username)
        label = f"{username} {path} {params or ''}"
        results[label] = time_pages(client, path, args.requests, params)
    common.print_timings(results)
    # The auditor report and /stats/ read rollups of the history, which this fill
    # does not write: bench/reports.py measures them at 10,000,000 petitions.

    handler = Actor.staff(users.get(username="handler"))
    coordinator = Actor.staff(users.get(username="coordinator"))
    explain(
        "handler queue, first page",
        queries.handler_queue(handler, queries.QueueFilters(), now=now)[:50],
    )
    explain(
        "coordinator queue (all agencies), first page",
        queries.handler_queue(coordinator, queries.QueueFilters(), now=now)[:50],
    )
    explain_count(
        "handler queue count (the pager's)",
        queries.handler_queue(handler, queries.QueueFilters(), now=now),
    )


if __name__ == "__main__":
    main()
