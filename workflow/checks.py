"""System checks: the checkpoint signing key (workflow.proof.keys)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


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
