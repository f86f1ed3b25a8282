"""The only writers of petitions: one function per lifecycle step.

Each service runs in one transaction: it locks the petition row, checks the actor's
role and the petition's version, runs the transition, saves, appends the history entry
and writes the notification rows. Either all of that happens or none of it.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from config.bulk import allocate_ids, insert_rows
from notifications.services import batched
from workflow import messages, permissions, sla
from workflow.access import Actor
from workflow.areas.models import Commune, Province
from workflow.errors import (
    DuplicateSubmission,
    InvalidInput,
    NotAllowedNow,
    NotPermitted,
    PetitionChanged,
    WorkflowError,
)
from workflow.history import insert_entries, next_values
from workflow.models import (
    Agency,
    Category,
    Channel,
    Extension,
    Petition,
    Priority,
    State,
    SubmitterKind,
)
from workflow.models.petitions import (
    OPEN_STATES,
    hash_secret,
    new_secret,
    new_tracking_code,
)
from workflow.reference import held_reference
from workflow.routing import route_petition

# Digits of a phone number, with spaces, dots or dashes between groups.
PHONE = re.compile(r"\+?\d(?:[ .-]?\d){7,14}")
# How long after an answer the submitter may dispute it (reopen).
DISPUTE_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Submission:
    petition: Petition
    # Shown once to the submitter; only its hash is stored.
    secret: str


# --- intake -------------------------------------------------------------------


def submit_petition(**fields) -> Submission:
    """Receive a petition from any channel and route it.

    `category` is a category code, `province` and `commune` official unit codes. The
    channel's own id (`channel_ref`) makes intake idempotent: a second delivery raises
    DuplicateSubmission carrying the first petition. Routing rules send it to an agency
    at once; a petition no rule matches waits in the triage queue.
    """
    [result] = submit_petitions([fields])
    if isinstance(result, WorkflowError):
        raise result
    return result


def submit_petitions(drafts: list[dict]) -> list:
    """Receive many petitions at once; each gets a Submission or its error, in order.

    Each draft holds submit_petition's arguments. A draft with bad input, or whose
    channel id was already received, gets its error in its place and the others go
    in: validated, routed and put on their clocks exactly as one at a time, but each
    table is written once for the whole batch (the portal delivers in batches).

    Two clashes are found only by the unique indexes, and the whole transaction is
    then run again: a tracking code drawn twice (about one in a billion at a
    million petitions; the codes are drawn anew) and a channel id that another
    transaction committed after our look-up (the next look-up finds it). A
    savepoint would spare the rerun, at two round trips on every intake.
    """
    for _attempt in range(5):
        try:
            with transaction.atomic(), held_reference() as ref:
                return _receive_all(drafts, ref=ref, now=timezone.now())
        except IntegrityError as error:
            if not any(name in str(error) for name in INTAKE_CLASHES):
                raise
    raise RuntimeError("Could not receive the petitions")


# Unique indexes whose violation at intake means "draw again" or "look again".
INTAKE_CLASHES = ("tracking_code", "one_petition_per_channel_ref")


def _receive_all(drafts, *, ref, now) -> list:
    results: list = [None] * len(drafts)
    received = []
    for index, draft in enumerate(drafts):
        try:
            received.append(_Receipt(index, *_prepare_receipt(ref, now, **draft)))
        except WorkflowError as error:
            results[index] = error
    received = _without_duplicates(received, results)
    # With their ids known, each petition is written once, complete: its clocks
    # and its history are laid out first.
    ids = allocate_ids(Petition, len(received))
    system = Actor.system()
    for r, pk in zip(received, ids, strict=True):
        r.petition.pk = pk
        actions = [s.action for s in r.steps]
        r.ledger = sla.plan_steps(r.petition, actions=actions, now=now, ref=ref)
        r.entries = [
            next_values(
                r.petition,
                actor=system,
                action=step.action,
                from_state=step.from_state,
                to_state=step.to_state,
                at=now,
                data=step.data,
                due_at=r.petition.due_at,
            )
            for step in r.steps
        ]
    insert_rows(Petition, [r.petition for r in received])
    sla.save_ledgers([r.ledger for r in received])
    insert_entries([entry for r in received for entry in r.entries])
    with batched():
        for r in received:
            messages.petition_received(r.petition, now=now, secret=r.secret)
            if r.petition.agency_id is not None:
                messages.petition_assigned(r.petition, now=now)
            results[r.index] = Submission(petition=r.petition, secret=r.secret)
    return results


@dataclass
class _Receipt:
    index: int
    petition: Petition
    secret: str
    steps: list
    ledger: object = None
    entries: list = ()


def _prepare_receipt(
    ref, now, *, channel, publish_consent=False, channel_ref=None, **fields
):
    """A validated, routed petition in memory, its secret and its history steps."""
    fields = _validated_intake(ref, channel=channel, **_with_defaults(fields))
    if channel_ref is not None:
        channel_ref = str(channel_ref).strip() or None
    secret = new_secret()
    petition = Petition(
        secret_hash=hash_secret(secret),
        tracking_code=new_tracking_code(),
        channel=channel,
        channel_ref=channel_ref,
        publish_consent=publish_consent,
        received_at=now,
        version=2,
        **fields,
    )
    # Receipt and routing are two steps of the history, written together.
    steps = [Step("submit", State.RECEIVED, to_state=State.RECEIVED)]
    agency = route_petition(
        category=petition.category,
        province=petition.province,
        commune=petition.commune,
        ref=ref,
    )
    if agency is not None:
        petition.triage(agency=agency)
        steps.append(Step("triage", State.RECEIVED, data={"rule": "routing"}))
    return petition, secret, steps


def _with_defaults(fields):
    unknown = set(fields) - INTAKE_FIELDS
    if unknown:
        raise InvalidInput(
            f"Unknown field {sorted(unknown)[0]!r}.", field=sorted(unknown)[0]
        )
    return {
        "commune": None,
        "email": "",
        "phone": "",
        "tax_code": "",
        "priority": Priority.NORMAL,
        "language": "vi",
        **fields,
    }


INTAKE_FIELDS = {
    "submitter_kind",
    "submitter_name",
    "title",
    "content",
    "category",
    "province",
    "commune",
    "email",
    "phone",
    "tax_code",
    "priority",
    "language",
}


def _without_duplicates(received, results):
    """The receipts whose channel id is new; the others get DuplicateSubmission.

    A channel id delivered twice (earlier, or within the batch) is a duplicate of
    the first petition with it.
    """
    refs = {
        (r.petition.channel, r.petition.channel_ref)
        for r in received
        if r.petition.channel_ref
    }
    known = {}
    if refs:
        # Plain SQL: intake runs this for every batch, and nearly always finds
        # nothing; the ORM's query building would cost more than the look-up.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, channel, channel_ref FROM workflow_petition "
                "WHERE channel = ANY(%s) AND channel_ref = ANY(%s)",
                [
                    sorted({channel for channel, _ in refs}),
                    sorted({channel_ref for _, channel_ref in refs}),
                ],
            )
            found = {pk: (ch, ref) for pk, ch, ref in cursor if (ch, ref) in refs}
        if found:
            known = {found[p.pk]: p for p in Petition.objects.filter(pk__in=found)}
    kept, seen = [], {}
    for r in received:
        key = (r.petition.channel, r.petition.channel_ref)
        first = known.get(key) or seen.get(key)
        if r.petition.channel_ref and first is not None:
            results[r.index] = DuplicateSubmission(
                f"{key[0]} id {key[1]!r} was already received "
                f"as {first.tracking_code}.",
                petition=first,
            )
            continue
        seen[key] = r.petition
        kept.append(r)
    return kept


def _validated_intake(
    ref,
    *,
    channel,
    submitter_kind,
    submitter_name,
    title,
    content,
    category,
    province,
    commune,
    email,
    phone,
    tax_code,
    priority,
    language,
) -> dict:
    if channel not in Channel.values:
        raise InvalidInput(f"Unknown channel {channel!r}.", field="channel")
    if submitter_kind not in SubmitterKind.values:
        raise InvalidInput(
            f"Unknown submitter kind {submitter_kind!r}: use citizen or business.",
            field="submitter_kind",
        )
    tax_code = (tax_code or "").strip()
    if submitter_kind == SubmitterKind.BUSINESS and not tax_code:
        raise InvalidInput("A business must give its tax code.", field="tax_code")
    if tax_code and not (
        tax_code.replace("-", "").isdigit() and len(tax_code) in (10, 14)
    ):
        raise InvalidInput(
            "A tax code has 10 digits, or 10 digits, a dash and 3 more.",
            field="tax_code",
        )
    email, phone = (email or "").strip(), (phone or "").strip()
    if not email and not phone:
        raise InvalidInput("Give an email address or a phone number.", field="email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                f"{email!r} is not an email address.", field="email"
            ) from None
    if phone and not PHONE.fullmatch(phone):
        raise InvalidInput(
            "A phone number has 8 to 15 digits, optionally after a +.", field="phone"
        )
    for name, value in (
        ("submitter_name", submitter_name),
        ("title", title),
        ("content", content),
        ("tax_code", tax_code),
    ):
        # PostgreSQL text cannot hold NUL; refuse it here rather than fail on save.
        if "\x00" in (value or ""):
            raise InvalidInput(f"{name} contains a NUL character.", field=name)
    for name, value, limit in (
        ("submitter_name", submitter_name, 200),
        ("title", title, 300),
    ):
        if not (value or "").strip():
            raise InvalidInput(f"{name} is required.", field=name)
        if len(value) > limit:
            raise InvalidInput(f"{name} is longer than {limit} characters.", field=name)
    if not (content or "").strip():
        raise InvalidInput("content is required.", field="content")
    if priority not in Priority.values:
        raise InvalidInput(f"Unknown priority {priority!r}.", field="priority")
    if language not in ("vi", "en"):
        raise InvalidInput(
            f"Unknown language {language!r}: use vi or en.", field="language"
        )
    category_obj = ref.get(
        ("category", category),
        lambda: Category.objects.filter(code=category, is_active=True).first(),
    )
    if category_obj is None:
        raise InvalidInput(f"Unknown category {category!r}.", field="category")
    province_obj = _current_unit(ref, Province.objects, province, "province")
    commune_obj = None
    if commune not in (None, ""):
        commune_obj = _current_unit(ref, Commune.objects, commune, "commune")
        if commune_obj.province_id != province_obj.pk:
            raise InvalidInput(
                f"Commune {commune} is not in province {province}.", field="commune"
            )
    return {
        "submitter_kind": submitter_kind,
        "submitter_name": submitter_name.strip(),
        "tax_code": tax_code,
        "email": email,
        "phone": phone,
        "title": title.strip(),
        "content": content.strip(),
        "category": category_obj,
        "province": province_obj,
        "commune": commune_obj,
        "priority": priority,
        "language": language,
    }


def _current_unit(ref, manager, code, name):
    try:
        code = int(code)
    except (TypeError, ValueError):
        raise InvalidInput(f"Unknown {name} {code!r}.", field=name) from None
    unit = ref.get((name, code), lambda: manager.current().filter(code=code).first())
    if unit is None:
        raise InvalidInput(f"Unknown {name} {code!r}.", field=name)
    return unit


# --- the lifecycle --------------------------------------------------------------


@transaction.atomic
def triage_petition(*, petition_id, actor, agency_id, expected_version=None, reason=""):
    """A coordinator sends a petition waiting in the triage queue to an agency."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "triage")
    agency = _active_agency(agency_id)
    now = timezone.now()
    _step(petition, petition.triage, agency=agency)
    _finish(
        petition,
        actor=actor,
        action="triage",
        from_state=State.RECEIVED,
        now=now,
        reason=reason,
    )
    messages.petition_assigned(petition, now=now)
    return petition


