"""Auditor pages against a primary and its streaming replica, step by step.

Run by tests/config/test_reports_replica.py in a process of its own, with
DATABASE_URL naming the primary and REPORTS_DATABASE_URL its replica (the test
run's own database cannot be replicated). Prints what it saw as JSON.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from config.routers import REPORTS, reads_reports, replica_lag  # noqa: E402
from tests import factories  # noqa: E402
from tests.support.signin import signed_in  # noqa: E402
from workflow import services  # noqa: E402
from workflow.models import Petition, Role  # noqa: E402


def submit(land, n):
    return services.submit_petition(
        channel="web",
        submitter_kind="citizen",
        submitter_name="Nguyễn Văn An",
        email=f"an{n}@example.vn",
        title=f"Đường liên xã xuống cấp {n}",
        content="Đề nghị sửa chữa đoạn đường liên xã.",
        category=land.code,
        province=factories.LANG_SON,
    ).petition


def on_replica(code) -> bool:
    with reads_reports():
        return Petition.objects.filter(tracking_code=code).exists()


def wait(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(0.1)


def replica_sql(sql):
    with connections[REPORTS].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def main():
    setup_test_environment()
    land = factories.category("land")
    agency = factories.agency("so-tnmt-lang-son")
    factories.rule(agency, category=land)
    auditor = factories.staff("auditor", Role.AUDITOR)
    first = submit(land, 1)
    client = signed_in(Client(), auditor)
    seen = {}

    wait(lambda: on_replica(first.tracking_code))
    report = client.get("/audit/")
    seen["caught_up"] = {
        "report": report.status_code,
        "lag": report.context.get("reports_lag") if report.context else None,
        "case": client.get(f"/audit/petitions/{first.tracking_code}/").status_code,
    }

    replica_sql("SELECT pg_wal_replay_pause()")
    wait(lambda: replica_sql("SELECT pg_get_wal_replay_pause_state()") == "paused")
    late = submit(land, 2)
    time.sleep(1.5)
    report = client.get("/audit/")
    seen["paused"] = {
        "on_primary": Petition.objects.filter(
            tracking_code=late.tracking_code
        ).exists(),
        "on_replica": on_replica(late.tracking_code),
        "case": client.get(f"/audit/petitions/{late.tracking_code}/").status_code,
        "report": report.status_code,
        "lag": report.context.get("reports_lag"),
        "lag_shown": "bản sao" in report.content.decode(),
        "csv": client.get("/audit/report-agency.csv").status_code,
    }

    replica_sql("SELECT pg_wal_replay_resume()")
    wait(lambda: on_replica(late.tracking_code))
    seen["resumed"] = {
        "case": client.get(f"/audit/petitions/{late.tracking_code}/").status_code,
        "lag": replica_lag(),
    }
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
