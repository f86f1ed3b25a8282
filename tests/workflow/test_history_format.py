"""History hash formats: old chains keep verifying, personal text can be erased."""

from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.db.utils import InternalError, ProgrammingError
from django.utils import timezone

from tests.support.tampering import behind_the_triggers_back
from workflow import services
from workflow.access import Actor
from workflow.audit import verify_history
from workflow.history import ChainBroken, erase_texts
from workflow.models import HistoryEntry, Petition
from workflow.models.history import GENESIS_HASH, chain_hash, reason_commitment

CITIZEN_TEXT = "Số CCCD của tôi là 001090000001, điện thoại 0912345678"


@pytest.fixture
def questioned(submit, routed_to_a, handler_a, citizen):
    """A petition whose history holds the handler's question and the citizen's reply."""
    petition = submit()
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.request_information(
        petition_id=petition.pk, actor=handler_a, question="Xin gửi số CCCD?"
    )
    services.provide_information(
        petition_id=petition.pk, actor=citizen, text=CITIZEN_TEXT
    )
    return Petition.objects.get(pk=petition.pk)


def erase(petition):
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        values = erase_texts(
            petition, actor=Actor.system(), at=timezone.now(), data={"rule": "test"}
        )
        petition.save(update_fields=["history_head", "history_length"])
    return values


def test_the_first_format_hashes_exactly_as_before():
    # The value the released code (format 1, before this change) gave for these
    # fields: chains written then must keep verifying, and their heads not move.
    values = dict(
        petition_id=7,
        seq=3,
        action="provide_info",
        from_state="awaiting_info",
        to_state="in_progress",
        actor_id=None,
        actor_label="submitter",
        at=datetime(2026, 3, 2, 3, 4, 5, tzinfo=UTC),
        reason="Số CCCD của tôi là 001090000001",
        agency_id=2,
        due_at=datetime(2026, 3, 20, 17, 0, tzinfo=UTC),
        data={"k": [1, "ă"]},
        prev_hash="a" * 64,
    )
    expected = "319dbd9b6b262c20956510819444741a35a4438159d6929059da264e6501fac7"
    assert chain_hash(values) == expected
    assert chain_hash({**values, "hash_format": 1}) == expected


def test_new_entries_hash_a_salted_commitment_not_the_text(questioned):
    entry = HistoryEntry.objects.get(petition=questioned, action="provide_info")
    assert entry.hash_format == 3  # format 3 keeps format 2's commitment
    assert entry.reason == CITIZEN_TEXT
    assert entry.reason_digest == reason_commitment(entry.reason_salt, CITIZEN_TEXT)
    # The text is not in what the chain hashes: changing it leaves the hash as is.
    entry.reason = "other"
    assert entry.compute_hash() == entry.hash


def test_an_altered_reason_is_still_caught_by_its_commitment(questioned):
    entry = HistoryEntry.objects.get(petition=questioned, action="provide_info")
    behind_the_triggers_back(
        "UPDATE workflow_historyentry SET reason = 'sửa' WHERE id = %s", [entry.pk]
    )
    [found] = verify_history([questioned.pk])
    assert (found.seq, found.problem) == (entry.seq, "content altered")


def test_erasing_the_texts_leaves_the_chain_verifiable(questioned):
    head_before = questioned.history_head
    values = erase(questioned)
    petition = Petition.objects.get(pk=questioned.pk)
    assert list(verify_history([petition.pk])) == []
    # Nothing of the texts is left; the entries keep their hashes and commitments.
    texts = HistoryEntry.objects.filter(petition=petition).exclude(reason="")
    assert not texts.exists()
    reply = HistoryEntry.objects.get(petition=petition, action="provide_info")
    assert reply.reason_digest and not reply.reason_salt and reply.is_erased
    # The erasure is the chain's next entry; the earlier head is its predecessor.
    assert values["prev_hash"] == head_before
    assert petition.history_head == values["hash"]
    assert sorted(values["data"]["erased"]) == sorted(
        HistoryEntry.objects.filter(petition=petition)
        .exclude(reason_digest="")
        .values_list("seq", flat=True)
    )


