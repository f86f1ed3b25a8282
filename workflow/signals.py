"""When an admin edits a calendar or an SLA target, open clocks are laid out again.

The work runs in the background (django-q2), after the edit commits.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_q.tasks import async_task

from workflow.models import SlaTarget
from workflow.models.sla import Calendar, CalendarException


def _recompute_later(**scope):
    transaction.on_commit(
        lambda: async_task("workflow.tasks.recompute_clocks", **scope)
    )


@receiver([post_save, post_delete], sender=CalendarException)
def calendar_day_changed(sender, instance, **kwargs):
    _recompute_later(calendar_id=instance.calendar_id)


@receiver(post_save, sender=Calendar)
def calendar_changed(sender, instance, created, **kwargs):
    if not created:
        _recompute_later(calendar_id=instance.pk)


@receiver([post_save, post_delete], sender=SlaTarget)
def target_changed(sender, instance, **kwargs):
    _recompute_later(category_id=instance.category_id)
