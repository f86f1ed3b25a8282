"""The data-request sweep: warn the data officers and record breaches, once each.

Runs every 5 minutes (django-q2 schedule privacy.sweep_requests). Finds work only
through the partial index on `next_check_at` of open requests, claims rows with
SKIP LOCKED, and loops until nothing is due.
"""

from django.db import transaction

from notifications.models import Notification
from notifications.services import Recipient, queue_notifications
from workflow import sla
from workflow.privacy.models import OPEN_REQUEST_STATES, DataRequest
from workflow.privacy.officers import data_officers
from workflow.privacy.requests import pending_alerts

BATCH_SIZE = 100


def check_requests(*, now, limit=BATCH_SIZE) -> int:
    """Send every alert due by `now`; how many were sent."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                DataRequest.objects.select_for_update(skip_locked=True)
                .filter(state__in=OPEN_REQUEST_STATES, next_check_at__lte=now)
                .order_by("next_check_at", "pk")[:limit]
            )
            if not batch:
                return sent
            officers = data_officers()
            for request in batch:
                sent += _alert(request, now=now, officers=officers)


def _alert(request, *, now, officers) -> int:
    due = [(kind, at) for kind, at in pending_alerts(request) if at <= now]
    for kind, at in due:
        request.alerted = [*request.alerted, kind]
        if kind.endswith("breach") and request.breached_at is None:
            # The breach is the moment the deadline passed, not when we noticed.
            request.breached_at = at
        queue_notifications(
            event="data_request_alert",
            petition_id=None,
            recipients=[
                Recipient(Notification.Channel.EMAIL, address=email, user_id=user_id)
                for user_id, email in officers
            ],
            now=now,
            context={
                "request_code": request.code,
                "kind": request.kind,
                "alert": kind,
                "due_at": at.isoformat(),
            },
            dedupe_key=f"data-request:{request.pk}:{kind}",
            send_at=(
                None
                if kind.endswith("breach")
                else sla.office_hours_after(now, sla.calendar_for(None))
            ),
        )
    later = [at for _kind, at in pending_alerts(request)]
    request.next_check_at = min(later, default=None)
    request.save(update_fields=["alerted", "breached_at", "next_check_at"])
    return len(due)
