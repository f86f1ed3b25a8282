"""The history of every petition: append-only, each entry chained to the one before.

PostgreSQL itself refuses DELETE on this table, and every UPDATE but one: erasing an
entry's free text (`reason`, and its salt) under the retention rules (triggers in
migrations 0002 and 0012). Each entry's hash covers its own content and the previous
entry's hash, so an entry altered or removed behind the trigger's back breaks the
chain; `manage.py verify_audit` walks the chains (see `workflow.audit`).

Two hash formats live side by side; an entry keeps the format it was written in, so
the heads of chains written before format 2 never change:
- format 1 hashes the reason itself. Erasing it leaves the hash unverifiable, so the
  erasure first seals the entry (workflow.privacy.retention): a later "anonymise"
  entry of the same chain carries a digest of the entry's remaining fields and hash.
- format 2 (since the Law on Personal Data Protection, 91/2025/QH15) hashes a salted
  commitment to the reason (`reason_digest`), never the text. Erasing the text and
  its salt leaves the hash intact and the commitment meaningless to anyone guessing.
- format 3 (signed checkpoints, docs/audit.md) hashes four parts apart — the step,
  the actor, the reason (format 2's commitment) and the data — each behind a salt
  of its own, then the entry over their digests. A part can so be shown (its text)
  or withheld (its digest) and the entry still be checked: the submitter's proof
  file (feedback.proof) shows what the tracking page shows and no staff names.
"""

import hashlib
import json
import secrets
from datetime import UTC

from django.conf import settings
from django.db import models

from workflow.models.agencies import Agency
from workflow.models.petitions import Action, Petition, State

GENESIS_HASH = "0" * 64
# Entries are written in this format now (see the module's docstring).
CURRENT_FORMAT = 3
# Format 3: the parts of an entry, in the order of the entry line (entry_hash_v3).
PARTS = ("step", "actor", "reason", "data")
# The parts with a salt in `part_salt` (the reason has `reason_salt`), in its order.
SALTED_PARTS = ("step", "actor", "data")
ENTRY_PREFIX_V3 = "pakn-history-v3"
# The entry that records an erasure of earlier entries' text: its data lists them
# ("erased": seqs) and seals the format-1 ones ("sealed": {seq: seal}).
ERASURE_ACTION = Action.ANONYMISE


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
    # Format 1: entries written before personal data was kept out of the hash.
    hash_format = models.PositiveSmallIntegerField(default=CURRENT_FORMAT)
    # Format 2: SHA-256 of salt and reason (commit_reason); "" when there is none.
    reason_digest = models.CharField(max_length=64, blank=True)
    # Random per entry so that a short reason cannot be guessed from its digest;
    # erased with the reason.
    reason_salt = models.CharField(max_length=32, blank=True)
    # Format 3: a 32-hex-digit salt for each of SALTED_PARTS, in that order.
    part_salt = models.CharField(max_length=96, blank=True)
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
        return chain_hash(self.hashed_values())

    def hashed_values(self) -> dict:
        """What chain_hash reads: the columns and, for format 3, the petition's code."""
        values = {f: getattr(self, f) for f in COLUMNS}
        if self.hash_format >= 3:
            values["tracking_code"] = self.petition.tracking_code
        return values

    @property
    def is_erased(self) -> bool:
        """Whether its free text was erased (format 2: the commitment stays)."""
        return bool(self.reason_digest) and not self.reason_salt

    def seal(self) -> str:
        """A format-1 entry's fields but the reason, bound to its hash (see module)."""
        content = _content_v1({f: getattr(self, f) for f in COLUMNS})
        del content["reason"]
        content["hash"] = self.hash
        return _sha256_json(content)


# The columns of an entry as written (workflow.history.insert_entries), but its hash.
COLUMNS = (
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
    "hash_format",
    "reason_digest",
    "reason_salt",
    "part_salt",
    "prev_hash",
)


def new_part_salt() -> str:
    return secrets.token_hex(16 * len(SALTED_PARTS))


def commit_reason(reason: str) -> tuple[str, str]:
    """A salted commitment to a reason: (digest, salt); ("", "") for no reason."""
    if not reason:
        return "", ""
    salt = secrets.token_hex(16)
    return reason_commitment(salt, reason), salt


def reason_commitment(salt: str, reason: str) -> str:
    return hashlib.sha256(f"{salt}\n{reason}".encode()).hexdigest()


def chain_hash(values: dict) -> str:
    """SHA-256 over an entry's content and the previous entry's hash, in its format.

    Format 1 covers the reason itself; formats 2 and 3 cover its commitment and name
    the format, so an entry cannot pass for another format.
    """
    if values.get("hash_format", 1) == 1:
        return _sha256_json(_content_v1(values))
    if values["hash_format"] == 3:
        return entry_hash_v3(values, part_digests(values))
    content = _content_v1(values)
    del content["reason"]
    content["reason_digest"] = values["reason_digest"]
    content["format"] = 2
    return _sha256_json(content)


def disclosures(values: dict) -> dict[str, str]:
    """Each part of a format-3 entry as the exact text its digest is taken of.

    Step, actor and data: the compact JSON (keys sorted, UTF-8) of the array
    [salt, part name, content]. The reason: format 2's commitment text, salt and
    reason on two lines; absent when there is no reason or it was erased (its
    digest, `reason_digest`, stays). Showing a text shows the part.
    """
    salts = values["part_salt"]
    contents = {
        "step": {
            "action": values["action"],
            "from": values["from_state"],
            "to": values["to_state"],
            "at": _utc_iso(values["at"]),
            "agency": values["agency_id"],
            "due_at": _utc_iso(values["due_at"]),
        },
        "actor": {"id": values["actor_id"], "label": values["actor_label"]},
        "data": values["data"],
    }
    texts = {
        part: _compact([salts[32 * i : 32 * (i + 1)], part, contents[part]])
        for i, part in enumerate(SALTED_PARTS)
    }
    if values["reason_salt"]:
        texts["reason"] = f"{values['reason_salt']}\n{values['reason']}"
    return texts


def part_digests(values: dict) -> dict[str, str]:
    """The digests of a format-3 entry's parts. The reason's is its stored
    commitment (SHA-256 of its text; "" for no reason), which outlives an erasure;
    workflow.audit checks it against the text while the text is there."""
    texts = disclosures(values)
    digests = {part: _sha256(texts[part]) for part in SALTED_PARTS}
    digests["reason"] = values["reason_digest"]
    return digests


def entry_hash_v3(values: dict, digests: dict[str, str]) -> str:
    """SHA-256 of the entry line: prefix, petition id, tracking code, seq, the
    previous entry's hash and the digests of PARTS, one per line."""
    lines = [
        ENTRY_PREFIX_V3,
        str(values["petition_id"]),
        values["tracking_code"],
        str(values["seq"]),
        values["prev_hash"],
        *(digests[part] for part in PARTS),
    ]
    return _sha256("\n".join(lines))


_compact = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
).encode


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _content_v1(values: dict) -> dict:
    return {
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


def _sha256_json(content: dict) -> str:
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _utc_iso(value):
    return value.astimezone(UTC).isoformat() if value is not None else None
