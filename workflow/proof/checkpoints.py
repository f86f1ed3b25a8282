"""Taking a checkpoint, and a petition's path to one.

A checkpoint reads every petition's history head and entry count in one snapshot
(REPEATABLE READ), groups them into chunks by id, stores the leaves of each chunk
whose root changed since the previous checkpoint, signs the statement with the key
kept outside the database, and queues a copy to the configured recipients. Its
cost is one scan of the petitions' heads and one SHA-256 per leaf and node.
"""

import hashlib
import json
import struct
from bisect import bisect_left
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import DataError, connection, transaction

from config.bulk import allocate_ids
from workflow.models import Checkpoint, CheckpointChunk
from workflow.proof import keys, merkle

STATEMENT_FORMAT = "pakn-checkpoint-v1"
CHUNK_ROOT = struct.Struct(">I32s")  # chunk number, chunk root
# Any number: the session lock that keeps two checkpoints from being taken at once.
LOCK_ID = 0x50414B4E  # "PAKN"
# Chunks written per INSERT while the scan goes on (each up to 45 KB).
WRITE_BATCH = 50


class CheckpointError(Exception):
    pass


def take_checkpoint(*, now) -> Checkpoint:
    """Seal every petition's history head: compute, sign, store, publish.

    The key is loaded first, so that a missing key fails before any work. Taken
    one at a time (a PostgreSQL session lock); the snapshot, taken right after
    `now`, is what is sealed: entries committed later are sealed by the next one.
    """
    key = keys.signing_key()
    # Within a caller's transaction (a test), its snapshot is the one sealed.
    outermost = not connection.in_atomic_block
    with _one_at_a_time(), transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        taken_at = now
        previous = Checkpoint.objects.order_by("-number").first()
        [checkpoint_id] = allocate_ids(Checkpoint, 1)
        sealed = _seal_chunks(checkpoint_id, _chunk_roots(previous))
        if not sealed.roots:
            raise CheckpointError("No petition has any history yet: nothing to seal.")
        root = merkle.root([r for _, r in sealed.roots]).hex()
        number = previous.number + 1 if previous else 1
        statement = _compact(
            {
                "format": STATEMENT_FORMAT,
                "number": number,
                "taken_at": taken_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "petitions": sealed.petitions,
                "entries": sealed.entries,
                "root": root,
                "chunk_span": merkle.CHUNK_SPAN,
                "previous": statement_digest(previous.statement) if previous else None,
                "public_key": keys.public_key_hex(key),
                "site": settings.SITE_URL,
            }
        )
        checkpoint = Checkpoint(
            pk=checkpoint_id,
            number=number,
            taken_at=taken_at,
            petitions=sealed.petitions,
            entries=sealed.entries,
            root=root,
            statement=statement,
            signature=key.sign(statement.encode()).hex(),
            public_key=keys.public_key_hex(key),
            chunk_roots=b"".join(CHUNK_ROOT.pack(c, r) for c, r in sealed.roots),
        )
        checkpoint.save(force_insert=True)
        _publish(checkpoint)
    return checkpoint


def statement_digest(statement: str) -> str:
    """What the next statement names as `previous`: SHA-256 of this one's text."""
    return hashlib.sha256(statement.encode()).hexdigest()


def chunk_roots(checkpoint) -> dict[int, bytes]:
    return dict(CHUNK_ROOT.iter_unpack(bytes(checkpoint.chunk_roots)))


def _chunk_roots(checkpoint) -> dict[int, bytes]:
    return chunk_roots(checkpoint) if checkpoint is not None else {}


@dataclass
class _Sealed:
    roots: list  # (chunk, root) in chunk order
    petitions: int = 0
    entries: int = 0


# One row per chunk: its leaf records, built by PostgreSQL (a million petitions
# are about a thousand rows of 45 KB, not a million Python objects).
CHUNK_LEAVES_SQL = f"""
SELECT id / {merkle.CHUNK_SPAN} AS chunk,
       string_agg(int8send(id) || int4send(history_length)
                  || decode(history_head, 'hex'), ''::bytea ORDER BY id),
       count(*), sum(history_length)
FROM workflow_petition
WHERE history_length > 0
GROUP BY 1 ORDER BY 1
"""


