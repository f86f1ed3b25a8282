"""API keys of the machine interfaces (the portal's intake API and Open311)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Integration

# Requests per minute a new key may make; the portal's bursts stay well under it.
DEFAULT_REQUESTS_PER_MINUTE = 1200


class ApiKey(models.Model):
    """One integration's key. The key itself is shown once; only its SHA-256 is kept.

    Keys are long random tokens, not passwords, so a fast hash is enough: guessing
    one is as hopeless as guessing its hash, and a slow hash would cap intake.
    """

    name = models.CharField(max_length=100, unique=True)
    # Whose key it is: the key reads what its integration filed, and nothing else.
    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="api_keys"
    )
    # The key's first characters, by which admins tell keys apart (keys are
    # looked up by their hash: feedback.integrations.keys.admit).
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    requests_per_minute = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=DEFAULT_REQUESTS_PER_MINUTE,
        help_text=_("Số yêu cầu mỗi phút; để trống: không giới hạn."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
