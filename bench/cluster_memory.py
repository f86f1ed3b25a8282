"""Benchmark: memory of a django-q2 cluster with 2 workers (target ≤ 300 MB RSS).

    .venv/bin/python bench/cluster_memory.py [--notifications 3000] [--workers 2]
        [--qcluster]

Uses its own database (`pakn_bench_memory`, see common.py). Queues notifications as
bench/delivery.py does, makes the SLA sweep due, starts the cluster with the command
line of `make run` and production (config/serve.py: CLUSTER_COMMAND), waits until
every row is sent and the sweep ran, then prints each process's RSS, PSS and USS
and their sums. RSS counts the pages a process shares with its siblings in each
of them; PSS divides them among the sharers (the machine's real cost).
`--qcluster` starts django-q2's own `manage.py qcluster` instead, as before: a
main process that waits for its sentinel, and system checks first, which load
every URL and view into the processes the cluster forks.
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
OUT = ROOT / "var" / "bench-memory"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--qcluster", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()

    url = use_bench_database("pakn_bench_memory")
    import psutil
    from delivery import prepare, queue
    from django.utils import timezone
    from django_q.models import Schedule, Task

    from config.serve import CLUSTER_COMMAND
    from notifications.models import Notification

    prepare()
    Task.objects.all().delete()
    queue(args.notifications, ["email", "sms"])
    Schedule.objects.update(next_run=timezone.now())
    command = [sys.executable, *CLUSTER_COMMAND]
    if args.qcluster:
        command = [sys.executable, "manage.py", "qcluster"]
    OUT.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "Q_WORKERS": str(args.workers),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_BACKEND": "notifications.channels.sms.FileBackend",
        "SMS_FILE_PATH": str(OUT),
    }
    with open(OUT / "cluster.log", "w") as log:
        cluster = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        started = time.monotonic()
        while time.monotonic() - started < args.max_seconds:
            if cluster.poll() is not None:
                sys.exit(f"qcluster exited; see {OUT / 'cluster.log'}")
            sent = not Notification.objects.exclude(status="sent").exists()
            swept = Task.objects.filter(func="workflow.tasks.sweep_sla").exists()
            if sent and swept:
                break
            time.sleep(0.5)
        else:
            sys.exit("the cluster did not finish its work in time")
        worked = time.monotonic() - started
        time.sleep(3)  # the monitor has saved the last results
        processes = [psutil.Process(cluster.pid)]
        processes += processes[0].children(recursive=True)
        rows = []
        for process in processes:
            memory = process.memory_full_info()
            rows.append((process.pid, _role(process, cluster.pid), memory))
    finally:
        cluster.send_signal(signal.SIGTERM)
        try:
            cluster.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)

    mb = 2**20
    print(f"command   : {' '.join(command[1:])}")
    print(f"work      : {args.notifications} notifications sent and a sweep, "
          f"{worked:.1f} s")  # fmt: skip
    print(f"{'pid':>8} {'process':<10} {'RSS MB':>8} {'PSS MB':>8} {'USS MB':>8}")
    for pid, role, memory in rows:
        print(
            f"{pid:>8} {role:<10} {memory.rss / mb:8.1f} {memory.pss / mb:8.1f} "
            f"{memory.uss / mb:8.1f}"
        )
    print(
        f"{len(rows)} processes: RSS {sum(m.rss for *_, m in rows) / mb:.1f} MB "
        "(target ≤ 300), "
        f"PSS {sum(m.pss for *_, m in rows) / mb:.1f} MB, "
        f"USS {sum(m.uss for *_, m in rows) / mb:.1f} MB"
    )


def _role(process, main_pid):
    if process.pid == main_pid:
        return "main"
    return "child"


if __name__ == "__main__":
    main()
