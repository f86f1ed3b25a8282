"""The systems that file petitions through the machine doors."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Integration(models.Model):
    """A system that files petitions through a machine door: the national portal
    through the intake API, a civic-tech client through Open311.

    What it filed is its own: its API keys (feedback.integrations) read those
    petitions and no others, and its ids for them (`Petition.channel_ref`) are
    unique among its own, so two systems using the same id never meet. An
    integration may hold several keys (a new one before the old is switched off).
    """

    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Hệ thống kết nối")
        verbose_name_plural = _("Hệ thống kết nối")

    def __str__(self):
        return self.name
