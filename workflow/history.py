"""Appending to a petition's history (the only writer of HistoryEntry)."""

from workflow.models import HistoryEntry
from workflow.models.history import GENESIS_HASH


def append_history(
    petition, *, actor, action, from_state, at, reason="", data=None, due_at=None
) -> HistoryEntry:
    """Add the next entry of the petition's chain.

    The caller holds the petition's row lock, so reading the previous entry and writing
    the next one cannot interleave with another writer of the same chain.
    """
    previous = (
        HistoryEntry.objects.filter(petition_id=petition.pk)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev_hash = (previous[0] + 1, previous[1]) if previous else (1, GENESIS_HASH)
    entry = HistoryEntry(
        petition_id=petition.pk,
        seq=seq,
        action=action,
        from_state=from_state,
        to_state=petition.state,
        actor=actor.user,
        actor_label=actor.label,
        at=at,
        reason=reason,
        agency_id=petition.agency_id,
        due_at=due_at,
        data=data or {},
        prev_hash=prev_hash,
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    return entry
