"""Start a real django-q2 cluster against the test database, and always stop it."""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from config.serve import CLUSTER_COMMAND

ROOT = Path(__file__).resolve().parents[2]


def test_database_url(name=None) -> str:
    """The URL of the test database (or of another database on its server)."""
    db = {**connection.settings_dict}
    db["NAME"] = name or db["NAME"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    if db["HOST"].startswith("/"):
        return f"postgresql://{auth}@/{db['NAME']}?host={db['HOST']}"
    return f"postgresql://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def running_cluster(log_path, **extra_env):
    """A `manage.py qcluster` process (its own process group) on the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        **extra_env,
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, *CLUSTER_COMMAND],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process):
    """SIGTERM to the cluster's main process (it stops its workers in about a
    second); the whole process group is killed only if that hangs."""
    if process.poll() is None:
        try:
            process.send_signal(signal.SIGTERM)
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        except ProcessLookupError:
            pass
