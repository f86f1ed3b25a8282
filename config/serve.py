"""Run the web server and the django-q2 cluster side by side (`make run`).

Ctrl-C (SIGINT) or SIGTERM stops both; if either exits on its own, the other is
stopped too, so no orphan keeps the port or the queue. The embedded PostgreSQL
(when DATABASE_URL is unset) is watched too: a server that died (kill -9, out of
memory) is started again within seconds; meanwhile requests that need it get 503
with Retry-After (config/errors.py), and the cluster retries on its own.
"""

import signal
import subprocess
import sys
import time

from config import database

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
# The django-q2 cluster without qcluster's idle main process and without system
# checks (notifications/management/commands/cluster.py): 5 processes, not 6.
CLUSTER_COMMAND = ["manage.py", "cluster"]
DATABASE_CHECK_SECONDS = 1.0


def serve(host: str, port: str) -> int:
    python = sys.executable
    watch_database = database.uses_embedded_server()
    if watch_database:
        database.start_embedded_server()
    # Signals are taken synchronously below; children start with them unblocked.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    start = {
        "preexec_fn": lambda: signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    }
    children = [
        subprocess.Popen([python, *CLUSTER_COMMAND], **start),
        subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"{host}:{port}"], **start
        ),
    ]
    checked = time.monotonic()
    while all(child.poll() is None for child in children):
        if signal.sigtimedwait(STOP_SIGNALS, 0.5) is not None:
            break
        if watch_database and time.monotonic() - checked > DATABASE_CHECK_SECONDS:
            restart_dead_database()
            checked = time.monotonic()
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 20
    for child in children:
        try:
            child.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
    return 0


def restart_dead_database() -> None:
    if database.is_embedded_server_running():
        return
    print("serve: the embedded PostgreSQL is not running; starting it", flush=True)
    try:
        database.start_embedded_server()
    except Exception as error:  # noqa: BLE001 (tried again at the next check)
        print(f"serve: PostgreSQL did not start: {error}", flush=True)
    else:
        print("serve: PostgreSQL is running again", flush=True)


if __name__ == "__main__":
    sys.exit(serve(*(sys.argv[1:3] or ["127.0.0.1", "8000"])))
