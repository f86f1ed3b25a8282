"""The petitions behind one figure of the report (the auditor's drill-down).

Read from the history with the figure rules themselves (`workflow.reports.rules`),
so a list always has as many rows as its figure counts: one per event for what
happened in the period (a petition resolved twice, in two cycles, is listed
twice), one per petition for a stock.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflow.models import Petition
from workflow.reports import db, rules
from workflow.reports.figures import Figures
from workflow.reports.periods import Period

STOCK_MEASURES = ("carried_over", *Figures.STOCKS)
FLOW_MEASURES = tuple(flow for flow in Figures.FLOWS if flow != "working_days")
MEASURES = (*STOCK_MEASURES, *FLOW_MEASURES)
BY = ("total", "agency", "province", "category", "channel")

_GROUP = {
    "total": "true",
    "agency": "c.agency_id IS NOT DISTINCT FROM %(agency)s",
    "province": "c.province_id = %(key)s",
    "category": "c.category_id = %(key)s",
    "channel": "c.channel = %(key)s",
}
# Narrows the petitions read, where a petition's fixed columns allow it.
_PETITION = {
    "province": "province_id = %(key)s",
    "category": "category_id = %(key)s",
    "channel": "channel = %(key)s",
}


@dataclass(frozen=True)
class Listed:
    petition_id: int
    at: datetime | None  # the event's moment; None for a stock


def listed(period: Period, *, measure: str, by: str = "total", key: str = ""):
    """The (petition, moment) rows behind a figure, newest first."""
    if measure not in MEASURES or by not in BY:
        raise ValueError(f"no list for {measure!r} by {by!r}")
    params: dict[str, Any] = {
        "start": period.start_on,
        "last": period.end_on,
        "start_at": period.start_at,
        "end_at": period.end_at,
        "key": int(key) if by in ("province", "category") else key,
        "agency": int(key) if by == "agency" and key else None,
    }
    if measure in ("moved_in", "moved_out") and by != "agency":
        return []  # only an agency changes hands (workflow.reports.rollup.MOVES)
    narrow = _PETITION.get(by)
    if measure in FLOW_MEASURES:
        where = "n.at >= %(start_at)s AND n.at < %(end_at)s"
        if narrow:
            where += (
                " AND n.petition_id IN "
                f"(SELECT id FROM workflow_petition WHERE {narrow})"
            )
        sql = rules.changes(rules.entry_pairs(where)) + (
            f"SELECT c.petition_id, c.at FROM changes c WHERE c.{measure} > 0 "
            f"AND c.day BETWEEN %(start)s AND %(last)s AND {_GROUP[by]} "
            "ORDER BY c.at DESC, c.petition_id DESC"
        )
    else:
        moment = "start_at" if measure == "carried_over" else "end_at"
        # Open at that moment: open now, or changed since (what is closed now and
        # has no entry since was closed then too). Read first, on their own: as a
        # subquery the planner scans the whole history for them (13 s at
        # 10,000,000 petitions); as a list it reads their chains by index.
        candidates = (
            f"SELECT id FROM workflow_petition WHERE state IN {rules.OPEN}"
            + (f" AND {narrow}" if narrow else "")
            + " UNION SELECT petition_id FROM workflow_historyentry"
            + f" WHERE at >= %({moment})s"
        )
        with db.cursor() as cursor:
            cursor.execute(candidates, params)
            params["ids"] = [row[0] for row in cursor.fetchall()]
        where = f"at < %({moment})s AND petition_id = ANY(%(ids)s)"
        if measure == "carried_over":
            stock = "c.open_within + c.open_overdue + c.open_waiting"
            days = "c.day < %(start)s"
        else:
            stock, days = f"c.{measure}", "c.day <= %(last)s"
        sql = rules.changes(rules.chain_pairs(where), "id = ANY(%(ids)s)") + (
            "SELECT c.petition_id, NULL::timestamptz FROM changes c "
            f"WHERE {_GROUP[by]} "
            f"GROUP BY c.petition_id HAVING SUM({stock}) FILTER (WHERE {days}) > 0 "
            "ORDER BY c.petition_id DESC"
        )
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return [Listed(petition_id, at) for petition_id, at in cursor.fetchall()]


def petitions_of(rows: list[Listed]) -> list[tuple[Petition, datetime | None]]:
    """The petitions of some listed rows, in the rows' order (one query)."""
    petitions = db.using(
        Petition.objects.select_related("agency", "province", "category")
    ).in_bulk([row.petition_id for row in rows])
    return [(petitions[row.petition_id], row.at) for row in rows]
