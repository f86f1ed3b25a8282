"""A real qcluster killed mid-delivery loses nothing: the next one sends the rest."""

import os
import signal
import time
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from django_q.conf import Conf

from notifications.models import Notification
from notifications.services import Recipient, queue_notifications
from tests.support.cluster import running_cluster, stop

ROWS = 200


def sent_lines(path):
    return path.read_text().splitlines() if path.exists() else []


def terminate(process):
    """Stop a cluster as `make run` does: SIGTERM to the main process only (sent to
    the whole group, the children's own handlers stall the shutdown)."""
    os.kill(process.pid, signal.SIGTERM)
    process.wait(30)


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
def test_killing_the_cluster_mid_delivery_loses_no_notification(
    submit, monkeypatch, tmp_path
):
    petition = submit(email="", phone="0912345678")
    # Enqueue into the real (ORM) broker that the cluster reads, not inline.
    monkeypatch.setattr(Conf, "SYNC", False)
    with transaction.atomic():
        queue_notifications(
            event="received",
            petition_id=petition.pk,
            recipients=[Recipient("sms", address=f"09{i:08d}") for i in range(ROWS)],
            now=timezone.now(),
        )
    rows = Notification.objects.filter(channel="sms").exclude(
        recipient_address="0912345678"
    )
    keys = {str(k) for k in rows.values_list("delivery_key", flat=True)}
    assert len(keys) == ROWS
    log = tmp_path / "sent.log"
    env = {
        # Each SMS takes 50 ms at a gateway that records what it received.
        "SMS_BACKEND": "tests.notifications.slow_sms.SlowFileBackend",
        "SMS_FILE_PATH": str(tmp_path),
        "SLOW_SMS_SECONDS": "0.05",
        # A short lease, so that claims of the killed workers expire in the test.
        "NOTIFICATION_LEASE_SECONDS": "5",
        "Q_WORKERS": "2",
    }

    with running_cluster(tmp_path / "cluster-1.log", **env) as first:
        started = wait_for(lambda: len(sent_lines(log)) >= 30, 60)
        assert started, (tmp_path / "cluster-1.log").read_text()[-3000:]
        # SIGKILL to the whole process group: no worker finishes what it holds.
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        stop(first)

    sent_at_kill = rows.filter(status="sent").count()
    claimed_at_kill = {
        str(k)
        for k in rows.filter(status="sending").values_list("delivery_key", flat=True)
    }
    # Killed in the middle: some were sent, not all.
    assert 0 < sent_at_kill < ROWS, sent_at_kill

    restarted = time.monotonic()
    with running_cluster(tmp_path / "cluster-2.log", **env) as second:
        # Rows whose tasks died with the first cluster wait for the every-minute
        # sweep; the scheduler's first tick comes 30 s after the cluster starts.
        done = wait_for(lambda: not rows.exclude(status="sent").exists(), 90)
        recovery = time.monotonic() - restarted
        terminate(second)
    assert done, (
        f"{rows.exclude(status='sent').count()} not sent after {recovery:.0f} s\n"
        + (tmp_path / "cluster-2.log").read_text()[-3000:]
    )

    received = Counter(line.split()[0] for line in sent_lines(log))
    # Every notification reached the gateway…
    assert set(received) == keys
    # …once, except those a killed worker had claimed: it may have handed them to
    # the gateway before dying, so they went again with the same idempotency key.
    repeated = {key for key, times in received.items() if times > 1}
    assert repeated <= claimed_at_kill
    assert max(received.values()) <= 2
    print(
        f"killed after {sent_at_kill} sent, {len(claimed_at_kill)} in flight; "
        f"{len(repeated)} repeated with their key; all sent {recovery:.1f} s "
        "after the restart"
    )
