"""A delivery key per row, unique: existing rows get their own random one."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="delivery_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunSQL(
            "UPDATE notifications_notification SET delivery_key = gen_random_uuid() "
            "WHERE delivery_key IS NULL",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="notification",
            name="delivery_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        # Rows written before next_attempt_at was required are due since creation.
        migrations.RunSQL(
            "UPDATE notifications_notification SET next_attempt_at = created_at "
            "WHERE next_attempt_at IS NULL",
            migrations.RunSQL.noop,
        ),
    ]
