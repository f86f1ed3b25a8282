"""Auditor pages read from a real streaming replica (Debian's PostgreSQL, built
with pg_basebackup), and show how far behind it is."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import primary_and_replica

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.cluster
def test_auditor_pages_read_the_replica_and_show_its_lag(tmp_path):
    with primary_and_replica() as (primary, replica):
        primary.query("CREATE DATABASE pakn")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": primary.url("pakn"),
            "REPORTS_DATABASE_URL": replica.url("pakn"),
            "HTTPS": "false",
        }
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        probe = subprocess.run(
            [sys.executable, "-m", "tests.support.report_probe"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert probe.returncode == 0, probe.stderr[-3000:]
        seen = json.loads(probe.stdout.strip().splitlines()[-1])
        print(seen)  # the lags observed, for the record (pytest -s)

    # Caught up: the report and the case read from the replica, lag 0.
    assert seen["caught_up"] == {"report": 200, "lag": 0.0, "case": 200}
    paused = seen["paused"]
    # Replay paused: a petition just filed is on the primary only, so the auditor's
    # view of it is not found yet, and the report says how old its figures are.
    assert paused["on_primary"] is True
    assert paused["on_replica"] is False
    assert paused["case"] == 404
    assert paused["report"] == 200
    assert paused["lag"] > 1
    assert paused["lag_shown"] is True
    assert paused["csv"] == 200
    # Replay resumed: the replica has it, and is caught up.
    assert seen["resumed"] == {"case": 200, "lag": 0.0}
