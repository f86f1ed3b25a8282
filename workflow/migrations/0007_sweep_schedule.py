"""The every-minute SLA sweep as a django-q2 schedule (created once, idempotent)."""

from django.db import migrations


def create_schedule(apps, schema_editor):
    from workflow.schedules import ensure_sweep_schedule

    ensure_sweep_schedule(apps.get_model("django_q", "Schedule"))


def remove_schedule(apps, schema_editor):
    from workflow.schedules import SWEEP_SLA

    apps.get_model("django_q", "Schedule").objects.filter(name=SWEEP_SLA).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0006_info_reply_deadline"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
