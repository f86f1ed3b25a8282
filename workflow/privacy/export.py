"""A data subject's data, whole: what they gave, what happened, who looked.

Law 91/2025/QH15 art. 4 (the right to see and obtain one's data): the export
holds every petition of the request as stored, its consents, its history (with
the texts that are still kept), its attachments (described; the files are on
the tracking page), the messages sent to the submitter, the staff reads of their
data, and the data requests themselves. One dict, written out as JSON (machine
readable) and as an HTML page (readable, printable).
"""

from django.utils import timezone

from notifications.models import Notification
from workflow.models import Action, HistoryEntry, staff_name
from workflow.privacy.models import Consent, DataRequest
from workflow.privacy.reads import reads_of

FORMAT = "pakn-subject-data/1"

# Sections the apps built on workflow add (feedback: "attachments"), each a function
# of the petitions' ids returning a list of plain dicts; registered at start-up.
_sections: dict = {}


def register_section(name: str, section) -> None:
    _sections[name] = section


def subject_data(petitions, *, identity=None, now=None) -> dict:
    """Everything stored about the submitter of `petitions` (see the module)."""
    petitions = sorted(petitions, key=lambda p: p.pk)
    ids = [p.pk for p in petitions]
    return {
        "format": FORMAT,
        "generated_at": _iso(now or timezone.now()),
        "identity": (
            {"pseudonym": identity.subject, "since": _iso(identity.created_at)}
            if identity is not None
            else None
        ),
        "petitions": [_petition(p) for p in petitions],
        "consents": [_consent(c) for c in _consents(ids)],
        "history": [_entry(e) for e in _history(ids)],
        # Sections of the apps built on workflow (feedback: the attachments).
        **{name: section(ids) for name, section in _sections.items()},
        "messages": [_message(m) for m in _messages(ids)],
        "staff_reads": [_read(r) for r in reads_of(ids)],
        "data_requests": [_request(r) for r in _requests(ids)],
    }


def _petition(p) -> dict:
    return {
        "tracking_code": p.tracking_code,
        "channel": p.channel,
        "received_at": _iso(p.received_at),
        "state": p.state,
        "submitter": {
            "kind": p.submitter_kind,
            "name": p.submitter_name,
            "email": p.email,
            "phone": p.phone,
            "tax_code": p.tax_code,
            "postal_address": p.postal_address,
            "language": p.language,
        },
        "title": p.title,
        "content": p.content,
        # Where the matter is, as given: it may be where the submitter lives.
        "place": p.place,
        "latitude": None if p.latitude is None else str(p.latitude),
        "longitude": None if p.longitude is None else str(p.longitude),
        "category": p.category.name,
        "province": p.province.name,
        "commune": p.commune.name if p.commune_id else None,
        "agency": p.agency.name if p.agency_id else None,
        "published": p.publish_consent,
        "due_at": _iso(p.due_at),
        "answer": p.answer,
        "answered_at": _iso(p.answered_at),
        "closed_at": _iso(p.closed_at),
        "rejection_reason": p.rejection_reason,
        "redirect_hint": p.redirect_hint,
        "anonymised_at": _iso(p.anonymised_at),
    }


def _consents(ids):
    return (
        Consent.objects.filter(petition_id__in=ids)
        .select_related("petition", "notice")
        .order_by("petition_id", "purpose")
    )


def _consent(c) -> dict:
    return {
        "petition": c.petition.tracking_code,
        "purpose": c.purpose,
        "basis": c.basis,
        "notice_version": c.notice.version if c.notice_id else None,
        "notice_text": c.notice.text_vi if c.notice_id else None,
        "reference": c.reference,
        "given_at": _iso(c.given_at),
        "withdrawn_at": _iso(c.withdrawn_at),
    }


def _history(ids):
    return (
        HistoryEntry.objects.filter(petition_id__in=ids)
        .select_related("petition", "agency")
        .order_by("petition_id", "seq")
    )


def _entry(e) -> dict:
    return {
        "petition": e.petition.tracking_code,
        "seq": e.seq,
        "at": _iso(e.at),
        "action": e.action,
        "label": str(Action(e.action).label) if e.action in Action.values else e.action,
        "from_state": e.from_state,
        "to_state": e.to_state,
        "by": e.actor_label,
        "agency": e.agency.name if e.agency_id else None,
        "text": e.reason,
        "text_erased": e.is_erased,
    }


def _messages(ids):
    # Messages to the submitter only: staff e-mails are about, not to, them.
    return Notification.objects.filter(
        petition_id__in=ids, recipient_user__isnull=True
    ).order_by("created_at", "pk")


def _message(m) -> dict:
    return {
        "event": m.event,
        "channel": m.channel,
        "to": m.recipient_address,
        "status": m.status,
        "created_at": _iso(m.created_at),
        "sent_at": _iso(m.sent_at),
    }


def _read(r) -> dict:
    return {
        "petition": r.petition.tracking_code,
        "at": _iso(r.at),
        "by": staff_name(r.user),
        "what": r.what,
        "attachment": r.attachment_id,
    }


def _requests(ids):
    return (
        DataRequest.objects.filter(petitions__in=ids).distinct().order_by("received_at")
    )


def _request(r) -> dict:
    return {
        "code": r.code,
        "kind": r.kind,
        "state": r.state,
        "received_at": _iso(r.received_at),
        "first_reply_due_at": _iso(r.first_reply_due_at),
        "due_at": _iso(r.due_at),
        "first_replied_at": _iso(r.first_replied_at),
        "completed_at": _iso(r.completed_at),
        "details": r.details,
        "corrections": r.corrections,
        "first_reply": r.first_reply,
        "outcome": r.outcome,
    }


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment is not None else None
