"""The figure rules: what each history entry changes in the auditor figures.

One SQL text, `CHANGES`, is the only place these rules live. It is run three ways:
by the trigger on every insert into the history (the entries just written, each
beside the entry before it), by the rebuild of the rollups, and by the figures of a
closed period (the entries dated before its end, each beside the one before it).
It reads nothing but history entries and the petition's fixed attributes (province,
category, channel, receipt), so any figure can be recomputed from the history.

A petition's status between two entries follows from the later state and the case
deadline that entry recorded (`due_at`, the answer clock's deadline with an
approved extension, None while paused for the submitter):
- not open: it counts in no stock;
- open and paused before its deadline passed: waiting for the submitter;
- open with a deadline at or before the moment: overdue; later: within the deadline,
  and overdue from the deadline on unless a later entry says otherwise.
Each entry that changes that status (or the agency holding the petition) ends the
old status and starts the new one. A deadline still ahead is booked as a change
dated on its day (within −1, overdue +1); the entry that ends the status first
books it back. So the stock at the end of any day is the sum of every change dated
up to that day, and a change is never dated before the entry that wrote it: what
an entry records cannot alter a day that had ended before it was written.

What happened is booked on the local day of the entry (when it was written):
- received: the petition's first entry; reopened: open again after an answer (a
  new answer cycle); moved in / out: open before and after, with another agency;
- not accepted: rejected; resolved on time / late: the answer went out, judged once
  against the case deadline the entry recorded (on time when at or before it);
- ended otherwise: withdrawn, merged, closed because the submitter did not reply
  (that last also counts as a reply lapse);
- case, triage and acceptance breaches: the sweep's breach entries, by clock;
- working days: for an answer, the working days from the cycle's start (receipt,
  or the reopen) to the answer, the start day not counted (Civil Code art. 147),
  on the national calendar.
Everything is credited to the agency holding the petition at that entry, so a
transferred petition's answer goes to the agency that resolved it and its breach to
the agency that held it when the sweep recorded it.
"""

from workflow.models.petitions import OPEN_STATES, Action, State
from workflow.models.sla import Clock

OPEN = "(" + ", ".join(f"'{state.value}'" for state in OPEN_STATES) + ")"


# The local (Hà Nội) date of a moment. Vietnam has kept UTC+7 all year since 1975,
# so whole days since 1970 after adding 7 hours are its dates: far cheaper per row
# than AT TIME ZONE and a cast, and the rebuild reads every entry.
def local_day(moment: str) -> str:
    days = f"floor((date_part('epoch', {moment}) + 25200) / 86400)::int"
    return f"(DATE '1970-01-01' + {days})"


BREACH = Action.BREACH.value
GROUP = ("day", "agency_id", "province_id", "category_id", "channel")

# Entries beside the entry before each: {source} is the history itself or the rows
# a trigger sees; {where} narrows the entries (a time range, some petitions).
JOINED_PAIRS = f"""
SELECT n.petition_id, n.seq, n.action, n.to_state, n.agency_id, n.due_at, n.at,
       n.data ->> 'clock' AS clock, pv.to_state AS prev_state,
       pv.agency_id AS prev_agency, pv.due_at AS prev_due,
       CASE WHEN n.to_state = '{State.ANSWERED.value}' THEN (
         SELECT max(h.at) FROM workflow_historyentry h
         WHERE h.petition_id = n.petition_id AND h.seq < n.seq
           AND h.action = '{Action.REOPEN.value}') END AS reopened_at
FROM {{source}} n
LEFT JOIN workflow_historyentry pv
  ON pv.petition_id = n.petition_id AND pv.seq = n.seq - 1
WHERE {{where}}
"""
TRIGGER_PAIRS = JOINED_PAIRS.format(source="new_entries", where="true")
# The petitions of the entries a trigger sees, as an index condition on the
# petitions' key. Joined by the key alone, the plan depended on the table's size
# when it was made (see install_trigger); an array of ids leaves the planner
# nothing to choose but to look each one up.
TRIGGER_PETITIONS = "id = ANY(ARRAY(SELECT petition_id FROM new_entries))"

