"""Run the web server and the django-q2 cluster side by side (`make run`).

Ctrl-C (SIGINT) or SIGTERM stops both; if either exits on its own, the other is
stopped too, so no orphan keeps the port or the queue.
"""

import signal
import subprocess
import sys
import time

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def serve(host: str, port: str) -> int:
    python = sys.executable
    # Signals are taken synchronously below; children start with them unblocked.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    start = {
        "preexec_fn": lambda: signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    }
    children = [
        subprocess.Popen([python, "manage.py", "qcluster"], **start),
        subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"{host}:{port}"], **start
        ),
    ]
    while all(child.poll() is None for child in children):
        if signal.sigtimedwait(STOP_SIGNALS, 0.5) is not None:
            break
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


if __name__ == "__main__":
    sys.exit(serve(*(sys.argv[1:3] or ["127.0.0.1", "8000"])))
