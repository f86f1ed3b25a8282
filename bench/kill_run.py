"""The operator's kill -9 run with Redis as the broker: nothing may be lost.

    .venv/bin/python bench/kill_run.py [--petitions 4000] [--rate 60]

On a PostgreSQL of its own (an embedded server in a temporary folder), a
redis-server on a free port, gunicorn with config/gunicorn.py and two clusters
(`manage.py cluster`, 2 workers each, REDIS_URL set), clients post petitions to
the intake API as the portal does: each is retried with its own external_id until
it is answered 200 or 201 (status 0: connection refused or cut). Meanwhile, as a
supervisor would, it kills with SIGKILL and restarts: one worker of cluster A,
cluster A's sentinel (its children end with it), the whole of cluster B (its
process group), then the PostgreSQL postmaster (started again after 3 s). Then it
waits until the outbox is empty and counts petitions per external_id,
notifications not sent, deliveries per notification (from the SMS gateway's file
and the e-mails the clusters printed), and runs verify_audit. Lost must be 0.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="pakn-kill-"))
WORK.chmod(0o755)  # the embedded server runs as its own user under root
os.environ.update(
    {
        "EMBEDDED_PGDATA": str(WORK / "pgdata"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "bench-only-not-secret",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "text",
        "SMS_BACKEND": "notifications.channels.sms.FileBackend",
        "SMS_FILE_PATH": str(WORK),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        # Claims of killed workers expire within the run (the lease must outlast
        # the django-q task timeout of 60 s: notifications.W001).
        "NOTIFICATION_LEASE_SECONDS": "65",
        "Q_WORKERS": "2",
    }
)
os.environ.pop("DATABASE_URL", None)
MESSAGE_ID = re.compile(r"^Message-ID: (<[^>]+>)", re.MULTILINE)


def log(message):
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


class Cluster:
    def __init__(self, name):
        self.name, self.starts, self.process = name, 0, None

    def start(self):
        from config.serve import CLUSTER_COMMAND

        self.starts += 1
        out = open(WORK / f"{self.name}-{self.starts}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, *CLUSTER_COMMAND], cwd=ROOT, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def children(self):
        import psutil

        return psutil.Process(self.process.pid).children()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def post_all(port, key, bodies, rate, outcome):
    """Post every body, retrying each until answered 200/201 (at most 5 minutes)."""
    lock, work = threading.Lock(), iter(bodies)
    interval = 8 / rate  # 8 client threads

    def client():
        connection = None
        while True:
            with lock:
                body = next(work, None)
            if body is None:
                return
            external_id = json.loads(body)["external_id"]
            deadline, status = time.monotonic() + 300, None
            while time.monotonic() < deadline:
                try:
                    connection = connection or http.client.HTTPConnection(
                        "127.0.0.1", port, timeout=30
                    )
                    connection.request(
                        "POST", "/api/v1/petitions", body,
                        {"Authorization": f"Bearer {key}",
                         "Content-Type": "application/json"},
                    )  # fmt: skip
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    connection, status = None, 0
                with lock:
                    outcome[external_id].append(status)
                if status in (200, 201):
                    break
                time.sleep(1)
            time.sleep(interval)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    return threads


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--petitions", type=int, default=4000)
    parser.add_argument("--rate", type=float, default=80, help="petitions/s asked")
    args = parser.parse_args()

    from config.database import start_embedded_server
    from tests.support.redis import free_port, running_redis

    start_embedded_server()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT,
                   check=True)  # fmt: skip
    import django

    django.setup()
    sys.path.insert(0, str(ROOT / "bench"))
    from intake import prepare
    from intake_http import api_bodies

    from feedback.integrations.keys import issue_api_key

    prepare()
    from django.utils import timezone

    _, key = issue_api_key(name="kill-run", now=timezone.now(),
                           requests_per_minute=10**9)  # fmt: skip
    bodies = list(api_bodies(args.petitions))
    from django.db import connections

    connections.close_all()

    with running_redis(WORK) as redis_url:
        os.environ["REDIS_URL"] = redis_url
        port = free_port()
        web_log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py",
             "config.wsgi:application", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, stdout=web_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        a, b = Cluster("cluster-a"), Cluster("cluster-b")
        a.start()
        b.start()
        time.sleep(6)
        outcome = {json.loads(body)["external_id"]: [] for body in bodies}
        started = time.monotonic()
        threads = post_all(port, key, bodies, args.rate, outcome)
        try:
            chaos(a, b, started)
            for thread in threads:
                thread.join()
            log(f"intake done in {time.monotonic() - started:.0f} s")
            wait_for_outbox()
        finally:
            for cluster in (a, b):
                cluster.stop()
            web.send_signal(signal.SIGTERM)
            web.wait(30)
        report(outcome, [a, b])
    from config.database import stop_embedded_server

    stop_embedded_server()  # its own server, in WORK
    shutil.rmtree(WORK, ignore_errors=True)


def at(started, second):
    time.sleep(max(0, started + second - time.monotonic()))


def chaos(a, b, started):
    from config.database import (
        EMBEDDED_DATA_DIR,
        is_embedded_server_running,
        start_embedded_server,
    )

    at(started, 8)
    worker = a.children()[0]
    log(f"kill -9 one worker of cluster A (pid {worker.pid})")
    worker.kill()
    at(started, 18)
    log(f"kill -9 cluster A's sentinel (pid {a.process.pid}); restart it")
    a.process.kill()
    a.process.wait()
    time.sleep(1)
    a.start()
    at(started, 28)
    log(f"kill -9 the whole of cluster B (group {b.process.pid}); restart it")
    os.killpg(b.process.pid, signal.SIGKILL)
    b.process.wait()
    time.sleep(1)
    b.start()
    at(started, 38)
    postmaster = int((EMBEDDED_DATA_DIR / "postmaster.pid").read_text().split()[0])
    log(f"kill -9 the PostgreSQL postmaster (pid {postmaster}); restart in 3 s")
    os.kill(postmaster, signal.SIGKILL)
    time.sleep(3)
    while not is_embedded_server_running():
        try:
            start_embedded_server()
        except Exception as error:  # noqa: BLE001 (its backends are still exiting)
            log(f"PostgreSQL not started yet: {error}")
            time.sleep(1)
    log("PostgreSQL running again")


def wait_for_outbox(seconds=240):
    from django.db import connections

    from notifications.models import Notification

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            left = Notification.objects.exclude(status="sent").count()
        except Exception:  # noqa: BLE001 (the server restarted under this connection)
            connections.close_all()
            time.sleep(1)
            continue
        if left == 0:
            return
        time.sleep(2)
    log(f"{left} notifications still not sent after {seconds} s")


def report(outcome, clusters):
    from django.db.models import Count

    from notifications.models import Notification
    from workflow.models import Petition

    accepted = [e for e, statuses in outcome.items() if statuses[-1:] in ([200], [201])]
    statuses = Counter(s for statuses in outcome.values() for s in statuses)
    stored = Counter(
        dict(
            Petition.objects.filter(channel="portal")
            .values_list("channel_ref")
            .annotate(n=Count("pk"))
        )
    )
    lost = [e for e in accepted if stored.get(e, 0) == 0]
    twice = [e for e, n in stored.items() if n > 1]
    rows = Notification.objects.values_list("channel", "delivery_key", "status")
    unsent = [r for r in rows if r[2] != "sent"]
    sms_keys = Counter(
        json.loads(line)["key"] for line in (WORK / "sms.log").read_text().splitlines()
    )
    mails = Counter(
        mid for path in WORK.glob("cluster-*.log")
        for mid in MESSAGE_ID.findall(path.read_text())
    )  # fmt: skip
    sms_rows = {str(k) for c, k, _s in rows if c == "sms"}
    email_rows = [k for c, k, _s in rows if c == "email"]
    audit = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"], cwd=ROOT, capture_output=True,
        text=True,
    )  # fmt: skip
    retried = sum(1 for statuses in outcome.values() if len(statuses) > 1)
    print(
        f"petitions posted       : {len(outcome)}; answers to all attempts "
        f"{dict(sorted(statuses.items()))}; {retried} retried"
    )
    print(f"accepted (200/201)     : {len(accepted)}")
    print(f"stored, one per id     : {len(stored)}; lost {len(lost)}; "
          f"stored twice {len(twice)}")  # fmt: skip
    print(f"notifications          : {len(rows)}; not sent {len(unsent)}")
    print(
        f"SMS delivered          : {len(sms_keys)} of {len(sms_rows)} rows, "
        f"missing {len(sms_rows - set(sms_keys))}, "
        f"sent more than once {sum(1 for n in sms_keys.values() if n > 1)}"
    )
    print(
        f"e-mails delivered      : {len(mails)} of {len(email_rows)} rows, "
        f"sent more than once {sum(1 for n in mails.values() if n > 1)}"
    )
    starts = ", ".join(f"{c.name} {c.starts}" for c in clusters)
    print(f"cluster starts         : {starts}")
    print(
        f"verify_audit           : exit {audit.returncode}: "
        f"{(audit.stdout or audit.stderr).strip().splitlines()[-1]}"
    )


if __name__ == "__main__":
    main()
