"""System checks: delivery settings that would fail only at the first message."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string


@register()
def delivery_settings(app_configs, **kwargs):
    problems = []
    url = settings.PORTAL_WEBHOOK_URL
    if url:
        if urlparse(url).scheme not in ("http", "https"):
            problems.append(
                Error(
                    f"PORTAL_WEBHOOK_URL must be an http(s) URL, got {url!r}.",
                    id="notifications.E001",
                )
            )
        if not settings.PORTAL_WEBHOOK_SECRET:
            problems.append(
                Error(
                    "PORTAL_WEBHOOK_SECRET must be set when PORTAL_WEBHOOK_URL is.",
                    hint="The portal verifies each status update's signature.",
                    id="notifications.E002",
                )
            )
    try:
        import_string(settings.SMS_BACKEND)
    except ImportError as error:
        problems.append(
            Error(
                f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported: {error}",
                id="notifications.E003",
            )
        )
    if settings.NOTIFICATION_MAX_ATTEMPTS < 1:
        problems.append(
            Error(
                "NOTIFICATION_MAX_ATTEMPTS must be 1 or more.", id="notifications.E004"
            )
        )
    timeout = settings.Q_CLUSTER.get("timeout") or 0
    if settings.NOTIFICATION_LEASE_SECONDS <= timeout:
        # django-q kills a task at its timeout, so a lease longer than that can only
        # end for a worker that is gone; a shorter one may send a message twice.
        problems.append(
            Warning(
                f"NOTIFICATION_LEASE_SECONDS ({settings.NOTIFICATION_LEASE_SECONDS}) "
                f"should exceed the django-q task timeout ({timeout}).",
                id="notifications.W001",
            )
        )
    return problems