# The same for whole chains, in one pass (LAG): {where} must keep every entry of
# a petition up to some moment, so that each entry's predecessor is among them.
CHAIN_PAIRS = f"""
SELECT petition_id, seq, action, to_state, agency_id, due_at, at,
       data ->> 'clock' AS clock, LAG(to_state) OVER w AS prev_state,
       LAG(agency_id) OVER w AS prev_agency, LAG(due_at) OVER w AS prev_due,
       max(at) FILTER (WHERE action = '{Action.REOPEN.value}') OVER w AS reopened_at
FROM workflow_historyentry
WHERE {{where}}
WINDOW w AS (PARTITION BY petition_id ORDER BY seq)
"""

_ZERO_FLOWS = """0 AS received, 0 AS reopened, 0 AS moved_in, 0 AS moved_out,
    0 AS not_accepted, 0 AS resolved_on_time, 0 AS resolved_late,
    0 AS ended_otherwise, 0 AS working_days, 0 AS case_breaches,
    0 AS triage_breaches, 0 AS accept_breaches, 0 AS reply_lapses"""

CHANGES = f"""
WITH s AS ({{pairs}}),
e AS (
  SELECT s.*, p.province_id, p.category_id, p.channel, p.received_at,
         s.prev_state IS NULL AS is_first,
         s.to_state IN {OPEN} AS is_open,
         COALESCE(s.prev_state IN {OPEN}, false) AS was_open,
         {local_day("s.at")} AS day
  FROM s JOIN (
    SELECT id, province_id, category_id, channel, received_at FROM workflow_petition
    WHERE {{petitions}}
  ) p ON p.id = s.petition_id
),
c AS (
  SELECT e.*,
    e.was_open AND e.is_open
      AND e.agency_id IS DISTINCT FROM e.prev_agency AS is_move,
    e.was_open AND e.to_state = '{State.ANSWERED.value}' AS is_resolved,
    e.is_open AND (NOT e.was_open OR e.agency_id IS DISTINCT FROM e.prev_agency
      OR e.due_at IS DISTINCT FROM e.prev_due) AS starts,
    e.was_open AND (NOT e.is_open OR e.agency_id IS DISTINCT FROM e.prev_agency
      OR e.due_at IS DISTINCT FROM e.prev_due) AS ends,
    -- An answer's working days: from the cycle's start (receipt or the reopen).
    CASE WHEN e.was_open AND e.to_state = '{State.ANSWERED.value}'
      THEN COALESCE(done.number - began.number, 0) ELSE 0 END AS working_days
  FROM e
  LEFT JOIN workflow_workingday done
    ON e.to_state = '{State.ANSWERED.value}' AND done.day = e.day
  LEFT JOIN workflow_workingday began
    ON e.to_state = '{State.ANSWERED.value}'
    AND began.day = {local_day("COALESCE(e.reopened_at, e.received_at)")}
),
changes AS (
  -- What the entry records, and the status it starts, for the agency after it.
  SELECT petition_id, at, day, agency_id, province_id, category_id, channel,
    CASE WHEN is_first THEN 1 ELSE 0 END AS received,
    CASE WHEN NOT is_first AND NOT was_open AND is_open THEN 1 ELSE 0 END
      AS reopened,
    CASE WHEN is_move THEN 1 ELSE 0 END AS moved_in,
    0 AS moved_out,
    CASE WHEN was_open AND to_state = '{State.REJECTED.value}' THEN 1 ELSE 0 END
      AS not_accepted,
    CASE WHEN is_resolved AND at <= due_at THEN 1 ELSE 0 END AS resolved_on_time,
    CASE WHEN is_resolved AND NOT COALESCE(at <= due_at, false) THEN 1 ELSE 0 END
      AS resolved_late,
    CASE WHEN was_open AND NOT is_open AND to_state NOT IN
      ('{State.ANSWERED.value}', '{State.REJECTED.value}') THEN 1 ELSE 0 END
      AS ended_otherwise,
    working_days,
    CASE WHEN action = '{BREACH}' AND clock = '{Clock.Kind.ANSWER.value}'
      THEN 1 ELSE 0 END AS case_breaches,
    CASE WHEN action = '{BREACH}' AND clock = '{Clock.Kind.TRIAGE.value}'
      THEN 1 ELSE 0 END AS triage_breaches,
    CASE WHEN action = '{BREACH}' AND clock = '{Clock.Kind.ACCEPT.value}'
      THEN 1 ELSE 0 END AS accept_breaches,
    CASE WHEN was_open AND prev_state = '{State.AWAITING_INFO.value}'
      AND to_state = '{State.CLOSED.value}' THEN 1 ELSE 0 END AS reply_lapses,
    CASE WHEN starts AND due_at > at THEN 1 ELSE 0 END AS open_within,
    CASE WHEN starts AND due_at <= at THEN 1 ELSE 0 END AS open_overdue,
    CASE WHEN starts AND due_at IS NULL THEN 1 ELSE 0 END AS open_waiting
  FROM c
  UNION ALL
  -- The status the entry ends, for the agency that held the petition before it.
  SELECT petition_id, at, day, prev_agency, province_id, category_id, channel,
    0, 0, 0, CASE WHEN is_move THEN 1 ELSE 0 END, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    CASE WHEN prev_due > at THEN -1 ELSE 0 END,
    CASE WHEN prev_due <= at THEN -1 ELSE 0 END,
    CASE WHEN prev_due IS NULL THEN -1 ELSE 0 END
  FROM c WHERE ends
  UNION ALL
  -- A deadline still ahead: overdue from its day on ...
  SELECT petition_id, at, {local_day("due_at")}, agency_id, province_id,
    category_id, channel,
    {_ZERO_FLOWS}, -1, 1, 0
  FROM c WHERE starts AND due_at > at
  UNION ALL
  -- ... unless an entry ended that status before it: then booked back.
  SELECT petition_id, at, {local_day("prev_due")}, prev_agency, province_id,
    category_id, channel,
    {_ZERO_FLOWS}, 1, -1, 0
  FROM c WHERE ends AND prev_due > at
)
"""


