"""History hash format 2: personal text out of what the chain hashes directly.

Entries written before keep format 1 (and their hashes: chain heads do not move);
new entries hash a salted commitment to their reason. The append-only trigger now
lets one UPDATE through: erasing an entry's reason and salt, nothing else.
"""

from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION workflow_history_refuse_change() RETURNS trigger AS $$
BEGIN
    -- The retention rules erase free text; every other column stays as written,
    -- and the erasure itself is recorded by a later entry of the same chain.
    IF TG_OP = 'UPDATE' AND NEW.reason = '' AND NEW.reason_salt = ''
       AND (to_jsonb(NEW) - 'reason' - 'reason_salt')
           = (to_jsonb(OLD) - 'reason' - 'reason_salt') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'petition history is append-only: % of entry % refused',
        TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION workflow_history_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'petition history is append-only: % of entry % refused',
        TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("workflow", "0011_open311_list_index")]

    operations = [
        # Every entry written so far is format 1 ...
        migrations.AddField(
            model_name="historyentry",
            name="hash_format",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        # ... and every entry written from now on format 2.
        migrations.AlterField(
            model_name="historyentry",
            name="hash_format",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AddField(
            model_name="historyentry",
            name="reason_digest",
            field=models.CharField(blank=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historyentry",
            name="reason_salt",
            field=models.CharField(blank=True, default="", max_length=32),
            preserve_default=False,
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
