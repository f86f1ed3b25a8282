"""Data-subject requests: see, correct or erase one's data, on two clocks.

Law 91/2025/QH15 art. 4 and 9 give the rights; Decree 356/2025/NĐ-CP sets the
first reply within 2 working days of receipt and the period within which the
request is carried out (RequestDeadline rows, per kind: data, not code). Both
clocks are laid out by workflow.deadlines exactly as a petition's are (Civil
Code arts. 147–148 on the national calendar); the privacy sweep warns the
data-protection officers (Role.DPO) and records a breach once, never cleared.

Each service runs in one transaction, locks the request and writes its event.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from notifications.services import (
    FORGET_ONCE_SENT,
    Recipient,
    queue_notifications,
    readdress_waiting,
)
from workflow import deadlines, intake_rules, messages, sla
from workflow.errors import InvalidInput, NotAllowedNow
from workflow.history import insert_entries, next_values
from workflow.models import Action
from workflow.privacy import consent
from workflow.privacy.models import (
    OPEN_REQUEST_STATES,
    DataRequest,
    DataRequestEvent,
    PendingErasure,
    RequestDeadline,
    RequestKind,
)
from workflow.privacy.officers import require_dpo
from workflow.services.steps import lock_petition_for_data_duty

State = DataRequest.State

# Contact details a citizen may ask to correct, and the intake rule of each.
CORRECTABLE = ("submitter_name", "email", "phone")
# When no row says otherwise: Decree 356/2025 (2 working days; 10 days).
DEFAULT_TARGETS = ((2, deadlines.WORKING_DAYS), (10, deadlines.DAYS))


# --- the clocks ---------------------------------------------------------------------


def targets(kind) -> tuple[tuple[int, str], tuple[int, str]]:
    """(first reply, completion) targets of a kind of request: (amount, unit)."""
    row = RequestDeadline.objects.filter(kind=kind).first()
    if row is None:
        return DEFAULT_TARGETS
    return (
        (row.first_reply_amount, row.first_reply_unit),
        (row.completion_amount, row.completion_unit),
    )


def lay_out(request, *, calendar=None) -> None:
    """Set the request's deadlines, warnings and next check from its moments.

    The first-reply clock stops at the first reply, the completion clock at the
    completion; each warns at 75 % of its working time (deadlines.lay_out_clock).
    """
    calendar = calendar or sla.calendar_for(None)
    (reply_amount, reply_unit), (done_amount, done_unit) = targets(request.kind)
    reply = _clock(
        request.received_at,
        request.first_replied_at,
        reply_amount,
        reply_unit,
        calendar,
    )
    done = _clock(
        request.received_at, request.completed_at, done_amount, done_unit, calendar
    )
    request.first_reply_due_at, request.first_reply_warn_at = (
        reply.due_at,
        reply.warn_at,
    )
    request.due_at, request.warn_at = done.due_at, done.warn_at
    request.next_check_at = min(
        (at for _kind, at in pending_alerts(request)), default=None
    )


def _clock(start, stop, amount, unit, calendar) -> deadlines.ClockTimes:
    events = [deadlines.ClockEvent(deadlines.START, start)]
    if stop is not None:
        events.append(deadlines.ClockEvent(deadlines.STOP, stop))
    return deadlines.lay_out_clock(events, amount, unit, calendar)


# What the sweep sends, once each: (kind, moment, whether its clock still runs).
ALERTS = ("first_reply_warning", "first_reply_breach", "warning", "breach")


def pending_alerts(request) -> list[tuple[str, datetime]]:
    """The alerts still to come, with their moments, while the request is open."""
    if request.state not in OPEN_REQUEST_STATES:
        return []
    replied = request.first_replied_at is not None
    moments = {
        "first_reply_warning": None if replied else request.first_reply_warn_at,
        "first_reply_breach": None if replied else request.first_reply_due_at,
        "warning": request.warn_at,
        "breach": request.due_at,
    }
    return [
        (kind, moments[kind])
        for kind in ALERTS
        if moments[kind] is not None and kind not in request.alerted
    ]


def request_status(request, now) -> str:
    """On track, at risk, overdue or met, as the petition queue shows a petition.

    Overdue is a fact: a request that ever missed a deadline stays overdue.
    """
    if request.breached_at is not None:
        return deadlines.OVERDUE
    if request.state not in OPEN_REQUEST_STATES:
        return deadlines.MET
    due, warn = current_deadline(request)
    if now > due:
        return deadlines.OVERDUE
    if warn is not None and now >= warn:
        return deadlines.AT_RISK
    return deadlines.ON_TRACK


def current_deadline(request):
    """The deadline running now and its warning: the first reply's until given."""
    if request.first_replied_at is None and request.first_reply_due_at < request.due_at:
        return request.first_reply_due_at, request.first_reply_warn_at
    return request.due_at, request.warn_at


# --- the services -------------------------------------------------------------------


