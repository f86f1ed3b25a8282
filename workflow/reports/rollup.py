"""Daily and monthly rollups of the figures, kept exact by the history trigger.

Every history insert books its changes into PendingFigures (workflow.reports.rules,
in the same transaction). `fold_pending` (every minute, django-q2) adds them into
ReportFigures: one row per day and per month for the total and for each agency,
province, category and channel. Readers add what is still pending, so a figure is
exact the moment the step commits. `rebuild` recomputes every row from the history
(after a bulk load, or when the national calendar changed a past day).

A period's figures then cost one scan of one dimension's rows: the months before
the period (for the stocks carried over) and the days from the first of its month.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction

from workflow.models.reports import COUNTS
from workflow.reports import db, rules
from workflow.reports.figures import Figures
from workflow.reports.periods import Period, month_start, next_month

DIMENSIONS = ("total", "agency", "province", "category", "channel")
# One row of changes seen from each dimension (alias p: a row with the GROUP columns).
PROJECT = """CROSS JOIN LATERAL (VALUES ('total', ''),
    ('agency', COALESCE(p.agency_id::text, '')), ('province', p.province_id::text),
    ('category', p.category_id::text), ('channel', p.channel)) AS k(dimension, key)"""
# Folds and rebuilds take this lock, so that they never add the same change twice.
LOCK_KEY = 7_170_001
REBUILD_PETITIONS = 250_000  # petitions per statement of a rebuild
# A range of petitions' changes, sorted and summed in memory, not on disk.
WORK_MEM = "256MB"

# Only an agency can change hands: seen by province, category or channel (or in
# total) a transfer moves nothing in or out.
MOVES = ("moved_in", "moved_out")


def projected(count: str) -> str:
    """A count of row p as seen from dimension k (PROJECT)."""
    if count in MOVES:
        return f"CASE WHEN k.dimension = 'agency' THEN p.{count} ELSE 0 END"
    return f"p.{count}"


_sums = ", ".join(f"SUM({projected(count)})" for count in COUNTS)
_columns = ", ".join(COUNTS)
_add = ", ".join(f"{count} = f.{count} + EXCLUDED.{count}" for count in COUNTS)
_P_COUNTS = ", ".join(f"{projected(count)} AS {count}" for count in COUNTS)

# Changes (rows of rules.GROUP and the counts, in a CTE named `p`) added into the
# day rows of each dimension, and the month rows from those.
_sums_d = ", ".join(f"SUM({projected(count)}) AS {count}" for count in COUNTS)
_sums_m = ", ".join(f"SUM({count})" for count in COUNTS)
UPSERT = f"""
WITH {{changes}},
d AS (
  SELECT k.dimension, k.key, p.day AS "on", {_sums_d}
  FROM p {PROJECT} GROUP BY k.dimension, k.key, p.day
)
INSERT INTO workflow_reportfigures AS f (span, dimension, key, "on", {_columns})
SELECT 'day', dimension, key, "on", {_columns} FROM d
UNION ALL
SELECT 'month', dimension, key, date_trunc('month', "on")::date, {_sums_m}
FROM d GROUP BY dimension, key, date_trunc('month', "on")
ON CONFLICT (span, dimension, "on", key) DO UPDATE SET {_add}
"""


@transaction.atomic
def fold_pending() -> int:
    """Move the pending changes into the rollup rows; returns the rows written."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(
            UPSERT.format(
                changes="p AS (DELETE FROM workflow_pendingfigures RETURNING *)"
            )
        )
        return cursor.rowcount


def rebuild(*, progress=None) -> None:
    """Recompute every rollup row from the history, in one snapshot.

    Alone, the rebuild reads one snapshot (REPEATABLE READ) and drops only the
    pending changes that snapshot sees, so steps committed meanwhile are neither
    lost nor counted twice; inside a caller's transaction (a migration) it uses
    that one. Petitions are taken a range at a time to bound memory.
    """
    outer = connection.in_atomic_block
    if not outer:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if outer:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            else:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute("DELETE FROM workflow_pendingfigures")
            cursor.execute("DELETE FROM workflow_reportfigures")
            cursor.execute(
                "SELECT min(petition_id), max(petition_id) FROM workflow_historyentry"
            )
            low, high = cursor.fetchone()
            for first in range(low or 0, (high or -1) + 1, REBUILD_PETITIONS):
                last = first + REBUILD_PETITIONS - 1
                where = f"petition_id BETWEEN {int(first)} AND {int(last)}"
                changes = rules.changes_sql(
                    rules.chain_pairs(where), petitions=f"id BETWEEN {first} AND {last}"
                )
                cursor.execute(UPSERT.format(changes=f"p AS ({changes})"))
                if progress:
                    progress(min(last, high), high)
    finally:
        if not outer:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


# --- reading ----------------------------------------------------------------------