@transaction.atomic
def reject_petition(
    *, petition_id, actor, reason, redirect_hint="", expected_version=None
):
    """Not accepted: out of scope, form rules not met, abusive (Decree 20/2008).

    From the triage queue a coordinator decides; once assigned, the agency's supervisor.
    The submitter is told why and where to turn (complaints and denunciations have
    their own procedures).
    """
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "reject")
    reason = _required_reason(reason)
    now = timezone.now()
    from_state = petition.state
    _step(
        petition,
        petition.reject,
        reason=reason,
        redirect_hint=redirect_hint.strip(),
        now=now,
    )
    _finish(
        petition,
        actor=actor,
        action="reject",
        from_state=from_state,
        now=now,
        reason=reason,
        data={"redirect_hint": redirect_hint.strip()},
    )
    messages.petition_rejected(petition, now=now)
    return petition


@transaction.atomic
def claim_petition(*, petition_id, actor, expected_version=None):
    """A handler takes an unassigned petition of the agency's queue for themselves."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "claim")
    if petition.handler_id is not None:
        raise PetitionChanged(
            f"{petition.tracking_code} is already handled by {petition.handler}."
        )
    now = timezone.now()
    petition.handler = actor.user
    _finish(
        petition,
        actor=actor,
        action="claim",
        from_state=petition.state,
        now=now,
        extra_fields=["handler"],
    )
    return petition


@transaction.atomic
def assign_handler(*, petition_id, actor, handler, expected_version=None):
    """A supervisor gives a petition to one of the agency's handlers."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "assign")
    if petition.state not in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_INFO):
        raise NotAllowedNow(
            f"A petition that is {petition.get_state_display()} "
            "cannot be assigned to a handler."
        )
    handler_roles = permissions.StaffRoles.of(Actor.staff(handler))
    if not handler_roles.holds(permissions.HANDLER, petition.agency_id):
        raise InvalidInput(
            f"{handler} does not work for {petition.agency}.", field="handler"
        )
    now = timezone.now()
    petition.handler = handler
    _finish(
        petition,
        actor=actor,
        action="assign",
        from_state=petition.state,
        now=now,
        extra_fields=["handler"],
        data={"handler": handler.pk},
    )
    return petition


