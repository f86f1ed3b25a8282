"""System checks: the checkpoint signing key (workflow.proof.keys) and the site's
address that letters, proof files and messages carry."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Addresses that name the server itself: a citizen cannot reach them.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@register()
def checkpoint_key(app_configs, **kwargs):
    """A configured key must load; a missing one is refused in production only."""
    # Imported here: `cryptography` costs every process about 10 MB, and the
    # cluster's processes that never sign (config/serve.py) should not pay it.
    from workflow.proof import keys

    if not keys.is_configured():
        return []
    try:
        keys.signing_key()
    except keys.KeyProblem as error:
        return [Error(str(error), id="workflow.E001")]
    return []


@register(Tags.security, deploy=True)
def checkpoint_key_in_production(app_configs, **kwargs):
    from workflow.proof import keys

    if keys.is_configured() or settings.DEBUG:
        return []
    return [
        Error(
            "No checkpoint signing key is configured: checkpoints would be signed "
            "with a development key generated on this machine.",
            hint="Set AUDIT_CHECKPOINT_KEY (PEM text from a secret store) or "
            "AUDIT_CHECKPOINT_KEY_FILE (a PEM file outside the database and the "
            "checkout); docs/audit.md says how to make one.",
            id="workflow.E002",
        )
    ]


@register(Tags.security, deploy=True)
def site_url_in_production(app_configs, **kwargs):
    """SITE_URL defaults to the development server's address; printed letters,
    proof files, e-mails and SMS would send citizens to it."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if settings.DEBUG or host not in LOOPBACK_HOSTS:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL}, an address of this machine: answer "
            "letters, proof files, e-mails and SMS would point citizens to it.",
            hint="Set SITE_URL to the address the public reaches the site at, "
            "e.g. https://pakn.example.gov.vn.",
            id="workflow.W003",
        )
    ]