def test_text_erased_without_a_record_breaks_the_chain(questioned):
    # The trigger lets an erasure through; only a recorded one is legitimate.
    entry = HistoryEntry.objects.get(petition=questioned, action="provide_info")
    HistoryEntry.objects.filter(pk=entry.pk).update(reason="", reason_salt="")
    [found] = verify_history([questioned.pk])
    assert found.seq == entry.seq
    assert "erased without a record" in found.problem


def test_the_database_refuses_an_erasure_that_changes_anything_else(questioned):
    entry = HistoryEntry.objects.get(petition=questioned, action="provide_info")
    with pytest.raises((InternalError, ProgrammingError), match="append-only"):
        with transaction.atomic():
            HistoryEntry.objects.filter(pk=entry.pk).update(
                reason="", reason_salt="", actor_label="someone"
            )
    with pytest.raises((InternalError, ProgrammingError), match="append-only"):
        with transaction.atomic():
            HistoryEntry.objects.filter(pk=entry.pk).update(reason="x", reason_salt="")
    assert HistoryEntry.objects.get(pk=entry.pk).reason == CITIZEN_TEXT


def write_first_format_chain(petition, reasons):
    """Entries as the code before format 2 wrote them (the reason hashed itself)."""
    prev = GENESIS_HASH
    start = petition.history_length
    for offset, reason in enumerate(reasons, start=1):
        values = dict(
            petition_id=petition.pk,
            seq=start + offset,
            action="note",
            from_state=petition.state,
            to_state=petition.state,
            actor_id=None,
            actor_label="submitter",
            at=datetime(2025, 12, 1, 8, offset, tzinfo=UTC),
            reason=reason,
            agency_id=petition.agency_id,
            due_at=None,
            data={},
            prev_hash=prev if offset > 1 else petition.history_head or GENESIS_HASH,
        )
        values["hash"] = chain_hash(values)
        HistoryEntry.objects.create(**values, hash_format=1)
        prev = values["hash"]
    Petition.objects.filter(pk=petition.pk).update(
        history_head=prev, history_length=start + len(reasons)
    )
    return Petition.objects.get(pk=petition.pk)


@pytest.fixture
def old_chain(submit):
    """A petition whose history was written in format 1 only (a deployed database)."""
    petition = Petition.objects.get(pk=submit().pk)
    petition = write_first_format_chain(petition, ["", CITIZEN_TEXT, "Lý do khác"])
    assert list(verify_history([petition.pk])) == []
    return petition


def test_first_format_entries_verify_and_are_sealed_when_erased(old_chain):
    head_before = old_chain.history_head
    old = HistoryEntry.objects.filter(petition=old_chain, hash_format=1)
    with_text = sorted(str(e.seq) for e in old.exclude(reason=""))
    values = erase(old_chain)
    assert list(verify_history([old_chain.pk])) == []
    # Both format-1 entries with text were sealed, the empty one needed nothing.
    assert len(with_text) == 2
    assert sorted(values["data"]["sealed"]) == with_text
    assert not old.exclude(reason="").exists()
    assert values["prev_hash"] == head_before


def test_a_sealed_first_format_entry_altered_later_breaks_the_chain(old_chain):
    erase(old_chain)
    sealed = HistoryEntry.objects.filter(petition=old_chain, hash_format=1).last()
    behind_the_triggers_back(
        "UPDATE workflow_historyentry SET at = at + interval '1 day' WHERE id = %s",
        [sealed.pk],
    )
    [found] = verify_history([old_chain.pk])
    assert (found.seq, found.problem) == (sealed.seq, "content altered")


def test_a_broken_chain_is_not_sealed_over(old_chain):
    entry = HistoryEntry.objects.filter(petition=old_chain, hash_format=1).last()
    behind_the_triggers_back(
        "UPDATE workflow_historyentry SET reason = 'forged' WHERE id = %s",
        [entry.pk],
    )
    with pytest.raises(ChainBroken, match="content altered"):
        erase(old_chain)
    assert HistoryEntry.objects.get(pk=entry.pk).reason == "forged"
