"""System checks: delivery settings that would fail only at the first message."""

from urllib.parse import urlparse

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
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


# The development SECRET_KEY of config/settings.py: a key derived from it is known.
DEVELOPMENT_SECRET_KEY = "dev-only-secret-key-not-for-production"


@register()
def sealing_keys(app_configs, **kwargs):
    problems = []
    for index, key in enumerate(settings.NOTIFICATION_SEALING_KEYS):
        try:
            Fernet(key.encode())
        except ValueError:
            problems.append(
                Error(
                    f"NOTIFICATION_SEALING_KEYS item {index + 1} is not a Fernet key.",
                    hint="Make one with: python -c 'from cryptography.fernet import "
                    "Fernet; print(Fernet.generate_key().decode())'",
                    id="notifications.E005",
                )
            )
    return problems


@register(Tags.security, deploy=True)
def sealing_in_production(app_configs, **kwargs):
    """Production must not seal secrets with a key derived from the public one."""
    if settings.NOTIFICATION_SEALING_KEYS or settings.SECRET_KEY != (
        DEVELOPMENT_SECRET_KEY
    ):
        return []
    return [
        Error(
            "The outbox would seal secrets with a key derived from the development "
            "SECRET_KEY.",
            hint="Set SECRET_KEY (or NOTIFICATION_SEALING_KEYS) for production.",
            id="notifications.E006",
        )
    ]
