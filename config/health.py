"""/healthz (the process answers) and /readyz (it can do its work), as JSON.

/readyz names each check and answers 503 when one fails, so that a load balancer
takes the machine out and an operator sees why: the database is reachable, every
migration of this code is applied, a cluster's scheduler is running, the outbox
is not stuck and the SLA sweep ran in the last two minutes.

Why a check failed (the database's own error, with its host; the names of missing
migrations; when the sweep last ran) is told only to the monitoring, the callers
/metrics lets in: a load balancer needs the status, and the public Internet
should not learn the system's insides from it.
"""

from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config.errors import RETRY_AFTER_SECONDS, is_database_unavailable
from config.metrics import is_allowed as is_monitoring

# The schedules run every minute: past this, no cluster's scheduler is running.
SCHEDULER_LATE = timedelta(minutes=2)
SWEEP_LATE = timedelta(minutes=2)
# A due notification waits for its task or the every-minute safety net.
OUTBOX_LATE = timedelta(minutes=5)


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    now = timezone.now()
    checks = {"database": _database()}
    for name, check in CHECKS.items():
        if checks["database"]["ok"]:
            try:
                checks[name] = check(now)
            except Exception as error:  # noqa: BLE001 (reported as this check's)
                if not is_database_unavailable(error):
                    raise
                checks["database"] = _failed(str(error).strip())
        if not checks["database"]["ok"]:
            checks[name] = _failed("not checked: the database is unavailable")
    ready = all(check["ok"] for check in checks.values())
    if not is_monitoring(request):
        checks = {name: {"ok": check["ok"]} for name, check in checks.items()}
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001
        if not is_database_unavailable(error):
            raise
        return _failed(str(error).strip())
    return {"ok": True}


_migrated = False


def _migrations(now):
    """Every migration of this code applied (remembered once true: it stays so)."""
    global _migrated
    if not _migrated:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
            return _failed(f"{len(plan)} not applied: {', '.join(names[:5])}")
        _migrated = True
    return {"ok": True}


def _scheduler(now):
    """The every-minute schedules are advanced by a running cluster."""
    from django_q.models import Schedule

    from notifications.tasks import DELIVER_DUE
    from workflow.schedules import SWEEP_SLA

    late = Schedule.objects.filter(
        name__in=[SWEEP_SLA, DELIVER_DUE], next_run__lt=now - SCHEDULER_LATE
    )
    names = list(late.values_list("name", flat=True))
    if names:
        return _failed(f"schedules not run for 2 minutes: {', '.join(names)}")
    return {"ok": True}


def _outbox(now):
    from notifications.queries import oldest_due_at

    oldest = oldest_due_at(now=now)
    waited = (now - oldest).total_seconds() if oldest else 0.0
    if waited > OUTBOX_LATE.total_seconds():
        return _failed(f"a due notification has waited {waited:.0f} s")
    return {"ok": True, "oldest_due_seconds": round(waited, 1)}


def _sweep(now):
    from workflow.monitoring import last_sweep_at

    last = last_sweep_at()
    if last is None or now - last > SWEEP_LATE:
        ran = last.isoformat() if last else "never"
        return _failed(f"the SLA sweep last ran {ran}")
    return {"ok": True, "last_run_at": last.isoformat()}


def _failed(detail: str) -> dict:
    return {"ok": False, "detail": detail}


CHECKS = {
    "migrations": _migrations,
    "scheduler": _scheduler,
    "outbox": _outbox,
    "sweep": _sweep,
}
