"""The read side of personal data: what a petition's submitter consented to and
asked for; the data-protection officers' queue; who read what."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from workflow.privacy.models import (
    OPEN_REQUEST_STATES,
    Consent,
    DataRequest,
    PersonalDataRead,
)


@dataclass(frozen=True)
class PetitionPrivacy:
    consents: list[Consent]
    requests: list[DataRequest]

    @property
    def is_published(self) -> bool:
        return any(
            c.purpose == "publication" and c.withdrawn_at is None for c in self.consents
        )


def petition_privacy(petition) -> PetitionPrivacy:
    """A petition's consents and data requests, for its submitter's page."""
    return PetitionPrivacy(
        consents=list(
            Consent.objects.filter(petition=petition)
            .select_related("notice")
            .order_by("purpose")
        ),
        requests=list(
            DataRequest.objects.filter(petitions=petition).order_by("-received_at")
        ),
    )


def request_queue(*, show="open", kind=None):
    """Data requests for the officers: the most urgent deadline first."""
    from django.db.models import Case, F, When
    from django.db.models.functions import Least

    found = DataRequest.objects.all()
    if show == "open":
        found = found.filter(state__in=OPEN_REQUEST_STATES)
    if kind:
        found = found.filter(kind=kind)
    # The deadline running now: the first reply's until it is given.
    running = Case(
        When(
            first_replied_at__isnull=True,
            then=Least(F("first_reply_due_at"), F("due_at")),
        ),
        default=F("due_at"),
    )
    return found.annotate(running_due_at=running).order_by(
        F("completed_at").desc(nulls_first=True), "running_due_at", "pk"
    )


def request_by_code(code) -> DataRequest:
    from django.http import Http404

    found = DataRequest.objects.select_related("identity").filter(code=code.upper())
    item = found.first()
    if item is None:
        raise Http404
    return item


def staff_reads(*, petition_code=None, username=None):
    """Staff reads of personal data, newest first, for the auditors."""
    found = PersonalDataRead.objects.select_related("user", "petition")
    if petition_code:
        found = found.filter(petition__tracking_code=petition_code.strip().upper())
    if username:
        found = found.filter(user__username=username.strip())
    return found.order_by("-at", "-pk")


# The steps a request's history stores (requests._event), as the page reads them.
EVENT_LABELS = {
    "received": DataRequest.State.RECEIVED.label,
    "first_reply": _("Phản hồi lần đầu"),
    "done": DataRequest.State.DONE.label,
    "refused": DataRequest.State.REFUSED.label,
}


def request_events(item) -> list:
    """A request's steps, oldest first, each with its step and actor in the
    reader's language (stored as written: "received", "submitter")."""
    from workflow.queries import actor_shown

    events = list(item.events.all())
    for event in events:
        event.action_shown = EVENT_LABELS.get(event.action, event.action)
        event.actor_shown = actor_shown(event.actor_label)
    return events
