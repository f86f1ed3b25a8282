"""Building a petition's next history entries (the services and the sweep save them)."""

from workflow.models import HistoryEntry
from workflow.models.history import GENESIS_HASH


def next_entry(
    petition,
    *,
    actor,
    action,
    from_state,
    at,
    reason="",
    data=None,
    due_at=None,
    to_state=None,
) -> HistoryEntry:
    """Build the petition's next history entry and move its head to it (nothing saved).

    The caller holds the petition's row lock and saves the entry and the petition's
    `history_head` / `history_length` in the same transaction, so two writers can
    never extend one chain from the same head.
    """
    entry = HistoryEntry(
        petition_id=petition.pk,
        seq=petition.history_length + 1,
        action=action,
        from_state=from_state,
        to_state=to_state or petition.state,
        actor=actor.user,
        actor_label=actor.label,
        at=at,
        reason=reason,
        agency_id=petition.agency_id,
        due_at=due_at,
        data=data or {},
        prev_hash=petition.history_head or GENESIS_HASH,
    )
    entry.hash = entry.compute_hash()
    petition.history_length = entry.seq
    petition.history_head = entry.hash
    return entry