# A period's figures from as few rows as possible: whole months as month rows, the
# days of the months it cuts as day rows; pending changes (not folded yet) as they
# are. Stocks add every change dated before the moment they are counted at.
_IN_PERIOD = (
    "(span = 'month' AND \"on\" >= %(first_full)s) OR (span <> 'month'"
    " AND \"on\" BETWEEN %(start)s AND %(last)s AND (span = 'pending'"
    ' OR "on" < %(first_full)s OR "on" >= %(end_month)s))'
)
_BEFORE_START = (
    "(span = 'month' AND \"on\" < %(first_month)s) OR (span <> 'month'"
    ' AND "on" < %(start)s)'
)
_TO_END = (
    "span IN ('month', 'pending') OR (\"on\" >= %(end_month)s AND \"on\" <= %(last)s)"
)
_period_flows = ", ".join(
    f"COALESCE(SUM({c}) FILTER (WHERE {_IN_PERIOD}), 0)" for c in Figures.FLOWS
)
_period_stocks = ", ".join(
    f"COALESCE(SUM({c}) FILTER (WHERE {_TO_END}), 0)" for c in Figures.STOCKS
)
PERIOD_SQL = f"""
WITH f AS (
  SELECT dimension, key, span, "on", {_columns} FROM workflow_reportfigures
  WHERE dimension = ANY(%(dimensions)s)
    AND ((span = 'month' AND "on" < %(end_month)s)
         OR (span = 'day' AND "on" >= %(first_month)s AND "on" < %(first_full)s)
         OR (span = 'day' AND "on" >= %(end_month)s AND "on" <= %(last)s))
  UNION ALL
  SELECT k.dimension, k.key, 'pending', p.day, {_P_COUNTS}
  FROM workflow_pendingfigures p {PROJECT}
  WHERE p.day <= %(last)s AND k.dimension = ANY(%(dimensions)s)
)
SELECT dimension, key,
  COALESCE(SUM(open_within + open_overdue + open_waiting)
    FILTER (WHERE {_BEFORE_START}), 0),
  {_period_flows},
  {_period_stocks}
FROM f GROUP BY dimension, key
"""


def period_params(period: Period, dimensions=DIMENSIONS) -> dict:
    start = period.start_on
    return {
        "dimensions": list(dimensions),
        "start": start,
        "last": period.end_on,
        "first_month": month_start(start),
        # The first whole month of the period, and the month after its last day's.
        "first_full": start if start.day == 1 else next_month(start),
        "end_month": month_start(period.end_on + timedelta(days=1)),
    }


def period_figures(period: Period, dimensions=DIMENSIONS) -> dict:
    """{dimension: {key: Figures}} of the period, as the history knows it now.

    Rows whose figures are all zero are left out.
    """
    found: dict[str, dict] = {dimension: {} for dimension in dimensions}
    with db.cursor() as cursor:
        cursor.execute(PERIOD_SQL, period_params(period, dimensions))
        for dimension, key, *values in cursor.fetchall():
            figures = Figures.from_values(values)
            if figures.is_zero():
                continue
            found[dimension][key] = figures
    return found


DAILY_SQL = """
SELECT "on", SUM(case_breaches) FROM (
  SELECT "on", case_breaches FROM workflow_reportfigures
  WHERE span = 'day' AND dimension = 'total' AND "on" BETWEEN %(start)s AND %(last)s
  UNION ALL
  SELECT p.day, p.case_breaches FROM workflow_pendingfigures p
  WHERE p.day BETWEEN %(start)s AND %(last)s
) d GROUP BY "on"
"""


def case_breaches_by_day(period: Period) -> dict[date, int]:
    with db.cursor() as cursor:
        cursor.execute(DAILY_SQL, {"start": period.start_on, "last": period.end_on})
        return {day: count for day, count in cursor.fetchall() if count}


MONTHS_SQL = f"""
SELECT key, month, {", ".join(f"SUM({c})" for c in COUNTS)} FROM (
  SELECT key, "on" AS month, {_columns} FROM workflow_reportfigures
  WHERE span = 'month' AND dimension = %(dimension)s AND "on" <= %(last_month)s
    {{stored_key}}
  UNION ALL
  SELECT k.key, date_trunc('month', p.day)::date, {_P_COUNTS}
  FROM workflow_pendingfigures p {PROJECT}
  WHERE k.dimension = %(dimension)s AND p.day < %(after)s {{pending_key}}
) m GROUP BY key, month
"""


def monthly_figures(dimension: str, months: list[date], key=None) -> dict:
    """{key: {month: Figures}} for whole months (their stocks at the month's end).

    The stocks are the running sum of every month's changes since the beginning,
    so the months before the first one shown are read too (one row per month).
    """
    sql = MONTHS_SQL.format(
        stored_key="AND key = %(key)s" if key is not None else "",
        pending_key="AND k.key = %(key)s" if key is not None else "",
    )
    params = {
        "dimension": dimension,
        "last_month": months[-1],
        "after": next_month(months[-1]),
        "key": key,
    }
    changes: defaultdict[object, dict] = defaultdict(dict)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        for row_key, month, *values in cursor.fetchall():
            changes[row_key][month] = dict(zip(COUNTS, values, strict=True))
    nothing = dict.fromkeys(COUNTS, 0)
    result = {}
    for row_key, by_month in changes.items():
        stocks = dict.fromkeys(Figures.STOCKS, 0)
        for month in by_month:
            if month < months[0]:
                for stock in Figures.STOCKS:
                    stocks[stock] += by_month[month][stock]
        shown = {}
        for month in months:
            counts = by_month.get(month, nothing)
            carried = sum(stocks.values())
            for stock in Figures.STOCKS:
                stocks[stock] += counts[stock]
            shown[month] = Figures(
                carried_over=carried,
                **{flow: counts[flow] for flow in Figures.FLOWS},
                **stocks,
            )
        result[row_key] = shown
    return result


def latest_complete_month(today: date) -> date:
    return month_start(month_start(today) - timedelta(days=1))
