"""`make run`'s supervisor restarts a killed embedded PostgreSQL; meanwhile
requests get 503 with Retry-After, then 200 again."""

import http.client
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
from tests.support.redis import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_data_dir():
    # Its own embedded server: killing the one the test run uses would end the run.
    parent = Path(tempfile.mkdtemp(prefix="pakn-serve-"))
    parent.chmod(0o755)  # the server runs as its own system user under root
    yield parent / "pgdata"
    if (parent / "pgdata" / "postmaster.pid").exists():
        stop_embedded_server(parent / "pgdata")
    shutil.rmtree(parent, ignore_errors=True)


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Authorization": "Bearer " + "k" * 43})
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After"), response.read()
    except OSError:
        return None, None, b""
    finally:
        connection.close()


def wait_for_status(port, path, status, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get(port, path)[0] == status:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.cluster
def test_a_killed_embedded_postgres_is_restarted_and_503_answered_meanwhile(
    own_data_dir, tmp_path
):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "EMBEDDED_PGDATA": str(own_data_dir),
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "config.serve", "127.0.0.1", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert wait_for_status(port, "/", 200, 60), log_path.read_text()[-3000:]
        postmaster = int((own_data_dir / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, signal.SIGKILL)

        answers = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for path in ("/", "/api/v1/petitions/ABCDEF1234"):
                answers.append((path, *get(port, path)))
            if answers[-2][1] == 200 and any(a[1] == 503 for a in answers):
                break
            time.sleep(0.1)
        unavailable = [a for a in answers if a[1] == 503]
        # Meanwhile: the site's page and the API's JSON, both asking to retry.
        assert {a[0] for a in unavailable} == {"/", "/api/v1/petitions/ABCDEF1234"}
        assert all(a[2] == "30" for a in unavailable)
        api = next(a for a in unavailable if a[0].startswith("/api/"))
        assert b'"error": "unavailable"' in api[3]
        # Then the restarted server answers again, and the supervisor said so.
        assert answers[-2][1] == 200, log_path.read_text()[-3000:]
        assert serve.poll() is None
        new_postmaster = int((own_data_dir / "postmaster.pid").read_text().split()[0])
        assert new_postmaster != postmaster
        assert "embedded PostgreSQL is not running; starting it" in log_path.read_text()
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(5)


def test_make_run_links_its_messages_to_the_port_it_serves():
    unset = ("SITE_URL", "HOST", "PORT", "MAKEFLAGS")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8765"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    serve = next(line for line in plan if "config.serve" in line)
    seed = next(line for line in plan if "seed_demo" in line)
    # exec: no shell stays between make and the server to miss a signal.
    assert serve.startswith('SITE_URL="http://127.0.0.1:8765" exec ')
    assert seed.startswith('SITE_URL="http://127.0.0.1:8765" ')
