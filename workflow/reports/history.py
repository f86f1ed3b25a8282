"""A period's figures recomputed from the history alone, as known at the period's end.

Only entries dated before the end are read: an answer, a breach or any step written
after the period ended cannot change it. The same rules as the rollups
(`workflow.reports.rules`), over whole chains, a range of petitions at a time; the
heads the figures were computed from (each petition's last entry before the end)
are summed up in a digest, so a closed period can show it was computed from this
history and no other.
"""

import hashlib

from django.db import transaction

from workflow.reports import db, rules
from workflow.reports.figures import Figures
from workflow.reports.periods import Period
from workflow.reports.rollup import PROJECT, WORK_MEM, projected

# Petitions per range. The digest is built per range of ids, so it must not change:
# a closed period's digest is recomputed with the same ranges.
RANGE = 250_000

_flows = ", ".join(
    f"COALESCE(SUM({projected(flow)}) FILTER "
    "(WHERE p.day BETWEEN %(start)s AND %(last)s), 0)"
    for flow in Figures.FLOWS
)
_stocks = ", ".join(
    f"COALESCE(SUM(p.{stock}) FILTER (WHERE p.day <= %(last)s), 0)"
    for stock in Figures.STOCKS
)
FIGURES_SQL = f"""
SELECT k.dimension, k.key,
  COALESCE(SUM(p.open_within + p.open_overdue + p.open_waiting)
    FILTER (WHERE p.day < %(start)s), 0),
  {_flows}, {_stocks}
FROM ({{changes}}) p {PROJECT}
GROUP BY k.dimension, k.key
"""

HEADS_SQL = """
SELECT count(*), COALESCE(sum(seq), 0), encode(sha256(convert_to(
  COALESCE(string_agg(petition_id || ':' || seq || ':' || hash, ','
    ORDER BY petition_id), ''), 'UTF8')), 'hex')
FROM (
  SELECT DISTINCT ON (petition_id) petition_id, seq, hash FROM workflow_historyentry
  WHERE {where} ORDER BY petition_id, seq DESC
) heads
"""


def figures_as_of_end(period: Period, *, progress=None):
    """({dimension: {key: Figures}}, entries, digest) of the period from the history.

    `entries` is the number of history entries dated before the end; `digest`
    the SHA-256 over each petition's last such entry (id, number, hash), range by
    range.
    """
    params = {
        "start": period.start_on,
        "last": period.end_on,
        "end": period.end_at,
    }
    found: dict = {}
    digest, entries = hashlib.sha256(), 0
    with transaction.atomic(using=db.alias()), db.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(
            "SELECT min(petition_id), max(petition_id) FROM workflow_historyentry "
            "WHERE at < %(end)s",
            params,
        )
        low, high = cursor.fetchone()
        if low is None:
            return found, 0, digest.hexdigest()
        for first in range(low // RANGE * RANGE, high + 1, RANGE):
            last = first + RANGE - 1
            where = f"petition_id BETWEEN {first} AND {last} AND at < %(end)s"
            changes = rules.changes_sql(
                rules.chain_pairs(where), petitions=f"id BETWEEN {first} AND {last}"
            )
            cursor.execute(FIGURES_SQL.format(changes=changes), params)
            for dimension, key, *values in cursor.fetchall():
                figures = Figures.from_values(values)
                rows = found.setdefault(dimension, {})
                if key in rows:
                    rows[key].add(figures)
                else:
                    rows[key] = figures
            cursor.execute(HEADS_SQL.format(where=where), params)
            heads, count, range_digest = cursor.fetchone()
            if heads:
                entries += count
                digest.update(f"{first}:{heads}:{count}:{range_digest}\n".encode())
            if progress:
                progress(min(first + RANGE - 1, high), high)
    for rows in found.values():
        for key in [key for key, figures in rows.items() if figures.is_zero()]:
            del rows[key]
    return found, entries, digest.hexdigest()
