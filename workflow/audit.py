"""Proof that no history was altered: walking each petition's hash chain."""

from dataclasses import dataclass

from workflow.models import HistoryEntry, Petition
from workflow.models.history import GENESIS_HASH


@dataclass(frozen=True)
class ChainBreak:
    petition_id: int
    tracking_code: str
    seq: int
    problem: str

    def __str__(self):
        return (
            f"petition {self.tracking_code} (id {self.petition_id}), "
            f"entry #{self.seq}: {self.problem}"
        )


def verify_chain(entries, head: str) -> ChainBreak | None:
    """The first break in one petition's entries (ordered by seq), or None when intact.

    Catches an edited entry (its hash no longer matches its content), a removed or
    reordered entry (a gap in `seq`, or `prev_hash` not matching the entry before),
    and a removed newest entry (the petition's `history_head` names a later one).
    """
    expected_prev, expected_seq = GENESIS_HASH, 1
    for entry in entries:
        code = entry.petition.tracking_code
        if entry.seq != expected_seq:
            return ChainBreak(
                entry.petition_id,
                code,
                expected_seq,
                f"missing (next entry found is #{entry.seq})",
            )
        if entry.prev_hash != expected_prev:
            return ChainBreak(
                entry.petition_id,
                code,
                entry.seq,
                "does not follow the entry before it "
                "(previous entry altered or removed)",
            )
        if entry.compute_hash() != entry.hash:
            return ChainBreak(entry.petition_id, code, entry.seq, "content altered")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    if entries and head != expected_prev:
        last = entries[-1]
        return ChainBreak(
            last.petition_id,
            last.petition.tracking_code,
            last.seq + 1,
            "missing (the petition records a newer entry than the last one found)",
        )
    return None


def verify_history(petition_ids=None, chunk_size=2000):
    """Yield every chain break in the database (or among `petition_ids`)."""
    entries = HistoryEntry.objects.select_related("petition").order_by(
        "petition_id", "seq"
    )
    if petition_ids is not None:
        entries = entries.filter(petition_id__in=petition_ids)
    current, batch = None, []
    for entry in entries.iterator(chunk_size=chunk_size):
        if entry.petition_id != current:
            if batch and (found := verify_chain(batch, batch[0].petition.history_head)):
                yield found
            current, batch = entry.petition_id, []
        batch.append(entry)
    if batch and (found := verify_chain(batch, batch[0].petition.history_head)):
        yield found
    emptied = Petition.objects.exclude(history_head="").filter(history__isnull=True)
    if petition_ids is not None:
        emptied = emptied.filter(pk__in=petition_ids)
    for petition in emptied.only("pk", "tracking_code"):
        yield ChainBreak(
            petition.pk, petition.tracking_code, 1, "missing (all entries removed)"
        )
