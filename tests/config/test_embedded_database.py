"""The embedded PostgreSQL: started when needed, reused, recovered after a crash."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from config.database import stop_embedded_server

ROOT = Path(__file__).resolve().parents[2]
# What a new `manage.py` does first: start or reuse the server; then one query.
START_AND_ASK = """
import sys
from pathlib import Path
import psycopg2
from config.database import embedded_database_url
url = embedded_database_url(Path(sys.argv[1]))
with psycopg2.connect(host=url.split("host=")[1], user="postgres", dbname="pakn") as c:
    with c.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid() > 0")
        print(cursor.fetchone()[0])
"""


@pytest.fixture
def data_dir():
    # Not pytest's tmp_path: its parents are private to root, and the server runs
    # as its own system user when the tests run as root.
    parent = Path(tempfile.mkdtemp(prefix="pakn-pg-"))
    parent.chmod(0o755)
    yield parent / "pgdata"
    if (parent / "pgdata" / "postmaster.pid").exists():
        stop_embedded_server(parent / "pgdata")
    shutil.rmtree(parent, ignore_errors=True)


def start_and_ask(data_dir) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", START_AND_ASK, str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1] == "True"


def postmaster_pid(data_dir) -> int:
    return int((data_dir / "postmaster.pid").read_text().splitlines()[0])


def test_started_once_reused_and_recovered_after_a_killed_run(data_dir):
    assert start_and_ask(data_dir) is True
    first = postmaster_pid(data_dir)
    # A second command reuses the running server.
    assert start_and_ask(data_dir) is True
    assert postmaster_pid(data_dir) == first

    # A killed run leaves a stale postmaster.pid behind.
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(first, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    time.sleep(1)  # its backends notice and exit
    assert (data_dir / "postmaster.pid").exists()

    # The next command notices and starts the server again.
    assert start_and_ask(data_dir) is True
    assert postmaster_pid(data_dir) != first


def test_test_databases_of_killed_runs_are_dropped_and_live_ones_kept(db):
    from django.conf import settings
    from django.db import connection

    from tests.support.databases import drop_databases_of_dead_runs

    host = settings.DATABASES["default"]["HOST"]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no process has now
    alive = os.getppid()
    import psycopg2

    admin = psycopg2.connect(host=host, user="postgres", dbname="postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for pid in (dead.pid, alive):
                cursor.execute(f"DROP DATABASE IF EXISTS test_pakn_{pid}")
                cursor.execute(f"CREATE DATABASE test_pakn_{pid}")
        dropped = drop_databases_of_dead_runs(host)
        with admin.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database")
            names = {name for (name,) in cursor.fetchall()}
        assert f"test_pakn_{dead.pid}" in dropped
        assert f"test_pakn_{dead.pid}" not in names
        assert f"test_pakn_{alive}" in names
        # This run's own database is alive too.
        assert connection.settings_dict["NAME"] == f"test_pakn_{os.getpid()}"
        assert connection.settings_dict["NAME"] in names
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS test_pakn_{alive}")
        admin.close()
