"""History is append-only in PostgreSQL; verify_audit proves it was not altered."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError

from tests.support.tampering import behind_the_triggers_back
from workflow import services
from workflow.audit import verify_history
from workflow.models import HistoryEntry


@pytest.fixture
def handled(submit, routed_to_a, handler_a):
    petition = submit()
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(petition_id=petition.pk, actor=handler_a, text="Đã xử lý")
    return petition


def test_update_of_history_is_refused_by_the_database(handled):
    entry = HistoryEntry.objects.filter(petition=handled).first()
    with pytest.raises((InternalError, ProgrammingError), match="append-only"):
        with transaction.atomic():
            HistoryEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    assert HistoryEntry.objects.get(pk=entry.pk).reason == entry.reason


def test_delete_of_history_is_refused_by_the_database(handled):
    with pytest.raises((InternalError, ProgrammingError), match="append-only"):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM workflow_historyentry WHERE petition_id = %s",
                    [handled.pk],
                )
    assert HistoryEntry.objects.filter(petition=handled).count() == 4


def test_each_entry_chains_to_the_previous(handled):
    entries = list(HistoryEntry.objects.filter(petition=handled).order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    assert handled.__class__.objects.get(pk=handled.pk).history_head == entries[-1].hash


def test_verify_audit_passes_on_an_intact_database(handled, capsys):
    call_command("verify_audit")
    assert "4 history entries verified" in capsys.readouterr().out


def test_verify_audit_names_petition_and_entry_of_an_altered_row(handled, capsys):
    entry = HistoryEntry.objects.get(petition=handled, seq=3)
    behind_the_triggers_back(
        "UPDATE workflow_historyentry SET reason = 'khác' WHERE id = %s", [entry.pk]
    )
    with pytest.raises(CommandError, match="1 petition history chain"):
        call_command("verify_audit")
    err = capsys.readouterr().err
    assert handled.tracking_code in err
    assert "entry #3: content altered" in err


def test_verify_audit_notices_a_removed_entry_in_the_middle(handled):
    entry = HistoryEntry.objects.get(petition=handled, seq=2)
    behind_the_triggers_back(
        "DELETE FROM workflow_historyentry WHERE id = %s", [entry.pk]
    )
    [found] = verify_history()
    assert (found.tracking_code, found.seq) == (handled.tracking_code, 2)
    assert "missing" in found.problem


def test_verify_audit_notices_a_removed_last_entry(handled):
    entry = HistoryEntry.objects.get(petition=handled, seq=4)
    behind_the_triggers_back(
        "DELETE FROM workflow_historyentry WHERE id = %s", [entry.pk]
    )
    [found] = verify_history()
    assert found.seq == 4
    assert "newer entry" in found.problem


def test_verify_audit_notices_a_rewritten_chain_tail(handled):
    # Recomputing one entry's own hash after editing it still breaks the next link.
    entry = HistoryEntry.objects.get(petition=handled, seq=2)
    entry.actor_label = "forged"
    forged_hash = entry.compute_hash()
    behind_the_triggers_back(
        "UPDATE workflow_historyentry SET actor_label = 'forged', hash = %s "
        "WHERE id = %s",
        [forged_hash, entry.pk],
    )
    [found] = verify_history()
    assert found.seq == 3
    assert "does not follow" in found.problem


@pytest.mark.parametrize("what", ["state", "agency"])
def test_verify_audit_notices_a_petition_changed_without_a_step(handled, what):
    # The petition row is no history, so no trigger guards it; every step records
    # the state and agency it leaves, so a row that disagrees was changed around
    # the services (and would leave the queues and the overdue lists unseen).
    from workflow.models import Petition

    Petition.objects.filter(pk=handled.pk).update(
        **{"state": "closed"} if what == "state" else {"agency": None}
    )

    [found] = verify_history()

    assert (found.tracking_code, found.seq) == (handled.tracking_code, 4)
    assert f"the petition's {what}" in found.problem
    assert "changed without a step" in found.problem


def _moved(what):
    """An UPDATE of one receipt fact, as an insider moving a petition between the
    report's figures would write it."""
    from datetime import timedelta

    from django.db.models import F

    from tests import factories

    return {
        "province": lambda: {"province": factories.province(factories.THAI_NGUYEN)},
        "commune": lambda: {"commune": factories.commune_of(index=1)},
        "category": lambda: {"category": factories.category("roads")},
        "channel": lambda: {"channel": "phone"},
        "received_at": lambda: {"received_at": F("received_at") + timedelta(days=3)},
        "entered_at": lambda: {"entered_at": F("entered_at") - timedelta(hours=2)},
    }[what]()


@pytest.mark.parametrize(
    "what", ["province", "commune", "category", "channel", "received_at"]
)
def test_verify_audit_notices_receipt_facts_changed_without_a_step(handled, what):
    # The reports count by door, receipt moment, province and category; the first
    # entry records them, so a row moved between figures is a break.
    from workflow.models import Petition

    Petition.objects.filter(pk=handled.pk).update(**_moved(what))

    [found] = verify_history()

    assert (found.tracking_code, found.seq) == (handled.tracking_code, 1)
    assert f"the petition's {what} " in found.problem
    assert "first entry records" in found.problem


@pytest.mark.parametrize("what", ["received_at", "entered_at"])
def test_verify_audit_notices_a_staff_entry_redated(reception, enter, what):
    # Moving either moment hides a back-dated entry from the auditors' list.
    from workflow.models import Petition

    petition = enter(reception).petition
    assert list(verify_history()) == []

    Petition.objects.filter(pk=petition.pk).update(**_moved(what))

    [found] = verify_history()
    assert found.seq == 1 and f"the petition's {what} " in found.problem


def test_receipt_facts_are_hashed_into_the_first_entry(submit):
    # Not a column beside the chain: the record is part of the hashed data, so
    # editing it to match a moved row breaks the entry itself.
    petition = submit()
    first = HistoryEntry.objects.get(petition=petition, seq=1)
    assert first.data["province"] == petition.province_id
    assert first.data["category"] == petition.category_id
    assert first.data["channel"] == "web"

    behind_the_triggers_back(
        "UPDATE workflow_historyentry SET data = data || '{\"province\": 0}' "
        "WHERE id = %s",
        [first.pk],
    )

    [found] = verify_history()
    assert found.seq == 1 and found.problem == "content altered"


def test_a_moved_petition_is_named_by_the_units_codes_an_auditor_looks_up(handled):
    # The record holds row ids; the auditor reads official codes.
    from tests import factories
    from workflow.models import Petition

    Petition.objects.filter(pk=handled.pk).update(
        province=factories.province(factories.THAI_NGUYEN)
    )

    [found] = verify_history()

    assert "province (code 19)" in found.problem
    assert "records (code 20)" in found.problem
