"""The mailbox poll every 2 minutes (a no-op unless MAILBOX_IMAP_HOST is set)."""

from django.db import migrations


def create_schedule(apps, schema_editor):
    from feedback.mailbox.tasks import ensure_poll_schedule

    ensure_poll_schedule(apps.get_model("django_q", "Schedule"))


def remove_schedule(apps, schema_editor):
    from feedback.mailbox.tasks import POLL_SCHEDULE

    apps.get_model("django_q", "Schedule").objects.filter(name=POLL_SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mailbox", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
