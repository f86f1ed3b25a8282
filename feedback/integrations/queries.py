"""Reads of the machine interfaces: which petitions a caller may see, and how.

A key sees what its integration filed, and nothing else (the intake API's reads
answer 404 for any other code, the same as for an unknown one). Open311's reads
are public: they list published petitions, shown as /answers/ shows them
(masked, nothing about the submitter), and to a key also what its integration
filed, in full.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery

from feedback.integrations.serializers import RELATED
from workflow.areas.models import Commune, Province
from workflow.models import (
    Category,
    Channel,
    HistoryEntry,
    Petition,
    Publication,
)
from workflow.reference import reference

# Open311 lists at most this many requests per call (the usual GeoReport cap).
OPEN311_MAX_REQUESTS = 1000


def filed_petition(tracking_code: str, *, integration_id: int):
    """A petition the integration filed, by tracking code; None for any other."""
    return (
        Petition.objects.select_related(*RELATED)
        .filter(
            integration_id=integration_id,
            tracking_code=tracking_code.strip().upper(),
        )
        .first()
    )


def filed_petition_by_external_id(external_id: str, *, integration_id: int):
    """The petition the integration delivered to the API under its own id."""
    return (
        Petition.objects.select_related(*RELATED)
        .filter(
            integration_id=integration_id,
            channel=Channel.PORTAL,
            channel_ref=external_id.strip(),
        )
        .first()
    )


def history_summary(petition) -> list[dict]:
    return list(
        HistoryEntry.objects.filter(petition_id=petition.pk)
        .order_by("seq")
        .values("at", "action", "to_state")
    )


def open311_requests(*, integration_id: int | None):
    """Petitions Open311 may show, each with the time of its latest step.

    A petition is listed when its submitter agreed to publication, unless a
    supervisor declined to publish it (its texts are shown only once published:
    Petition.answer_is_public); a client holding an API key also sees what its
    integration filed, so that it can
    follow the requests it sent (feedback.integrations.open311 decides how much
    of each it shows).
    """
    visible = Q(publish_consent=True) & ~Q(publication=Publication.DECLINED)
    if integration_id is not None:
        visible |= Q(integration_id=integration_id)
    latest_step = (
        HistoryEntry.objects.filter(petition_id=OuterRef("pk"))
        .order_by("-seq")
        .values("at")[:1]
    )
    return (
        Petition.objects.filter(visible)
        .select_related(*RELATED)
        .annotate(updated_at=Subquery(latest_step))
    )


def open311_petition_for_token(token: str, *, integration_id: int | None):
    """The request a token names: the tracking code of a request the caller may
    see, or the caller's own external_id (another client's ids mean nothing)."""
    token = token.strip()
    names = Q(tracking_code=token.upper())
    if integration_id is not None:
        names |= Q(
            integration_id=integration_id, channel=Channel.OPEN311, channel_ref=token
        )
    return (
        open311_requests(integration_id=integration_id)
        .filter(names)
        .select_related(None)
        .only("tracking_code")
        .first()
    )


# --- the codes a client sends -------------------------------------------------------


@dataclass(frozen=True)
class Codes:
    """The codes the intake API takes today: its schema lists them, and
    /api/v1/categories, /provinces and /provinces/<code>/communes serve them."""

    categories: list[dict]  # {code, name, name_en}, active ones
    provinces: list[dict]  # {code, name}, current ones
    communes: dict[int, list[dict]]  # province code → [{code, name}], current ones


def current_codes() -> Codes:
    """Today's codes, read once per version of the reference data (workflow.reference):
    the communes alone are thousands of rows, and the API's lists and schema were
    reading them all on every request. Shared between requests: read, never changed.
    """
    return reference().get("integration codes", _read_codes)


def _read_codes() -> Codes:
    communes: dict[int, list[dict]] = {}
    for row in (
        Commune.objects.current()
        .filter(province__valid_to__isnull=True)
        .order_by("code")
        .values("code", "name", "province__code")
    ):
        communes.setdefault(row.pop("province__code"), []).append(row)
    return Codes(
        categories=list(
            Category.objects.filter(is_active=True)
            .order_by("code")
            .values("code", "name", "name_en")
        ),
        provinces=list(
            Province.objects.current().order_by("code").values("code", "name")
        ),
        communes=communes,
    )
