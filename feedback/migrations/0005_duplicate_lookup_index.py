"""The look-up of open petitions like one being filed (feedback.duplicates)."""

from django.db import migrations

# feedback.duplicates.similar_open_petitions filters open petitions by category and
# commune, then ranks the few found by trigram similarity: this partial index finds
# them without reading closed petitions. Its predicate must match OPEN_STATES.
INDEX = """
CREATE INDEX IF NOT EXISTS feedback_duplicate_lookup_idx ON workflow_petition
(category_id, commune_id)
WHERE state IN ('received', 'assigned', 'in_progress', 'awaiting_info', 'answer_review');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_secret_recovery_codes"),
        ("workflow", "0021_followers"),
    ]

    operations = [
        migrations.RunSQL(INDEX, "DROP INDEX IF EXISTS feedback_duplicate_lookup_idx;"),
    ]
