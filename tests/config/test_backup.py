"""`make backup` writes a dump that restores into a fresh database where
verify_audit proves every history chain."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from config.backup import client_program, connection_options
from tests.support import cluster
from tests.support.databases import admin_connection
from workflow import services
from workflow.models import HistoryEntry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = admin_connection(connection.settings_dict)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(*args, database_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_where_the_history_verifies(
    submit, routed_to_a, handler_a, fresh_database, tmp_path
):
    petition = submit()
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(petition_id=petition.pk, actor=handler_a, text="Đã sửa")
    dump = tmp_path / "pakn.dump"

    made = manage("-m", "config.backup", "--output", str(dump),
                  database_url=cluster.test_database_url())  # fmt: skip
    assert made.returncode == 0, made.stderr[-2000:]
    assert f"backup written: {dump}" in made.stdout

    options, env = connection_options(fresh_database)
    restored = subprocess.run(
        [client_program("pg_restore", fresh_database), *options, "--no-owner",
         "--exit-on-error", "-d", fresh_database["NAME"], str(dump)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr[-2000:]

    url = cluster.test_database_url(fresh_database["NAME"])
    # The restored copy is at this code's schema, holds the petition's whole
    # history (submit, triage, accept, answer), and every chain verifies.
    assert manage("manage.py", "migrate", "--check", database_url=url).returncode == 0
    verified = manage("manage.py", "verify_audit", database_url=url)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    entries = HistoryEntry.objects.filter(petition=petition).count()
    assert f"OK: {entries} history entries verified" in verified.stdout
    checked = manage("manage.py", "verify_audit", "--petition",
                     petition.tracking_code, database_url=url)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
