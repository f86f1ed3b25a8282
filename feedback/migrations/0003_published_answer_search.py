"""Search of published answers that ignores Vietnamese diacritics ("ha giang" finds
"Hà Giang"), done by PostgreSQL: unaccent folds the text, pg_trgm indexes it.

The index is on workflow_petition although this migration belongs to feedback: the
published-answer search (feedback.queries.published_answers) is feedback's feature
and the only user of these indexes, so they live and die with it; workflow stays free
of search concerns.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# unaccent() is only STABLE (its dictionary could change), and PostgreSQL indexes
# need IMMUTABLE expressions: the wrapper names the dictionary explicitly, which makes
# the result fixed, and lower() comes after unaccent() so that "Đ" and "Ê" fold too
# under a C collation. feedback.queries.Fold calls the same function on the query.
FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION feedback_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""

# The expression must match feedback.queries.SearchText exactly, and the predicate
# must be implied by feedback.queries.published_answers' filter, or the planner
# will not use these indexes.
SEARCH_INDEX = """
CREATE INDEX IF NOT EXISTS feedback_published_search_idx ON workflow_petition
USING gin (feedback_fold(title || ' ' || content || ' ' || answer) gin_trgm_ops)
WHERE publish_consent AND state IN ('answered', 'closed');
"""

# The list itself, newest answer first, without a sort over all petitions.
LIST_INDEX = """
CREATE INDEX IF NOT EXISTS feedback_published_list_idx ON workflow_petition
(answered_at DESC, id DESC)
WHERE publish_consent AND state IN ('answered', 'closed');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_attachments_and_ratings"),
        ("workflow", "0001_initial"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(FOLD_FUNCTION, "DROP FUNCTION IF EXISTS feedback_fold(text);"),
        migrations.RunSQL(
            SEARCH_INDEX, "DROP INDEX IF EXISTS feedback_published_search_idx;"
        ),
        migrations.RunSQL(LIST_INDEX, "DROP INDEX IF EXISTS feedback_published_list_idx;"),
    ]
