"""The real django-q2 cluster runs the SLA sweep schedule by itself."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from notifications.models import Notification
from tests.support.cluster import running_cluster
from workflow import services
from workflow.models import Clock, Petition, SlaAlert


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
def test_cluster_records_breach_and_escalation_when_a_deadline_passes(
    submit, routed_to_a, handler_a, supervisor_a, tmp_path
):
    petition = submit()
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    # A deadline a few seconds ahead instead of weeks: the arithmetic that lays out
    # real deadlines is tested in test_deadlines/test_sla; here the machinery runs.
    due = timezone.now() + timedelta(seconds=3)
    Clock.objects.filter(petition=petition, kind="answer").update(
        due_at=due, next_check_at=due, warn_at=None, last_day_warn_at=None
    )
    # The schedule exists (post_migrate); make its first run due at once.
    Schedule.objects.filter(func="workflow.tasks.sweep_sla").update(
        next_run=timezone.now()
    )

    with running_cluster(tmp_path / "qcluster.log"):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if SlaAlert.objects.filter(
                clock__petition=petition, kind="breach"
            ).exists():
                break
            time.sleep(1)

    breach = SlaAlert.objects.filter(clock__petition=petition, kind="breach").first()
    assert breach is not None, (tmp_path / "qcluster.log").read_text()[-3000:]
    assert breach.at == due
    assert Petition.objects.get(pk=petition.pk).breached_at == due
    escalations = Notification.objects.filter(
        event="escalation", petition_id=petition.pk
    )
    assert list(escalations.values_list("recipient_address", flat=True)) == [
        "supervisor_a@staff.example"
    ]
