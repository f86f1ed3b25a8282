"""Old rate-limit counts, keyed by e-mail and phone, are deleted every day."""

from django.db import migrations


def create_schedule(apps, schema_editor):
    from feedback.schedules import ensure_feedback_schedules

    ensure_feedback_schedules(apps.get_model("django_q", "Schedule"))


def remove_schedule(apps, schema_editor):
    from feedback.schedules import FORGET_RATE_LIMITS

    apps.get_model("django_q", "Schedule").objects.filter(
        name=FORGET_RATE_LIMITS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0006_sensitive_attachments"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