@transaction.atomic
def accept_petition(*, petition_id, actor, expected_version=None):
    """The assigned agency accepts the petition for handling."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "accept")
    now = timezone.now()
    _step(petition, petition.accept, handler=actor.user)
    _finish(petition, actor=actor, action="accept", from_state=State.ASSIGNED, now=now)
    return petition


@transaction.atomic
def transfer_petition(*, petition_id, actor, agency_id, reason, expected_version=None):
    """Pass a petition to the competent agency; the case deadline stays."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "transfer")
    reason = _required_reason(reason)
    target = _active_agency(agency_id)
    if target.pk == petition.agency_id:
        raise InvalidInput(
            "Choose another agency than the current one.", field="agency"
        )
    now = timezone.now()
    from_state, from_agency = petition.state, petition.agency_id
    _step(petition, petition.transfer, agency=target)
    _finish(
        petition,
        actor=actor,
        action="transfer",
        from_state=from_state,
        now=now,
        reason=reason,
        data={"from_agency": from_agency, "to_agency": target.pk},
    )
    messages.petition_assigned(petition, now=now)
    return petition


@transaction.atomic
def return_to_triage(*, petition_id, actor, reason, expected_version=None):
    """An agency that is not competent, and knows none that is, sends it back."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "return_to_triage")
    reason = _required_reason(reason)
    now = timezone.now()
    from_agency = petition.agency_id
    _step(petition, petition.return_to_triage)
    _finish(
        petition,
        actor=actor,
        action="return_to_triage",
        from_state=State.ASSIGNED,
        now=now,
        reason=reason,
        data={"from_agency": from_agency},
    )
    return petition


@transaction.atomic
def request_information(*, petition_id, actor, question, expected_version=None):
    """Ask the submitter for more information; the answer clock pauses meanwhile."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "request_info")
    question = _required_reason(question, what="question")
    now = timezone.now()
    _step(petition, petition.request_info, reply_due_at=sla.reply_due_at(petition, now))
    _finish(
        petition,
        actor=actor,
        action="request_info",
        from_state=State.IN_PROGRESS,
        now=now,
        reason=question,
    )
    messages.information_requested(petition, now=now, question=question)
    return petition