@dataclass(frozen=True)
class Corrections:
    """What a citizen asks to have corrected: the new values, by field."""

    values: dict

    @classmethod
    def parse(cls, raw) -> "Corrections":
        values = {}
        for name, value in (raw or {}).items():
            if name not in CORRECTABLE:
                raise InvalidInput(f"{name!r} cannot be corrected here.", field=name)
            value = (value or "").strip()
            if not intake_rules.has_text(value):
                continue
            if name == "email":
                value = intake_rules.clean_email(value)
            elif name == "phone":
                value = intake_rules.clean_phone(value)
            else:
                # As intake stores a name: composed, and measured so.
                value = intake_rules.composed(value)
                intake_rules.refuse_too_long(
                    name, value, intake_rules.SUBMITTER_NAME_MAX_LENGTH
                )
            intake_rules.refuse_forbidden_characters(name, value)
            values[name] = value
        return cls(values)


@transaction.atomic
def file_request(
    *, kind, petitions, identity=None, details="", corrections=None, language="vi"
) -> DataRequest:
    """A data subject asks to see, correct or erase their data.

    `petitions` are theirs (proved by code and secret, or by the identity's
    login). The same request sent again (an open one of the same kind, about the
    same petitions, asking the same) is returned instead of a second one; a
    request asking anything else is a request of its own, so that no ask is
    lost. A correction names what to correct.
    """
    if kind not in RequestKind.values:
        raise InvalidInput(f"Unknown kind of request {kind!r}.", field="kind")
    petitions = list(petitions)
    if not petitions:
        raise InvalidInput("A request concerns at least one petition.", field="kind")
    details = (details or "").strip()
    intake_rules.refuse_forbidden_characters("details", details)
    wanted = Corrections.parse(corrections).values
    if kind == RequestKind.CORRECT and not (wanted or intake_rules.has_text(details)):
        raise InvalidInput(
            "Say what to correct.",
            field="details",
            code="nothing_to_correct",
            text=_(
                "Vui lòng cho biết thông tin cần sửa: họ tên, thư điện tử, số "
                "điện thoại mới, hoặc mô tả trong nội dung yêu cầu."
            ),
        )
    ids = sorted(p.pk for p in petitions)
    for existing in DataRequest.objects.filter(
        kind=kind,
        state__in=OPEN_REQUEST_STATES,
        petitions__in=ids,
        details=details,
        corrections=wanted,
    ).distinct():
        if sorted(existing.petitions.values_list("pk", flat=True)) == ids:
            return existing
    now = timezone.now()
    request = DataRequest(
        kind=kind,
        identity=identity,
        details=details,
        corrections=wanted,
        language=language if language in ("vi", "en") else "vi",
        received_at=now,
    )
    lay_out(request)
    request.save(force_insert=True)
    request.petitions.set(ids)
    _event(request, None, "received", at=now)
    return request


@transaction.atomic
def reply_to_request(*, request_id, actor, text) -> DataRequest:
    """The first reply: the request is received, here is how it will be handled."""
    require_dpo(actor)
    request = _lock(request_id)
    if request.state != State.RECEIVED:
        raise NotAllowedNow(f"Request {request.code} already had its first reply.")
    text = _required(text, "text")
    now = timezone.now()
    request.first_replied_at, request.first_reply = now, text
    request.state = State.ACKNOWLEDGED
    request.handled_by = actor.user
    lay_out(request)
    request.save()
    _event(request, actor, "first_reply", at=now, note=text)
    _tell_citizen(request, _citizen_recipients(request), text=text, now=now)
    return request


@transaction.atomic
def complete_request(*, request_id, actor, outcome, corrections=None) -> DataRequest:
    """Carry the request out and tell the citizen how.

    See: the export becomes available to the citizen. Correct: the values the
    officer confirms (the citizen's by default) replace the petitions' ones.
    Erase: an ended petition is anonymised at once; one still handled keeps the
    data needed to answer it (Law 91/2025 lets processing continue where the
    law requires it: Decree 20/2008 obliges the agency to answer), is
    unpublished at once and anonymised the moment it ends; the outcome says so.
    """
    from workflow.privacy import retention

    require_dpo(actor)
    request = _lock(request_id)
    if request.state not in OPEN_REQUEST_STATES:
        raise NotAllowedNow(f"Request {request.code} is already closed.")
    outcome = _required(outcome, "outcome")
    now = timezone.now()
    petitions = list(request.petitions.order_by("pk"))
    # Where to tell the citizen: read before an erasure takes the addresses away,
    # after anything else (a correction's new contacts).
    recipients = (
        _citizen_recipients(request) if request.kind == RequestKind.ERASE else None
    )
    if request.kind == RequestKind.CORRECT:
        wanted = Corrections.parse(
            request.corrections if corrections is None else corrections
        ).values
        if request.corrections and not wanted:
            raise InvalidInput(
                "The request names what to correct: confirm the corrected values.",
                field="corrections",
                code="nothing_to_correct",
            )
        for petition in petitions:
            correct_contact(petition_id=petition.pk, actor=actor, values=wanted)
    elif request.kind == RequestKind.ERASE:
        for petition in petitions:
            if retention.has_ended(petition, now=now):
                if petition.publish_consent:
                    # Asked to erase, the person's petition leaves the public
                    # pages too: erased without consent, its texts go entirely.
                    consent.withdraw_publication(petition_id=petition.pk, actor=actor)
                retention.anonymise_petition(
                    petition_id=petition.pk,
                    actor=actor,
                    rule="request",
                    request=request,
                )
            else:
                _defer_erasure(petition, request=request, actor=actor, now=now)
    request.state = State.DONE
    request.completed_at, request.outcome = now, outcome
    request.handled_by = actor.user
    if request.first_replied_at is None:
        # Carrying it out is the first reply too.
        request.first_replied_at, request.first_reply = now, outcome
    lay_out(request)
    request.save()
    _event(request, actor, "done", at=now, note=outcome)
    if recipients is None:
        recipients = _citizen_recipients(request)
    # The outcome of an erasure goes to an address that is no longer kept: the
    # message forgets it once sent.
    _tell_citizen(
        request,
        recipients,
        text=outcome,
        now=now,
        forget_once_sent=request.kind == RequestKind.ERASE,
    )
    return request