def changes(pairs: str, petitions: str = "true") -> str:
    """The CHANGES common table expressions over `pairs`; `petitions` narrows the
    petitions read (a range of ids, when the pairs are of that range)."""
    return CHANGES.format(pairs=pairs, petitions=petitions)


def changes_sql(pairs: str, petitions: str = "true") -> str:
    """CHANGES over `pairs`, summed per day and group, zero rows left out."""
    from workflow.models.reports import COUNTS

    sums = ", ".join(f"SUM({count})::int AS {count}" for count in COUNTS)
    nonzero = " OR ".join(f"SUM({count}) <> 0" for count in COUNTS)
    group = ", ".join(GROUP)
    return (
        changes(pairs, petitions)
        + f"SELECT {group}, {sums} FROM changes GROUP BY {group} HAVING {nonzero}"
    )


def chain_pairs(where: str) -> str:
    return CHAIN_PAIRS.format(where=where)


def entry_pairs(where: str) -> str:
    return JOINED_PAIRS.format(source="workflow_historyentry", where=where)


def install_trigger(cursor) -> None:
    """(Re)create the trigger that books every history insert into PendingFigures.

    Run after every migrate (workflow.apps), so the installed function is always
    the one this module defines.
    """
    from workflow.models.reports import COUNTS

    columns = ", ".join((*GROUP, *COUNTS))
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION workflow_book_figures() RETURNS trigger
        LANGUAGE plpgsql
        -- A statement's entries are few and each is looked up by index. The plan
        -- is made once per connection and kept: made while the tables were small
        -- (a fresh install, the demo, a batch of hundreds) it would scan the
        -- history and the petitions whole on every insert from then on, slower
        -- as they grow (bench/intake_http.py: 2.4 ms an insert at 10,000
        -- petitions, 0.4 ms by index). Without scans and hash joins a join by
        -- key could still read every petition by index beside the entries
        -- (10.6 ms a batch of 6 at 3,000 petitions); TRIGGER_PETITIONS names
        -- the ones to read.
        SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
        AS $body$
        BEGIN
          INSERT INTO workflow_pendingfigures ({columns})
          {changes_sql(TRIGGER_PAIRS, TRIGGER_PETITIONS)};
          RETURN NULL;
        END
        $body$
        """
    )
    cursor.execute(
        "DROP TRIGGER IF EXISTS history_books_figures ON workflow_historyentry"
    )
    cursor.execute(
        """
        CREATE TRIGGER history_books_figures AFTER INSERT ON workflow_historyentry
        REFERENCING NEW TABLE AS new_entries
        FOR EACH STATEMENT EXECUTE FUNCTION workflow_book_figures()
        """
    )