@transaction.atomic
def provide_information(*, petition_id, actor, text, expected_version=None):
    """The submitter answers the agency's question; the answer clock resumes."""
    petition = _lock(petition_id, expected_version)
    _require_submitter(actor)
    text = _required_reason(text, what="information")
    now = timezone.now()
    _step(petition, petition.provide_info)
    _finish(
        petition,
        actor=actor,
        action="provide_info",
        from_state=State.AWAITING_INFO,
        now=now,
        reason=text,
    )
    messages.information_provided(petition, now=now)
    return petition


@transaction.atomic
def expire_petition(*, petition_id, actor, expected_version=None):
    """Close a petition whose submitter never sent the information asked for."""
    petition = _lock(petition_id, expected_version)
    if not actor.is_system:
        permissions.require(actor, petition, "expire")
    now = timezone.now()
    _step(petition, petition.expire, now=now)
    _finish(
        petition, actor=actor, action="expire", from_state=State.AWAITING_INFO, now=now
    )
    messages.petition_expired(petition, now=now)
    return petition


@transaction.atomic
def answer_petition(*, petition_id, actor, text, expected_version=None):
    """Answer the submitter, or send the answer for review where the agency wants."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "answer")
    text = _required_reason(text, what="answer")
    now = timezone.now()
    _step(
        petition,
        petition.answer_petition,
        text=text,
        now=now,
        needs_review=petition.agency.requires_answer_review,
    )
    _finish(
        petition, actor=actor, action="answer", from_state=State.IN_PROGRESS, now=now
    )
    if petition.state == State.ANSWERED:
        messages.petition_answered(petition, now=now)
    return petition


@transaction.atomic
def approve_answer(*, petition_id, actor, expected_version=None):
    """A supervisor lets a reviewed answer go out to the submitter."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "approve_answer")
    now = timezone.now()
    _step(petition, petition.approve_answer, now=now)
    _finish(
        petition,
        actor=actor,
        action="approve_answer",
        from_state=State.ANSWER_REVIEW,
        now=now,
    )
    messages.petition_answered(petition, now=now)
    return petition


