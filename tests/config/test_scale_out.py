"""Two clusters on one Redis broker share delivery and the SLA sweep: each
notification goes out once, each breach is recorded once."""

import json
import re
import time
from collections import Counter

import pytest
from django.utils import timezone
from django_q.conf import Conf
from django_q.tasks import async_task

from notifications.models import Notification
from tests.support.cluster import running_cluster
from tests.support.redis import running_redis
from workflow import services
from workflow.models import Clock, Petition, SlaAlert

PETITIONS = 40
MESSAGE_ID = re.compile(r"^Message-ID: (<[^>]+>)", re.MULTILINE)


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def redis_broker(tmp_path, monkeypatch):
    """A redis-server, and this process enqueueing into it as web does with
    REDIS_URL set (the test settings otherwise run tasks inline)."""
    with running_redis(tmp_path) as url:
        monkeypatch.setattr(Conf, "SYNC", False)
        monkeypatch.setattr(Conf, "ORM", None)
        monkeypatch.setattr(Conf, "REDIS", url)
        yield url


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
def test_two_clusters_on_redis_deliver_once_and_breach_once(
    redis_broker, submit, routed_to_a, handler_a, supervisor_a, tmp_path
):
    env = {
        "REDIS_URL": redis_broker,
        "Q_WORKERS": "2",
        "SMS_BACKEND": "notifications.channels.sms.FileBackend",
        "SMS_FILE_PATH": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_FORMAT": "text",
    }
    logs = [tmp_path / "cluster-1.log", tmp_path / "cluster-2.log"]
    with running_cluster(logs[0], **env), running_cluster(logs[1], **env):
        # Each commit enqueues its delivery into Redis; either cluster takes it.
        petitions = [
            submit(email="", phone=f"09{n:08d}", title=f"Đường số {n}")
            for n in range(PETITIONS)
        ]
        sms = Notification.objects.filter(channel="sms")
        assert sms.count() == PETITIONS
        delivered = wait_for(lambda: not sms.exclude(status="sent").exists(), 90)
        assert delivered, logs[0].read_text()[-3000:] + logs[1].read_text()[-3000:]

        # Every petition's acceptance deadline passes now; four sweeps run at
        # once on the four workers of the two clusters.
        now = timezone.now()
        for petition in petitions:
            services.accept_petition(petition_id=petition.pk, actor=handler_a)
        Clock.objects.filter(petition__in=petitions, kind="answer").update(
            due_at=now, next_check_at=now, warn_at=None, last_day_warn_at=None
        )
        for _ in range(4):
            async_task("workflow.tasks.sweep_sla")
        escalations = Notification.objects.filter(event="escalation")
        breached = wait_for(
            lambda: (
                Petition.objects.filter(breached_at__isnull=False).count() == PETITIONS
                and not escalations.exclude(status="sent").exists()
            ),
            90,
        )
        assert breached, logs[0].read_text()[-3000:]
        time.sleep(2)  # any late duplicate has had its chance

    # Once each: a breach per clock, an escalation per petition and supervisor.
    breaches = SlaAlert.objects.filter(kind="breach", clock__kind="answer")
    assert breaches.count() == PETITIONS
    # Escalations come as digests (one list per supervisor and sweep batch):
    # each petition is in exactly one of them.
    escalated = Counter(
        item["petition_id"]
        for row in escalations
        for item in row.context.get("petitions", [row.context])
    )
    assert escalated == Counter({p.pk: 1 for p in petitions})
    assert set(escalations.values_list("recipient_address", flat=True)) == {
        "supervisor_a@staff.example"
    }
    # What the gateways received: each SMS once, each escalation e-mail once.
    keys = Counter(
        json.loads(line)["key"]
        for line in (tmp_path / "sms.log").read_text().splitlines()
    )
    assert set(keys) == {str(k) for k in sms.values_list("delivery_key", flat=True)}
    assert set(keys.values()) == {1}
    printed = [MESSAGE_ID.findall(log.read_text()) for log in logs]
    mails = Counter(mid for ids in printed for mid in ids)
    assert set(mails.values()) == {1}
    assert len(mails) == Notification.objects.filter(channel="email").count()
    # Both clusters took part of the delivery.
    for log in logs:
        assert "'notifications.tasks.deliver_notifications'" in log.read_text()
    assert Petition.objects.filter(breached_at=now).count() == PETITIONS
