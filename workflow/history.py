"""A petition's next history entries: built (next_values), then inserted together."""

import json

from config.bulk import copy_values
from workflow.models.history import GENESIS_HASH, HASHED_FIELDS, chain_hash


def next_values(
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
) -> dict:
    """The column values of the petition's next history entry; moves its head.

    The caller holds the petition's row lock and saves the entry and the petition's
    `history_head` / `history_length` in the same transaction, so two writers can
    never extend one chain from the same head.
    """
    values = {
        "petition_id": petition.pk,
        "seq": petition.history_length + 1,
        "action": action,
        "from_state": from_state,
        "to_state": to_state or petition.state,
        "actor_id": actor.user.pk if actor.user is not None else None,
        "actor_label": actor.label,
        "at": at,
        "reason": reason,
        "agency_id": petition.agency_id,
        "due_at": due_at,
        "data": data or {},
        "prev_hash": petition.history_head or GENESIS_HASH,
    }
    values["hash"] = chain_hash(values)
    petition.history_length = values["seq"]
    petition.history_head = values["hash"]
    return values


def insert_entries(entries: list[dict]) -> None:
    """Insert built entry values in one COPY (the ORM's per-field work is the
    cost when thousands are written at once: the sweep, batch intake)."""
    columns = (*HASHED_FIELDS, "hash")
    copy_values(
        "workflow_historyentry",
        columns,
        [
            tuple(json.dumps(e[c]) if c == "data" else e[c] for c in columns)
            for e in entries
        ],
    )