@transaction.atomic
def return_answer(*, petition_id, actor, reason, expected_version=None):
    """A supervisor sends a draft answer back to the handler for rework."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "return_answer")
    reason = _required_reason(reason)
    now = timezone.now()
    _step(petition, petition.return_answer)
    _finish(
        petition,
        actor=actor,
        action="return_answer",
        from_state=State.ANSWER_REVIEW,
        now=now,
        reason=reason,
    )
    return petition


@transaction.atomic
def reopen_petition(*, petition_id, actor, reason, expected_version=None):
    """The submitter disputes the answer within the dispute window: handling resumes."""
    petition = _lock(petition_id, expected_version)
    _require_submitter(actor)
    reason = _required_reason(reason)
    now = timezone.now()
    if (
        petition.answered_at is not None
        and (now - petition.answered_at).days >= DISPUTE_WINDOW_DAYS
    ):
        raise NotAllowedNow(
            f"An answer can be disputed within {DISPUTE_WINDOW_DAYS} days; "
            "this one was given earlier."
        )
    from_state = petition.state
    _step(petition, petition.reopen)
    _finish(
        petition,
        actor=actor,
        action="reopen",
        from_state=from_state,
        now=now,
        reason=reason,
    )
    messages.petition_reopened(petition, now=now)
    return petition


@transaction.atomic
def close_petition(*, petition_id, actor, expected_version=None):
    """Close an answered petition (the submitter accepts it, or a supervisor)."""
    petition = _lock(petition_id, expected_version)
    if not (actor.is_submitter or actor.is_system):
        permissions.require(actor, petition, "close")
    now = timezone.now()
    _step(petition, petition.close, now=now)
    _finish(petition, actor=actor, action="close", from_state=State.ANSWERED, now=now)
    return petition


@transaction.atomic
def withdraw_petition(*, petition_id, actor, reason="", expected_version=None):
    """The submitter withdraws a petition that is still open."""
    petition = _lock(petition_id, expected_version)
    _require_submitter(actor)
    now = timezone.now()
    from_state = petition.state
    _step(petition, petition.withdraw, now=now)
    _finish(
        petition,
        actor=actor,
        action="withdraw",
        from_state=from_state,
        now=now,
        reason=(reason or "").strip(),
    )
    return petition


@transaction.atomic
def merge_petition(
    *, petition_id, actor, into_tracking_code, reason, expected_version=None
):
    """Close a duplicate into the petition that carries on (same agency or triage)."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "merge")
    reason = _required_reason(reason)
    target = Petition.objects.filter(tracking_code=into_tracking_code).first()
    if target is None or target.pk == petition.pk:
        raise InvalidInput(
            f"No other petition has the code {into_tracking_code!r}.", field="into"
        )
    if target.state not in OPEN_STATES and target.state != State.ANSWERED:
        raise InvalidInput(
            f"{target.tracking_code} is {target.get_state_display()}; "
            "merge into a petition that is still handled.",
            field="into",
        )
    now = timezone.now()
    from_state = petition.state
    _step(petition, petition.merge, into=target, now=now)
    _finish(
        petition,
        actor=actor,
        action="merge",
        from_state=from_state,
        now=now,
        reason=reason,
        data={"into": target.tracking_code},
    )
    messages.petition_merged(petition, now=now)
    return petition


