"""The history of every petition: append-only, each entry chained to the one before.

PostgreSQL itself refuses UPDATE and DELETE on this table (trigger in migration 0002).
Each entry's hash covers its own content and the previous entry's hash, so an entry
altered or removed behind the trigger's back breaks the chain; `manage.py verify_audit`
walks the chains (see `workflow.audit`).
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models

from workflow.models.agencies import Agency
from workflow.models.petitions import Petition, State

GENESIS_HASH = "0" * 64


class HistoryEntry(models.Model):
    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="history"
    )
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Who acted, as shown at the time: a user's name and role, "submitter" or "system".
    actor_label = models.CharField(max_length=200)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    # The case deadline when this entry was written, so that history shows what
    # deadline each step was taken under.
    due_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["petition_id", "seq"]
        verbose_name_plural = "history entries"
        constraints = [
            # One chain per petition without gaps or forks.
            models.UniqueConstraint(
                fields=["petition", "seq"], name="one_entry_per_seq"
            ),
        ]
        indexes = [
            # Auditor reports filter by time (on-time rates per period).
            models.Index(fields=["at"], name="history_at_idx"),
        ]

    def __str__(self):
        move = f"{self.from_state}→{self.to_state}"
        return f"{self.petition_id}#{self.seq} {self.action} {move}"

    def compute_hash(self) -> str:
        return chain_hash({f: getattr(self, f) for f in HASHED_FIELDS})


# What an entry's hash covers: all of its content and the previous entry's hash.
HASHED_FIELDS = (
    "petition_id",
    "seq",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "actor_label",
    "at",
    "reason",
    "agency_id",
    "due_at",
    "data",
    "prev_hash",
)


def chain_hash(values: dict) -> str:
    """SHA-256 over an entry's content (HASHED_FIELDS) and the previous entry's hash."""
    content = {
        "petition": values["petition_id"],
        "seq": values["seq"],
        "action": values["action"],
        "from": values["from_state"],
        "to": values["to_state"],
        "actor": values["actor_id"],
        "actor_label": values["actor_label"],
        "at": _utc_iso(values["at"]),
        "reason": values["reason"],
        "agency": values["agency_id"],
        "due_at": _utc_iso(values["due_at"]),
        "data": values["data"],
        "prev": values["prev_hash"],
    }
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _utc_iso(value):
    return value.astimezone(UTC).isoformat() if value is not None else None
