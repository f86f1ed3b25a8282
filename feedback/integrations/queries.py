"""Reads of the machine interfaces: which petitions a caller may see, and how."""

from django.db.models import OuterRef, Q, Subquery

from feedback.integrations.serializers import RELATED
from workflow.models import Channel, HistoryEntry, Petition

# Open311 lists at most this many requests per call (the usual GeoReport cap).
OPEN311_MAX_REQUESTS = 1000


def portal_petition(tracking_code: str):
    """A petition the portal delivered, by tracking code; None for any other."""
    return (
        Petition.objects.select_related(*RELATED)
        .filter(channel=Channel.PORTAL, tracking_code=tracking_code.strip().upper())
        .first()
    )


def portal_petition_by_external_id(external_id: str):
    return (
        Petition.objects.select_related(*RELATED)
        .filter(channel=Channel.PORTAL, channel_ref=external_id.strip())
        .first()
    )


def history_summary(petition) -> list[dict]:
    return list(
        HistoryEntry.objects.filter(petition_id=petition.pk)
        .order_by("seq")
        .values("at", "action", "to_state")
    )


def open311_requests(*, with_key: bool):
    """Petitions Open311 may show, each with the time of its latest step.

    Open311 reads are public: a petition is listed when its submitter agreed to
    publication. A client holding an API key also sees what came in through
    Open311, so that it can follow the requests it filed.
    """
    visible = Q(publish_consent=True)
    if with_key:
        visible |= Q(channel=Channel.OPEN311)
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


def open311_petition_for_token(token: str):
    """The Open311 petition a token names: its tracking code or the client's own id."""
    token = token.strip()
    return (
        Petition.objects.filter(channel=Channel.OPEN311)
        .filter(Q(tracking_code=token.upper()) | Q(channel_ref=token))
        .only("tracking_code", "channel_ref")
        .first()
    )
