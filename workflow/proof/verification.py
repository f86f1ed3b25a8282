"""Proof that today's history extends every checkpoint (`verify_audit --checkpoints`).

For each checkpoint: its signature verifies under a trusted key, it names the one
before it, and its stored chunk roots recompute to its signed root. For each
chunk: every stored version of its leaves recomputes to the root its checkpoints
signed, and each leaf's petition, its chain recomputed from the entries' content
up to the sealed count, still ends in the sealed head. A history rewritten
consistently behind the trigger (every hash recomputed) passes the chain check
and fails here, naming the petition and the checkpoint.
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from workflow.models import Checkpoint, CheckpointChunk, HistoryEntry, Petition
from workflow.models.history import GENESIS_HASH, chain_hash
from workflow.proof import keys, merkle
from workflow.proof.checkpoints import chunk_roots, statement_digest


@dataclass(frozen=True)
class CheckpointBreak:
    checkpoint: int
    problem: str
    tracking_code: str = ""
    petition_id: int | None = None

    def __str__(self):
        where = f"checkpoint #{self.checkpoint}"
        if self.petition_id is not None:
            where += f", petition {self.tracking_code} (id {self.petition_id})"
        return f"{where}: {self.problem}"


def verify_checkpoints(trusted_keys=None):
    """Yield every way in which today's data does not extend the checkpoints."""
    trusted = keys.trusted_public_keys() if trusted_keys is None else trusted_keys
    checkpoints = list(Checkpoint.objects.order_by("number"))
    roots_by_number = {}
    previous = None
    for checkpoint in checkpoints:
        yield from _check_statement(checkpoint, previous, trusted)
        roots = chunk_roots(checkpoint)
        roots_by_number[checkpoint.number] = roots
        if not roots or merkle.root([roots[c] for c in sorted(roots)]).hex() != (
            checkpoint.root
        ):
            yield CheckpointBreak(
                checkpoint.number, "its stored chunk roots do not give its root"
            )
        previous = checkpoint
    chunks = sorted({c for roots in roots_by_number.values() for c in roots})
    for chunk in chunks:
        yield from _check_chunk(chunk, roots_by_number)


def _check_statement(checkpoint, previous, trusted):
    number = checkpoint.number
    try:
        statement = json.loads(checkpoint.statement)
    except ValueError:
        yield CheckpointBreak(number, "its statement is not JSON")
        return
    if not keys.signature_is_valid(
        checkpoint.public_key, checkpoint.signature, checkpoint.statement.encode()
    ):
        yield CheckpointBreak(number, "its signature does not verify")
    if checkpoint.public_key.lower() not in trusted:
        yield CheckpointBreak(
            number, f"signed by an untrusted key {checkpoint.public_key}"
        )
    stated = (
        statement.get("number"),
        statement.get("root"),
        statement.get("public_key"),
        statement.get("petitions"),
    )
    stored = (number, checkpoint.root, checkpoint.public_key, checkpoint.petitions)
    if stated != stored:
        yield CheckpointBreak(number, "its stored fields differ from its statement")
    expected_number = previous.number + 1 if previous else 1
    if number != expected_number:
        yield CheckpointBreak(
            number, f"checkpoint #{expected_number} is missing before it"
        )
    expected_previous = statement_digest(previous.statement) if previous else None
    if statement.get("previous") != expected_previous:
        yield CheckpointBreak(number, "it does not name the checkpoint before it")


def _check_chunk(chunk, roots_by_number):
    versions = list(
        CheckpointChunk.objects.filter(chunk=chunk)
        .order_by("checkpoint__number")
        .values_list("checkpoint__number", "leaves")
    )
    # Each stored version, and the first checkpoint that sealed each leaf.
    first_sealed: dict[tuple, int] = {}
    version_roots = []
    for number, blob in versions:
        blob = bytes(blob)
        version_roots.append((number, merkle.chunk_root(blob) if blob else b""))
        for leaf in merkle.records(blob):
            first_sealed.setdefault(leaf, number)
    for number in sorted(roots_by_number):
        signed = roots_by_number[number].get(chunk)
        if signed is None:
            continue
        used = [root for n, root in version_roots if n <= number]
        if not used or used[-1] != signed:
            yield CheckpointBreak(
                number,
                f"the stored leaves of chunk {chunk} do not give its signed root "
                "(checkpoint data altered or removed)",
            )
    heads = _recomputed_heads(chunk)
    codes = dict(
        Petition.objects.filter(
            pk__in={pid for pid, _c, _h in first_sealed}
        ).values_list("pk", "tracking_code")
    )
    reported = set()
    for (pid, count, head), number in sorted(first_sealed.items(), key=lambda i: i[1]):
        if pid in reported:
            continue
        chain = heads.get(pid, [])
        now_head = chain[count - 1] if count <= len(chain) else None
        if now_head == head.hex():
            continue
        reported.add(pid)
        if now_head is None:
            problem = (
                f"it sealed {count} entries, today's history has {len(chain)} "
                "(entries removed)"
            )
        else:
            problem = (
                f"it sealed entry #{count} with head {head.hex()[:16]}…, today's "
                f"history gives {now_head[:16]}… (history rewritten since)"
            )
        yield CheckpointBreak(number, problem, codes.get(pid, "?"), pid)


def _recomputed_heads(chunk) -> dict[int, list[str]]:
    """Each petition's hashes after entry 1, 2, … as its entries' content gives
    them, each chained to the recomputed one before (stored hashes are not used)."""
    low, high = chunk * merkle.CHUNK_SPAN, (chunk + 1) * merkle.CHUNK_SPAN
    entries = (
        HistoryEntry.objects.filter(petition_id__gte=low, petition_id__lt=high)
        .select_related("petition")
        .order_by("petition_id", "seq")
    )
    heads: dict[int, list[str]] = defaultdict(list)
    for entry in entries.iterator(chunk_size=2000):
        chain = heads[entry.petition_id]
        if entry.seq != len(chain) + 1:
            continue  # a gap: the chain ends where the gap starts
        values = entry.hashed_values()
        values["prev_hash"] = chain[-1] if chain else GENESIS_HASH
        chain.append(chain_hash(values))
    return heads
