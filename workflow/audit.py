"""Proof that no history was altered: walking each petition's hash chain."""

from dataclasses import dataclass

from workflow.models import HistoryEntry, Petition
from workflow.models.history import ERASURE_ACTION, GENESIS_HASH, reason_commitment
from workflow.models.petitions import Action
from workflow.receipts import receipt_facts


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
    Text erased under the retention rules is no break when a later entry of the
    chain records the erasure (see workflow.models.history); any other erasure is.
    """
    erased, sealed = _erasures(entries)
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
        if problem := _content_problem(entry, erased, sealed):
            return ChainBreak(entry.petition_id, code, entry.seq, problem)
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    if entries and head != expected_prev:
        last = entries[-1]
        return ChainBreak(
            last.petition_id,
            last.petition.tracking_code,
            last.seq + 1,
            "missing (the petition records a newer entry than the last one found)",
        )
    if entries:
        return _receipt_problem(entries[0]) or _row_problem(entries[-1])
    return None


def _receipt_problem(first) -> ChainBreak | None:
    """The petition row against the receipt facts its first entry records
    (workflow.receipts.receipt_facts): the reports count petitions by door,
    receipt moment, province and category, so a row that says otherwise moved a
    petition between figures without a trace. Entries written before a fact was
    recorded do not name it, and it is not checked for them."""
    if first.action != Action.SUBMIT:
        return None
    petition = first.petition
    for what, found in receipt_facts(petition).items():
        if what in first.data and first.data[what] != found:
            return ChainBreak(
                petition.pk,
                petition.tracking_code,
                first.seq,
                f"the petition's {what} ({_as_read(what, found)}) is not the one "
                f"its first entry records ({_as_read(what, first.data[what])}): "
                "changed without a step",
            )
    return None


def _as_read(what, value):
    """A recorded unit as an auditor looks it up: its official or category code
    (the record holds row ids), else the value as recorded."""
    from workflow.areas.models import Commune, Province
    from workflow.models import Category

    model = {"province": Province, "commune": Commune, "category": Category}.get(what)
    if model is None or value is None:
        return value
    code = model.objects.filter(pk=value).values_list("code", flat=True).first()
    return f"code {code}" if code is not None else f"id {value}"


def _row_problem(last) -> ChainBreak | None:
    """The petition row against its newest entry: every step writes the state it
    leaves the petition in and the agency holding it, so a row that says
    otherwise was changed without a step (an UPDATE behind the services' back,
    which would take a petition off the queues and the overdue lists)."""
    petition = last.petition
    for what, found, recorded in (
        ("state", petition.state, last.to_state),
        ("agency", petition.agency_id, last.agency_id),
    ):
        if found != recorded:
            return ChainBreak(
                petition.pk,
                petition.tracking_code,
                last.seq,
                f"the petition's {what} ({found}) is not the one its newest entry "
                f"records ({recorded}): changed without a step",
            )
    return None


def _erasures(entries) -> tuple[set[int], dict[int, str]]:
    """The seqs whose text a later entry of the chain erased, and the seals of the
    format-1 ones among them."""
    erased: set[int] = set()
    sealed: dict[int, str] = {}
    for entry in entries:
        if entry.action != ERASURE_ACTION:
            continue
        erased.update(seq for seq in entry.data.get("erased", []) if seq < entry.seq)
        sealed.update(
            (int(seq), seal)
            for seq, seal in entry.data.get("sealed", {}).items()
            if int(seq) < entry.seq
        )
    return erased, sealed


def _content_problem(entry, erased, sealed) -> str | None:
    """Why an entry's content does not match its hash, or None when it does."""
    if entry.hash_format == 1:
        if entry.compute_hash() == entry.hash:
            return None
        # Its reason was erased: the seal vouches for everything else.
        if not entry.reason and sealed.get(entry.seq) == entry.seal():
            return None
        return "content altered"
    if entry.hash_format not in (2, 3):
        return f"unknown hash format {entry.hash_format}"
    if entry.compute_hash() != entry.hash:
        return "content altered"
    if not entry.reason_digest:
        return "content altered" if entry.reason or entry.reason_salt else None
    if entry.reason_salt:
        matches = reason_commitment(entry.reason_salt, entry.reason)
        return None if matches == entry.reason_digest else "content altered"
    if entry.reason:
        return "content altered"
    if entry.seq not in erased:
        return "text erased without a record of the erasure"
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
