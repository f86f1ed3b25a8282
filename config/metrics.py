"""/metrics for Prometheus: the product's own figures, read when scraped.

Gauges come from the database at each scrape (workflow.monitoring,
notifications.queries), so every web process reports the same values and no
multi-process bookkeeping is needed. Access: a request from METRICS_ALLOWED_NETWORKS
or one carrying `Authorization: Bearer <METRICS_TOKEN>`; others get 403.
Alert rules to start from: docs/operations.md.
"""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class ProductCollector:
    """Reads the figures once per scrape."""

    def collect(self):
        from notifications.models import Notification
        from notifications.queries import outbox_by_channel
        from workflow.models import Channel
        from workflow.monitoring import (
            INTAKE_WINDOW,
            last_sweep_at,
            open_petition_counts,
            petitions_received,
            sweep_lag_seconds,
        )

        now = timezone.now()
        petitions = GaugeMetricFamily(
            "pakn_petitions",
            "Open petitions nationwide by SLA status (open: all of them).",
            labels=["status"],
        )
        for status, count in open_petition_counts(now=now).items():
            petitions.add_metric([status], count)
        yield petitions

        outbox = GaugeMetricFamily(
            "pakn_outbox_notifications",
            "Notifications pending or failed, per channel.",
            labels=["channel", "status"],
        )
        counts = outbox_by_channel()
        for channel in Notification.Channel.values:
            for status in ("pending", "failed"):
                outbox.add_metric([channel, status], counts.get((channel, status), 0))
        yield outbox

        yield GaugeMetricFamily(
            "pakn_sweep_lag_seconds",
            "How long the oldest due SLA check has waited for the sweep.",
            value=sweep_lag_seconds(now=now),
        )
        last = last_sweep_at()
        yield GaugeMetricFamily(
            "pakn_sweep_last_success_timestamp_seconds",
            "When the SLA sweep last finished successfully (Unix time; 0: never).",
            value=last.timestamp() if last else 0,
        )

        received = GaugeMetricFamily(
            "pakn_intake_petitions_per_second",
            "Petitions received per second over the last "
            f"{INTAKE_WINDOW.total_seconds():.0f} s, per channel.",
            labels=["channel"],
        )
        by_channel = petitions_received(now=now)
        seconds = INTAKE_WINDOW.total_seconds()
        for channel in Channel.values:
            received.add_metric([channel], by_channel.get(channel, 0) / seconds)
        yield received

        from config.routers import has_reports_database, replica_lag

        if has_reports_database():
            lag = replica_lag()
            yield GaugeMetricFamily(
                "pakn_reports_replica_lag_seconds",
                "How far the reports replica is behind the primary.",
                value=-1 if lag is None else lag,
            )


REGISTRY = CollectorRegistry(auto_describe=False)
REGISTRY.register(ProductCollector())


@never_cache
def metrics(request):
    if not is_allowed(request):
        return JsonResponse(
            {"error": "forbidden", "message": "Metrics are for the monitoring only."},
            status=403,
        )
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)


def is_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network)
        for network in settings.METRICS_ALLOWED_NETWORKS
    )
