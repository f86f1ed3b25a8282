"""Benchmark: notification delivery by a real django-q2 cluster (2 workers).

    .venv/bin/python bench/delivery.py [--notifications 5000] [--workers 2]
        [--channels email,sms] [--max-seconds 600]

Uses its own database (`pakn_bench_delivery`, or BENCH_DATABASE; see common.py),
never the development database. Writes N outbox rows through
`notifications.services.queue_notifications` in transactions of 100 (each commit
enqueues one django-q2 task per row, ids only, into the ORM broker), then starts
`manage.py qcluster` on that database and waits until every row is sent. Email goes
through Django's console backend and SMS through the file backend, both into
var/bench-delivery/ (the cluster's output is the mail log). Prints notifications
per second from the cluster's start to the last row sent, and in steady state
(first to last `sent_at`).
"""

import argparse
import os
import signal
import subprocess
import sys
import time

from common import ROOT, use_bench_database

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("LOG_LEVEL", "WARNING")
OUT = ROOT / "var" / "bench-delivery"


def prepare():
    """An empty outbox and task queue; the delivery schedule (post_migrate) stays."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_notification, django_q_ormq, django_q_task"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    for name in ("sms.log", "cluster.log"):
        (OUT / name).unlink(missing_ok=True)


ROWS_PER_EVENT = 3


def queue(count, channels):
    from django.db import transaction
    from django.utils import timezone

    from notifications.services import Recipient, queue_notifications

    start = time.perf_counter()
    # Three rows per transaction, as a petition's receipt writes (e-mail, SMS,
    # agency): one delivery task per transaction.
    for first in range(0, count, ROWS_PER_EVENT):
        numbers = range(first, min(first + ROWS_PER_EVENT, count))
        recipients = [
            Recipient(channels[n % len(channels)], address=address(channels, n))
            for n in numbers
        ]
        with transaction.atomic():
            queue_notifications(
                event="received",
                petition_id=None,
                recipients=recipients,
                now=timezone.now(),
                context={
                    "tracking_code": f"BENCH{first:05d}",
                    "title": "Đường liên xã xuống cấp",
                    "submitter_name": "Nguyễn Văn An",
                },
            )
    return time.perf_counter() - start


def address(channels, n):
    if channels[n % len(channels)] == "sms":
        return f"09{n:08d}"
    return f"citizen{n}@bench.example"


def start_cluster(url, workers):
    from config.serve import CLUSTER_COMMAND

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "Q_WORKERS": str(workers),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SMS_BACKEND": "notifications.channels.sms.FileBackend",
        "SMS_FILE_PATH": str(OUT),
    }
    log = open(OUT / "cluster.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, *CLUSTER_COMMAND],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_cluster(process):
    """SIGTERM to the main process (a clean stop); SIGKILL the group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--channels", default="email,sms")
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    channels = [c.strip() for c in args.channels.split(",") if c.strip()]

    url = use_bench_database(os.environ.get("BENCH_DATABASE", "pakn_bench_delivery"))
    from django.db.models import Max, Min

    from notifications.models import Notification
    from notifications.services import outbox_counts

    prepare()
    queued_in = queue(args.notifications, channels)
    print(
        f"queued {args.notifications} notifications ({', '.join(channels)}) "
        f"in {queued_in:.1f} s ({args.notifications / queued_in:.0f}/s, "
        f"one delivery task per {ROWS_PER_EVENT} rows)"
    )

    cluster = start_cluster(url, args.workers)
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < args.max_seconds:
            if cluster.poll() is not None:
                sys.exit(f"qcluster exited; see {OUT / 'cluster.log'}")
            if not Notification.objects.exclude(status="sent").exists():
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        stop_cluster(cluster)

    counts = outbox_counts()
    sent = counts.get("sent", 0)
    window = Notification.objects.filter(status="sent").aggregate(
        first=Min("sent_at"), last=Max("sent_at")
    )
    steady = (window["last"] - window["first"]).total_seconds() if sent else 0
    retried = Notification.objects.filter(attempts__gt=1).count()
    print(f"outbox: {counts}; rows with more than one attempt: {retried}")
    print(
        f"{sent} sent by {args.workers} workers in {elapsed:.1f} s from the cluster's "
        f"start: {sent / elapsed:.0f} notifications/s"
    )
    if steady:
        print(f"steady state (first to last sent_at): {sent / steady:.0f}/s")
    if sent < args.notifications:
        sys.exit(f"only {sent} of {args.notifications} sent in {args.max_seconds} s")


if __name__ == "__main__":
    main()