MAX_EXTENSION_DAYS = 30


@transaction.atomic
def request_extension(*, petition_id, actor, days, reason, expected_version=None):
    """Ask once, with a reason, for more time on the case deadline.

    A supervisor decides (decide_extension); the original deadline is kept beside
    the new one, and a breach already recorded stays recorded.
    """
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "request_extension")
    reason = _required_reason(reason)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise InvalidInput("Days must be a whole number.", field="days") from None
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            f"An extension is 1 to {MAX_EXTENSION_DAYS} days.", field="days"
        )
    if Extension.objects.filter(petition=petition).exists():
        raise NotAllowedNow("This petition's deadline can be extended only once.")
    now = timezone.now()
    Extension.objects.create(
        petition=petition,
        days=days,
        reason=reason,
        requested_by=actor.user,
        requested_at=now,
    )
    _finish(
        petition,
        actor=actor,
        action="request_extension",
        from_state=petition.state,
        now=now,
        reason=reason,
        data={"days": days},
    )
    messages.extension_requested(petition, now=now)
    return petition


@transaction.atomic
def decide_extension(*, petition_id, actor, approve, note="", expected_version=None):
    """A supervisor approves or refuses the pending extension request."""
    petition = _lock(petition_id, expected_version)
    permissions.require(actor, petition, "decide_extension")
    extension = Extension.objects.filter(
        petition=petition, status=Extension.Status.PENDING
    ).first()
    if extension is None:
        raise NotAllowedNow("No extension request is waiting for a decision.")
    if not approve and not (note or "").strip():
        raise InvalidInput("Say why the extension is refused.", field="note")
    now = timezone.now()
    if approve:
        sla.extend_answer_clock(petition, days=extension.days, now=now)
    extension.status = (
        Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    )
    extension.decided_by, extension.decided_at = actor.user, now
    extension.decision_note = (note or "").strip()
    extension.save()
    _finish(
        petition,
        actor=actor,
        action="approve_extension" if approve else "refuse_extension",
        from_state=petition.state,
        now=now,
        reason=extension.decision_note,
        data={"days": extension.days},
    )
    messages.extension_decided(petition, now=now, approved=approve)
    return petition


