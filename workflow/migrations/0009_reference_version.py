"""A version number that changes with any reference data (workflow.reference).

Processes cache categories, units, routing rules, targets, calendars and staff and
check this one number instead of reading those tables on every petition. It comes
from a sequence, so a rolled-back change never hands out a number twice.
"""

from django.db import migrations

TABLES = [
    "workflow_category", "workflow_slatarget", "workflow_agency",
    "workflow_routingrule", "workflow_calendar", "workflow_calendarexception",
    "workflow_membership", "areas_province", "areas_commune",
]

FORWARD = """
CREATE SEQUENCE workflow_reference_version_seq;
CREATE TABLE workflow_reference_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO workflow_reference_version VALUES (1, nextval('workflow_reference_version_seq'));
CREATE FUNCTION workflow_bump_reference_version() RETURNS trigger AS $$
BEGIN
    UPDATE workflow_reference_version
        SET version = nextval('workflow_reference_version_seq') WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_bumps_reference
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_bump_reference_version();
"""
    for table in TABLES
) + """
CREATE TRIGGER auth_user_bumps_reference
    AFTER INSERT OR DELETE OR UPDATE OF email, is_active, first_name, last_name
    ON auth_user
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_bump_reference_version();
"""

BACKWARD = "".join(
    f"DROP TRIGGER {table}_bumps_reference ON {table};\n" for table in TABLES
) + """
DROP TRIGGER auth_user_bumps_reference ON auth_user;
DROP FUNCTION workflow_bump_reference_version();
DROP TABLE workflow_reference_version;
DROP SEQUENCE workflow_reference_version_seq;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0008_queue_and_breach_indexes"),
        ("areas", "0002_load_units_2025"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
