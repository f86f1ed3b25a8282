"""Several sweep workers share the due clocks without doing anything twice."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from workflow import sweeps
from workflow.models import HistoryEntry, Petition, SlaAlert

RECEIVED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ANSWER_DUE = datetime(2026, 3, 23, 17, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_two_workers_record_each_breach_once(submit, routed_to_a, monkeypatch):
    with time_machine.travel(RECEIVED, tick=False):
        petitions = [submit() for _ in range(12)]
    monkeypatch.setattr(sweeps.check_due_clocks, "__kwdefaults__", {"limit": 2})
    done = sweeps.sweep(now=ANSWER_DUE + timedelta(minutes=1), workers=2)
    ids = [p.pk for p in petitions]
    # Routing stopped the triage clocks in time; the acceptance and answer clocks
    # of 12 petitions ran out: 24 breaches, each recorded once.
    assert done["breach"] == 24
    assert SlaAlert.objects.filter(kind="breach").count() == 24
    assert Petition.objects.filter(pk__in=ids, breached_at=ANSWER_DUE).count() == 12
    assert HistoryEntry.objects.filter(action="breach").count() == 24