@transaction.atomic
def record_rating(*, petition_id, actor, score, comment=""):
    """Put the submitter's rating of the answer into the history (1 to 5 stars).

    The rating itself is stored by `feedback`; this keeps it in the tamper-evident
    history beside the answer it judges. Only an answered or closed petition is rated.
    """
    petition = _lock(petition_id, None)
    _require_submitter(actor)
    if petition.state not in (State.ANSWERED, State.CLOSED):
        raise NotAllowedNow("Only an answered petition can be rated.")
    if score not in (1, 2, 3, 4, 5):
        raise InvalidInput("A rating is 1 to 5.", field="score")
    now = timezone.now()
    _finish(
        petition,
        actor=actor,
        action="rate",
        from_state=petition.state,
        now=now,
        reason=(comment or "").strip(),
        data={"score": score},
    )
    return petition


# --- shared steps ---------------------------------------------------------------


def _lock(petition_id, expected_version) -> Petition:
    """Lock the petition row and check the caller saw its latest version.

    A second caller blocks here until the first commits, then sees the new version and
    gets PetitionChanged instead of acting on what it no longer sees.
    """
    petition = (
        Petition.objects.select_for_update(no_key=True, of=("self",))
        .select_related("agency")
        .filter(pk=petition_id)
        .first()
    )
    if petition is None:
        raise InvalidInput(f"No petition with id {petition_id}.", field="petition")
    if expected_version is not None and int(expected_version) != petition.version:
        raise PetitionChanged(
            f"Petition {petition.tracking_code} changed meanwhile (now: "
            f"{petition.get_state_display()}). Reload it and try again."
        )
    return petition


def _step(petition, transition, **kwargs):
    try:
        transition(**kwargs)
    except TransitionNotAllowed:
        raise NotAllowedNow(
            f"Action {transition.__name__!r} is not possible while petition "
            f"{petition.tracking_code} is {petition.get_state_display()} "
            f"({petition.state})."
        ) from None


# Fields a transition may change; saving only these keeps concurrent writers of other
# columns (none today) from being overwritten.
TRANSITION_FIELDS = [
    "state",
    "agency",
    "handler",
    "merged_into",
    "transfer_count",
    "answer",
    "answered_at",
    "closed_at",
    "rejection_reason",
    "info_due_at",
    "redirect_hint",
]


SAVED_FIELDS = [
    *TRANSITION_FIELDS,
    *sla.SLA_FIELDS,
    "version",
    "history_head",
    "history_length",
]


@dataclass(frozen=True)
class Step:
    """One lifecycle step as the history records it."""

    action: str
    from_state: str
    reason: str = ""
    data: dict | None = None
    to_state: str | None = None  # None: the petition's state after all steps


def _finish(
    petition, *, actor, action, from_state, now, reason="", data=None, extra_fields=()
):
    """Run the clocks, append the history entry and save (the petition is locked).

    The portal hears of each state change (intake answers it with the first state).
    """
    sla.on_steps(petition, actions=[action], now=now)
    insert_entries(
        [
            next_values(
                petition,
                actor=actor,
                action=action,
                from_state=from_state,
                at=now,
                reason=reason,
                data=data,
                due_at=petition.due_at,
            )
        ]
    )
    petition.version += 1
    petition.save(update_fields=[*SAVED_FIELDS, *extra_fields])
    if petition.state != from_state:
        messages.status_changed(petition, now=now)


def _required_reason(text, what="reason"):
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"A {what} is required for this action.", field=what)
    return text


def _active_agency(agency_id):
    agency = (
        Agency.objects.filter(pk=agency_id, is_active=True).first()
        if str(agency_id).isdigit()
        else None
    )
    if agency is None:
        raise InvalidInput(f"Unknown agency {agency_id!r}.", field="agency")
    return agency


def _require_submitter(actor):
    if not actor.is_submitter:
        raise NotPermitted("Only the submitter may do this.")
