"""What a table owner can do behind the append-only triggers, for audit tests."""

from django.db import connection

from workflow.models import HistoryEntry, Petition
from workflow.models.history import GENESIS_HASH, chain_hash, reason_commitment


def behind_the_trigger(table, trigger, sql, params=()):
    """Run one statement with the table's append-only trigger off, as its owner may
    (ALTER TABLE … DISABLE TRIGGER needs no superuser), inside the caller's
    transaction."""
    with connection.cursor() as cursor:
        # Deferred foreign-key checks pending in the transaction block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def behind_the_triggers_back(sql, params=()):
    """One statement on the history with its append-only trigger off."""
    behind_the_trigger(
        "workflow_historyentry", "workflow_history_append_only", sql, params
    )


def rewrite_history(petition, seq, **changes):
    """Change entry `seq` of a petition and recompute every hash after it and the
    petition's head, as someone who knows the format would: the chain stays
    consistent and verify_audit's chain check passes."""
    entries = list(
        HistoryEntry.objects.filter(petition=petition)
        .select_related("petition")
        .order_by("seq")
    )
    prev = GENESIS_HASH
    for entry in entries:
        if entry.seq == seq:
            for field, value in changes.items():
                setattr(entry, field, value)
            if "reason" in changes and entry.reason_salt:
                # The hash covers the reason's commitment: recompute it too.
                entry.reason_digest = reason_commitment(entry.reason_salt, entry.reason)
        entry.prev_hash = prev
        entry.hash = chain_hash(entry.hashed_values())
        prev = entry.hash
        behind_the_trigger(
            "workflow_historyentry",
            "workflow_history_append_only",
            "UPDATE workflow_historyentry SET reason = %s, reason_digest = %s, "
            "data = %s, at = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [
                entry.reason,
                entry.reason_digest,
                _json(entry.data),
                entry.at,
                entry.prev_hash,
                entry.hash,
                entry.pk,
            ],
        )
    Petition.objects.filter(pk=petition.pk).update(history_head=prev)


def _json(value):
    import json

    return json.dumps(value)
