"""/metrics: the product's figures for Prometheus, for the monitoring only."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from notifications.models import Notification
from workflow import sla, sweeps
from workflow.deadlines import VIETNAM
from workflow.models import Petition

# A Wednesday in an ordinary week (no holiday near it).
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=VIETNAM)
TOKEN = "metrics-token-for-tests"


@pytest.fixture
def monitoring(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]


def scrape(**client_options) -> dict:
    response = Client(**client_options).get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200, response.content
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_metrics_refuse_an_unknown_caller(db, monitoring):
    response = Client().get("/metrics")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    wrong = Client().get("/metrics", headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 403


def test_metrics_answer_the_token_and_the_allowed_network(db, monitoring):
    token = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert token.status_code == 200
    inside = Client(REMOTE_ADDR="10.20.3.4").get("/metrics")
    assert inside.status_code == 200
    assert inside["Content-Type"].startswith("text/plain")
    assert Client(REMOTE_ADDR="10.21.0.1").get("/metrics").status_code == 403


def test_metrics_count_open_at_risk_and_overdue_petitions_as_the_screens_do(
    submit, routed_to_a, monitoring
):
    # Acceptance within 2 working days: filed a week ago it is overdue, on Monday
    # at risk (past 75 %), this morning on track; one a minute ago is intake.
    for filed in (
        NOW - timedelta(days=7),
        NOW - timedelta(days=2),
        NOW - timedelta(hours=1),
        NOW - timedelta(minutes=1),
    ):
        with time_machine.travel(filed, tick=False):
            submit()
    with time_machine.travel(NOW, tick=False):
        statuses = [sla.sla_status(p, NOW) for p in Petition.objects.all()]
        samples = scrape()
    assert sorted(statuses) == ["at_risk", "on_track", "on_track", "overdue"]
    assert samples[("pakn_petitions", (("status", "open"),))] == 4
    assert samples[("pakn_petitions", (("status", "at_risk"),))] == 1
    assert samples[("pakn_petitions", (("status", "overdue"),))] == 1
    # One petition in the last five minutes, from the web form.
    rate = samples[("pakn_intake_petitions_per_second", (("channel", "web"),))]
    assert rate == pytest.approx(1 / 300)
    assert samples[("pakn_intake_petitions_per_second", (("channel", "portal"),))] == 0


def test_metrics_show_the_outbox_per_channel(submit, routed_to_a, monitoring):
    submit()
    submit(email="", phone="0912345678")
    Notification.objects.filter(channel="sms").update(status="failed")
    samples = scrape()

    def outbox(channel, status):
        labels = (("channel", channel), ("status", status))
        return samples[("pakn_outbox_notifications", labels)]

    pending_email = Notification.objects.filter(channel="email", status="pending")
    assert outbox("email", "pending") == pending_email.count() > 0
    assert outbox("sms", "failed") == 1
    assert outbox("sms", "pending") == 0
    assert outbox("webhook", "failed") == 0


def test_sweep_lag_grows_while_checks_wait_and_is_zero_after_the_sweep(
    submit, routed_to_a, monitoring
):
    with time_machine.travel(NOW - timedelta(days=7), tick=False):
        submit()
    with time_machine.travel(NOW, tick=False):
        lag = scrape()[("pakn_sweep_lag_seconds", ())]
        # The acceptance clock's warning has waited since last week.
        assert lag > 3 * 86400
        sweeps.sweep(now=NOW, workers=1)
        assert scrape()[("pakn_sweep_lag_seconds", ())] == 0
