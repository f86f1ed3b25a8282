"""Make the petition history append-only in PostgreSQL itself.

Application code never updates or deletes history; this trigger makes sure nobody
else does either, short of disabling it as the table owner (which verify_audit's
hash chains then expose).
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION workflow_history_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'petition history is append-only: % of entry % refused',
        TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER workflow_history_append_only
    BEFORE UPDATE OR DELETE ON workflow_historyentry
    FOR EACH ROW EXECUTE FUNCTION workflow_history_refuse_change();
"""

BACKWARD = """
DROP TRIGGER workflow_history_append_only ON workflow_historyentry;
DROP FUNCTION workflow_history_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
