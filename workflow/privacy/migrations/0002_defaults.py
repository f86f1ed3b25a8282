"""The first notices, the request deadlines, the default retention and schedules
(workflow.privacy.defaults, workflow.privacy.schedules)."""

from django.db import migrations


def forward(apps, schema_editor):
    from workflow.privacy.defaults import ensure_defaults
    from workflow.privacy.schedules import ensure_privacy_schedules

    ensure_defaults(apps)
    ensure_privacy_schedules(apps.get_model("django_q", "Schedule"))


def backward(apps, schema_editor):
    from workflow.privacy.schedules import APPLY_RETENTION, SWEEP_REQUESTS

    apps.get_model("django_q", "Schedule").objects.filter(
        name__in=[SWEEP_REQUESTS, APPLY_RETENTION]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(forward, backward)]
