"""History hash format 3: each part of an entry behind a salt of its own.

Entries written before keep their format (and hashes: chain heads do not move);
new entries are format 3 (workflow.models.history). A constant default adds the
column without rewriting the table, which the append-only trigger would refuse.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflow", "0013_staff_intake_and_letters")]
    operations = [
        migrations.AddField(
            model_name="historyentry",
            name="part_salt",
            field=models.CharField(blank=True, default="", max_length=96),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="historyentry",
            name="hash_format",
            field=models.PositiveSmallIntegerField(default=3),
        ),
    ]