def _seal_chunks(checkpoint_id, previous_roots) -> _Sealed:
    sealed, pending = _Sealed(roots=[]), []
    with connection.chunked_cursor() as cursor:
        cursor.cursor.itersize = 100
        try:
            cursor.execute(CHUNK_LEAVES_SQL)
            for chunk, blob, petitions, entries in cursor:
                blob = bytes(blob)
                if len(blob) != petitions * merkle.RECORD.size:
                    _refuse_bad_heads()
                chunk_root = merkle.chunk_root(blob)
                sealed.roots.append((chunk, chunk_root))
                sealed.petitions += petitions
                sealed.entries += entries
                if previous_roots.get(chunk) != chunk_root:
                    pending.append(
                        CheckpointChunk(
                            checkpoint_id=checkpoint_id, chunk=chunk, leaves=blob
                        )
                    )
                if len(pending) >= WRITE_BATCH:
                    CheckpointChunk.objects.bulk_create(pending)
                    pending = []
        except DataError:  # decode() met a head that is not hex
            _refuse_bad_heads()
    CheckpointChunk.objects.bulk_create(pending)
    return sealed


def _refuse_bad_heads():
    """A petition whose head is not a SHA-256 hash was altered outside the
    services: sealing it would be sealing a guess, so the checkpoint is refused."""
    raise CheckpointError(
        "A petition's history head is not 64 hex digits (altered outside the "
        "services?): run `manage.py verify_audit`, which names it."
    )


@contextmanager
def _one_at_a_time():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
        if not cursor.fetchone()[0]:
            raise CheckpointError("Another checkpoint is being taken right now.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


def _publish(checkpoint):
    """Copies outside the system: one e-mail per configured recipient (outbox)."""
    from notifications.services import Recipient, queue_notifications

    recipients = [
        Recipient("email", address=address)
        for address in settings.AUDIT_CHECKPOINT_RECIPIENTS
    ]
    queue_notifications(
        event="checkpoint",
        petition_id=None,
        recipients=recipients,
        now=checkpoint.taken_at,
        context={
            "number": checkpoint.number,
            "statement": checkpoint.statement,
            "signature": checkpoint.signature,
            "public_key": checkpoint.public_key,
            "petitions": checkpoint.petitions,
            "taken_at": checkpoint.taken_at.isoformat(),
        },
        dedupe_key=f"checkpoint:{checkpoint.number}",
    )


def _compact(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- a petition's path to a checkpoint ------------------------------------------


@dataclass(frozen=True)
class ProofPath:
    checkpoint: Checkpoint
    count: int
    head: str
    steps: list  # ("L" | "R", hex)


def proof_path(petition_id: int) -> ProofPath | None:
    """The newest checkpoint that sealed this petition, and the path from its leaf
    to that checkpoint's root; None before any checkpoint included it.

    Reads one chunk's leaves and the checkpoint's chunk roots: about 1,000 leaf
    hashes and 2,000 node hashes, whatever the number of petitions.
    """
    checkpoint = Checkpoint.objects.order_by("-number").first()
    if checkpoint is None:
        return None
    chunk = merkle.chunk_of(petition_id)
    roots = chunk_roots(checkpoint)
    if chunk not in roots:
        return None
    row = (
        CheckpointChunk.objects.filter(
            chunk=chunk, checkpoint__number__lte=checkpoint.number
        )
        .order_by("-checkpoint__number")
        .only("leaves")
        .first()
    )
    if row is None:
        return None
    blob = bytes(row.leaves)
    found = list(merkle.records(blob))
    index = bisect_left([pid for pid, _, _ in found], petition_id)
    if index == len(found) or found[index][0] != petition_id:
        return None
    chunks = sorted(roots)
    steps = merkle.path(merkle.leaf_hashes(blob), index) + merkle.path(
        [roots[c] for c in chunks], chunks.index(chunk)
    )
    _, count, head = found[index]
    return ProofPath(
        checkpoint=checkpoint,
        count=count,
        head=head.hex(),
        steps=[(side, h.hex()) for side, h in steps],
    )


# --- publication ------------------------------------------------------------------


def published_page(*, before=None, limit) -> tuple[list[Checkpoint], bool]:
    """Checkpoints newest first (below `before`), and whether more follow."""
    rows = Checkpoint.objects.defer("chunk_roots").order_by("-number")
    if before is not None:
        rows = rows.filter(number__lt=before)
    rows = list(rows[: limit + 1])
    return rows[:limit], len(rows) > limit


def published(checkpoint, *, url) -> dict:
    """What anyone may read of a checkpoint: enough to check its signature."""
    return {
        "number": checkpoint.number,
        "taken_at": checkpoint.taken_at.isoformat(),
        "petitions": checkpoint.petitions,
        "entries": checkpoint.entries,
        "root": checkpoint.root,
        "statement": checkpoint.statement,
        "signature": checkpoint.signature,
        "public_key": checkpoint.public_key,
        "url": url,
    }
