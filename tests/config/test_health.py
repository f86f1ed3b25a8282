"""/healthz and /readyz as a load balancer and an operator read them."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_q.models import Schedule

from tests.support.cluster import running_cluster

MONITORING = "monitoring-token-for-the-tests"


@pytest.fixture(autouse=True)
def monitoring_token(settings):
    settings.METRICS_TOKEN = MONITORING


def ready(**headers):
    """/readyz as the monitoring reads it (with /metrics' token), or as given."""
    headers = headers or {"Authorization": f"Bearer {MONITORING}"}
    response = Client().get("/readyz", headers=headers)
    return response.status_code, response.json()


def test_healthz_answers_without_asking_anything(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_names_each_check_and_fails_while_no_sweep_ran(db):
    status, body = ready()
    assert status == 503
    assert body["status"] == "unavailable"
    checks = body["checks"]
    assert set(checks) == {"database", "migrations", "scheduler", "outbox", "sweep"}
    assert checks["database"] == {"ok": True}
    assert checks["migrations"] == {"ok": True}
    assert checks["sweep"] == {"ok": False, "detail": "the SLA sweep last ran never"}


def test_readyz_tells_others_only_which_checks_fail_not_why(db, settings):
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        status, body = ready(Authorization="Bearer a-wrong-token")
    assert status == 503
    assert body == {
        "status": "unavailable",
        "checks": {
            "database": {"ok": True},
            "migrations": {"ok": True},
            "scheduler": {"ok": False},
            "outbox": {"ok": True},
            "sweep": {"ok": False},
        },
    }
    # A caller from the monitoring's network is told why, as with the token.
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        status, body = ready(Authorization="Bearer a-wrong-token")
    assert "workflow.sweep_sla" in body["checks"]["scheduler"]["detail"]


def test_readyz_names_the_schedules_no_cluster_ran(db):
    # The schedules were due at migration time; three minutes on, nobody ran them.
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        status, body = ready()
    assert status == 503
    scheduler = body["checks"]["scheduler"]
    assert scheduler["ok"] is False
    assert "workflow.sweep_sla" in scheduler["detail"]
    assert "notifications.deliver_due" in scheduler["detail"]


def test_readyz_fails_when_a_due_notification_waits_too_long(submit, routed_to_a):
    # The rows are written, but their delivery is never enqueued (the test's
    # transaction does not commit): ten minutes later they are stuck.
    submit()
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        status, body = ready()
    assert status == 503
    outbox = body["checks"]["outbox"]
    assert outbox["ok"] is False
    assert "has waited 6" in outbox["detail"]


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
def test_readyz_turns_ready_once_a_cluster_runs_the_schedules(tmp_path):
    assert ready()[0] == 503
    Schedule.objects.update(next_run=timezone.now())
    log = tmp_path / "qcluster.log"
    with running_cluster(log):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status, body = ready()
            if status == 200:
                break
            time.sleep(1)
    assert status == 200, (body, log.read_text()[-2000:])
    assert body["status"] == "ok"
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["outbox"]["oldest_due_seconds"] == 0