@transaction.atomic
def refuse_request(*, request_id, actor, reason) -> DataRequest:
    """Refuse a request, with the reason the citizen is told (and may contest)."""
    require_dpo(actor)
    request = _lock(request_id)
    if request.state not in OPEN_REQUEST_STATES:
        raise NotAllowedNow(f"Request {request.code} is already closed.")
    reason = _required(reason, "reason")
    now = timezone.now()
    request.state = State.REFUSED
    request.completed_at, request.outcome = now, reason
    request.handled_by = actor.user
    if request.first_replied_at is None:
        request.first_replied_at, request.first_reply = now, reason
    lay_out(request)
    request.save()
    _event(request, actor, "refused", at=now, note=reason)
    _tell_citizen(request, _citizen_recipients(request), text=reason, now=now)
    return request


@transaction.atomic
def correct_contact(*, petition_id, actor, values) -> None:
    """Replace a petition's contact details with corrected ones (a step of its
    history that names the fields, not the values)."""
    petition = lock_petition_for_data_duty(petition_id)
    if petition.anonymised_at is not None:
        return
    changed = [
        name for name, value in values.items() if getattr(petition, name) != value
    ]
    if not changed:
        return
    before = {name: getattr(petition, name) for name in changed}
    for name in changed:
        setattr(petition, name, values[name])
    intake_rules.require_contact(email=petition.email, phone=petition.phone)
    if "submitter_name" in changed and before["submitter_name"]:
        # Public texts were masked with the name as it was, and still hold it
        # where the submitter wrote it: it stays hidden (workflow.redaction).
        petition.public_redactions = [
            *petition.public_redactions,
            before["submitter_name"],
        ]
    for name, channel in (("email", "email"), ("phone", "sms")):
        if name in changed and before[name]:
            # Messages still waiting go to the corrected address, not the old one.
            readdress_waiting(
                petition_id=petition.pk,
                channel=channel,
                old=before[name],
                new=getattr(petition, name),
            )
    now = timezone.now()
    insert_entries(
        [
            next_values(
                petition,
                actor=actor,
                action=Action.CORRECT_CONTACT,
                from_state=petition.state,
                at=now,
                data={"fields": sorted(changed)},
                due_at=petition.due_at,
            )
        ]
    )
    petition.version += 1
    petition.save(
        update_fields=[
            *changed,
            "public_redactions",
            "version",
            "history_head",
            "history_length",
        ]
    )


def _defer_erasure(petition, *, request, actor, now) -> None:
    PendingErasure.objects.get_or_create(
        petition=petition, defaults={"request": request, "since": now}
    )
    if petition.publish_consent:
        consent.withdraw_publication(petition_id=petition.pk, actor=actor)


def _citizen_recipients(request):
    """Where the citizen hears of the request: the contacts of its first petition
    that still has any, as (petition, recipients)."""
    for petition in request.petitions.order_by("pk"):
        if recipients := messages.submitter_recipients(petition):
            return petition, [
                Recipient(r.channel, address=r.address, language=request.language)
                for r in recipients
            ]
    return None, []


def _tell_citizen(request, found, *, text, now, forget_once_sent=False) -> None:
    petition, recipients = found
    if not recipients:
        return
    with translation.override(request.language):
        state_label = str(request.get_state_display())
    context = {
        "tracking_code": petition.tracking_code,
        "request_code": request.code,
        "request_state_label": state_label,
        "text": text,
    }
    if forget_once_sent:
        context[FORGET_ONCE_SENT] = True
    queue_notifications(
        event="data_request_replied",
        petition_id=petition.pk,
        recipients=recipients,
        now=now,
        context=context,
    )


def _lock(request_id) -> DataRequest:
    request = DataRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise InvalidInput(f"No data request with id {request_id}.", field="request")
    return request


def _required(text, what) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"A {what} is required.", field=what)
    intake_rules.refuse_forbidden_characters(what, text)
    return text


def _event(request, actor, action, *, at, note="") -> None:
    DataRequestEvent.objects.create(
        request=request,
        at=at,
        action=action,
        actor=actor.user if actor is not None else None,
        actor_label=actor.label if actor is not None else "submitter",
        note=note,
    )
