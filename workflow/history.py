"""A petition's next history entries: built (next_values), then inserted together."""

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from config.bulk import copy_values
from workflow.models.history import (
    COLUMNS,
    CURRENT_FORMAT,
    ERASURE_ACTION,
    GENESIS_HASH,
    chain_hash,
    commit_reason,
    new_part_salt,
)

if TYPE_CHECKING:
    from workflow.access import Actor
    from workflow.models import Petition


class ChainHead(Protocol):
    """What extending a history chain reads and moves: a Petition, or the sweep's
    copy of one (workflow.sweeps.PetitionHead)."""

    pk: int
    state: str
    agency_id: int | None
    tracking_code: str
    history_head: str
    history_length: int


# The column values of one history entry (workflow.models.history.COLUMNS).
Entry = dict[str, Any]


def next_values(
    petition: ChainHead,
    *,
    actor: "Actor",
    action: str,
    from_state: str,
    at: datetime,
    reason: str = "",
    data: dict[str, Any] | None = None,
    due_at: datetime | None = None,
    to_state: str | None = None,
) -> Entry:
    """The column values of the petition's next history entry; moves its head.

    The caller holds the petition's row lock and saves the entry and the petition's
    `history_head` / `history_length` in the same transaction, so two writers can
    never extend one chain from the same head.

    The reason goes into the hash only as a salted commitment (formats 2 and 3), so
    that erasing it under the retention rules leaves the chain intact; each other
    part behind a salt of its own (format 3), so that a proof can withhold it.
    """
    reason_digest, reason_salt = commit_reason(reason)
    values: Entry = {
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
        "hash_format": CURRENT_FORMAT,
        "reason_digest": reason_digest,
        "reason_salt": reason_salt,
        "part_salt": new_part_salt(),
        "prev_hash": petition.history_head or GENESIS_HASH,
        # Hashed, not a column: a format-3 entry line names the petition's code.
        "tracking_code": petition.tracking_code,
    }
    values["hash"] = chain_hash(values)
    petition.history_length = values["seq"]
    petition.history_head = values["hash"]
    return values


def insert_entries(entries: list[Entry]) -> None:
    """Insert built entry values in one COPY (the ORM's per-field work is the
    cost when thousands are written at once: the sweep, batch intake)."""
    columns = (*COLUMNS, "hash")
    copy_values(
        "workflow_historyentry",
        columns,
        [
            tuple(json.dumps(e[c]) if c == "data" else e[c] for c in columns)
            for e in entries
        ],
    )


class ChainBroken(Exception):
    """A chain that no longer verifies must not be sealed over (erase_texts)."""


def erase_texts(
    petition: "Petition",
    *,
    actor: "Actor",
    at: datetime,
    data: dict[str, Any] | None = None,
) -> Entry:
    """Erase the free text of a petition's history and record the erasure.

    Every entry's reason (and salt) becomes empty, the only change the database
    lets through; format-2 entries keep their commitment, format-1 entries are
    sealed first. The erasure is the chain's next entry (ERASURE_ACTION), whose
    data lists the entries erased, so verify_audit tells it from tampering. A chain
    that does not verify is refused: sealing it would hide what broke it.
    Returns the new entry's values (the caller, holding the petition's lock,
    saves `history_head` / `history_length`).
    """
    from workflow.audit import verify_chain
    from workflow.models import HistoryEntry

    entries = list(
        HistoryEntry.objects.filter(petition=petition)
        .select_related("petition")
        .order_by("seq")
    )
    if (found := verify_chain(entries, petition.history_head)) is not None:
        raise ChainBroken(str(found))
    texts = [e for e in entries if e.reason or e.reason_salt]
    sealed = {str(e.seq): e.seal() for e in texts if e.hash_format == 1}
    if texts:
        HistoryEntry.objects.filter(pk__in=[e.pk for e in texts]).update(
            reason="", reason_salt=""
        )
    values = next_values(
        petition,
        actor=actor,
        action=ERASURE_ACTION,
        from_state=petition.state,
        at=at,
        data={**(data or {}), "erased": [e.seq for e in texts], "sealed": sealed},
        due_at=petition.due_at,
    )
    insert_entries([values])
    return values
