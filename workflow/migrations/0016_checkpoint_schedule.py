"""The daily signed checkpoint as a django-q2 schedule (created once, idempotent)."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def create_schedule(apps, schema_editor):
    from workflow.schedules import ensure_checkpoint_schedule

    ensure_checkpoint_schedule(
        apps.get_model("django_q", "Schedule"),
        now=timezone.now(),
        at=settings.AUDIT_CHECKPOINT_TIME,
    )


def remove_schedule(apps, schema_editor):
    from workflow.schedules import CHECKPOINT

    apps.get_model("django_q", "Schedule").objects.filter(name=CHECKPOINT).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0015_checkpoints")]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
