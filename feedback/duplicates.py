"""Open petitions that look like the one being filed: the same matter, sent again.

FixMyStreet and the 1022 portals show these before a report is sent: a citizen
can follow the existing petition instead of filing a duplicate, and a handler can
merge one into the other. Candidates are the open petitions of the same category
and commune (index feedback_duplicate_lookup_idx); their likeness is the trigram
similarity of title and opening text, folded like the published-answer search.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, FloatField, Func, Value
from django.db.models.functions import Left

from feedback.queries import Fold, mask_for_public
from workflow import intake_rules as rules
from workflow.models import Petition
from workflow.models.petitions import OPEN_STATES

# The share of trigrams two petitions must have in common to be suggested: at
# 0.3 (pg_trgm's own default) a reworded petition about the same place is found
# and unrelated ones of the same commune are not (tests/feedback/test_duplicates.py).
LIKENESS = 0.3
OPENING_CHARS = 400  # long texts differ in their details; their openings agree
MAX_SUGGESTIONS = 5


class Similarity(Func):
    function = "similarity"
    output_field = FloatField()


def similar_open_petitions(
    *, category, commune, title, content, exclude_id=None, agency_ids=None
) -> list:
    """The open petitions most like this text, of the same category and commune.

    `agency_ids` limits them to what a staff member may see (None: all).
    """
    if category is None or commune is None:
        return []
    candidates = Petition.objects.filter(
        category=category, commune=commune, state__in=OPEN_STATES
    )
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    if agency_ids is not None:
        candidates = candidates.filter(agency_id__in=agency_ids)
    # Composed, as intake stores the texts it is compared with: the opening is
    # cut after the same letters.
    opening = rules.composed(f"{title} {content}")[:OPENING_CHARS]
    return list(
        candidates.annotate(
            likeness=Similarity(
                Fold(
                    Func(
                        F("title"),
                        Value(" "),
                        Left("content", OPENING_CHARS),
                        function="concat",
                    )
                ),
                Fold(Value(opening)),
            )
        )
        .filter(likeness__gte=LIKENESS)
        .select_related("category", "commune", "province", "agency")
        .order_by("-likeness", "-received_at")[:MAX_SUGGESTIONS]
    )


@dataclass(frozen=True)
class PublicSuggestion:
    """What a stranger may see of another's open petition: no name, no contact,
    no text; the title only where its submitter agreed to publication (masked)."""

    tracking_code: str
    title: str
    category: str
    category_en: str
    place: str
    received_at: datetime
    state_label: str


def public_suggestion(petition) -> PublicSuggestion:
    title = ""
    if petition.publish_consent:
        title = mask_for_public(petition, petition.title)
    return PublicSuggestion(
        tracking_code=petition.tracking_code,
        title=title,
        category=petition.category.name,
        category_en=petition.category.name_en,
        place=f"{petition.commune.name}, {petition.province.name}",
        received_at=petition.received_at,
        state_label=petition.get_state_display(),
    )


def similar_for_citizen(*, category, commune, title, content) -> list:
    """Suggestions for the web form, as a stranger may see them."""
    similar = similar_open_petitions(
        category=category, commune=commune, title=title, content=content
    )
    return [public_suggestion(p) for p in similar]
