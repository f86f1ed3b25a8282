"""Intake: a petition from any channel is validated, routed and put on its clocks."""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.bulk import allocate_ids, ids_drawn_ahead, insert_rows, new_row
from notifications.models import Notification
from notifications.services import outbox_transaction
from workflow import intake_rules as rules
from workflow import messages, permissions, receipts, sla
from workflow.access import Actor
from workflow.areas.models import Commune, Province
from workflow.codes import parse_number
from workflow.errors import (
    ConflictingSubmission,
    DuplicateSubmission,
    InvalidInput,
    WorkflowError,
)
from workflow.history import insert_entries, next_values
from workflow.models import (
    Action,
    Category,
    Channel,
    Clock,
    Petition,
    Priority,
    SubmitterKind,
)
from workflow.models.petitions import (
    STAFF_CHANNELS,
    hash_secret,
    new_secret,
    new_tracking_code,
)
from workflow.privacy import consent
from workflow.privacy.models import Consent
from workflow.reference import held_reference
from workflow.routing import route_petition
from workflow.services.steps import Step, run_transition


@dataclass(frozen=True)
class Submission:
    petition: Petition
    # Shown once to the submitter; only its hash is stored.
    secret: str


# Where a staff entry's receipt moment comes from: stated by the clerk (within the
# admin's limit), or the moment the agency's mail server received the e-mail.
STATED_BY_STAFF = "staff"
MAIL_SERVER = "mail_server"


@dataclass(frozen=True)
class Entry:
    """A petition entered by staff: who, and the receipt moment (None: now)."""

    actor: Actor
    received_at: datetime | None = None
    source: str = STATED_BY_STAFF


def receive_petition(
    *, actor, channel, received_at=None, receipt_source=STATED_BY_STAFF, **fields
) -> Submission:
    """Staff enter a petition received at the counter, by phone, letter, fax or e-mail.

    Decision 31/2021/QĐ-TTg art. 43: petitions received outside the system are
    entered into it. The SLA counts from `received_at`, the real receipt moment
    (None: now); a moment stated by staff may lie back as far as the admin allows
    (workflow.receipts), and the entry is then back-dated, for auditors to see. A
    postal address alone is enough to be answered (by letter). Routing, clocks and
    notifications are those of every other channel.
    """
    permissions.require_intake(actor)
    if channel not in STAFF_CHANNELS:
        raise InvalidInput(
            f"Channel {channel!r} is not entered by staff.", field="channel"
        )
    if received_at is not None:
        now = timezone.now()
        if receipt_source == STATED_BY_STAFF:
            receipts.check_receipt_moment(
                received_at,
                now=now,
                days=receipts.max_backdate_working_days(),
                calendar=sla.calendar_for(None),
            )
        elif received_at > now:
            raise InvalidInput(
                "The receipt moment cannot be in the future.",
                field="received_at",
                text=_("Thời điểm tiếp nhận không thể ở tương lai."),
            )
    entry = Entry(actor=actor, received_at=received_at, source=receipt_source)
    return submit_petition(channel=channel, entry=entry, **fields)


def submit_petition(**fields) -> Submission:
    """Receive a petition from any channel and route it.

    `category` is a category code, `province` and `commune` official unit codes.
    `integration_id` names the system whose key filed it through a machine door.
    The sender's own id (`channel_ref`) makes intake idempotent: a second delivery
    by the same integration (or, without one, through the same channel) raises
    DuplicateSubmission carrying the first petition. Routing rules send it to an
    agency at once; a petition no rule matches waits in the triage queue.
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
    bounds = {model: len(drafts) * n for model, n in IDS_PER_PETITION.items()}
    for _attempt in range(5):
        try:
            with ids_drawn_ahead(bounds), outbox_transaction(), held_reference() as ref:
                return _receive_all(drafts, ref=ref, now=timezone.now())
        except IntegrityError as error:
            if not any(name in str(error) for name in INTAKE_CLASHES):
                raise
    raise RuntimeError("Could not receive the petitions")


# The rows intake writes for a petition with ids of their own, at most (more are
# drawn if an agency has many staff to notify): its clocks (triage; acceptance
# and answer once routed), its consents (processing, publication) and its
# outbox rows (the submitter's e-mail and SMS, the agency's staff). Their ids
# are drawn in one statement (config.bulk.ids_drawn_ahead).
IDS_PER_PETITION = {Petition: 1, Clock: 3, Consent: 2, Notification: 4}

# Unique indexes whose violation at intake means "draw again" or "look again".
INTAKE_CLASHES = (
    "tracking_code",
    "one_petition_per_channel_ref",
    "one_petition_per_integration_ref",
)


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
        # The clocks start at the receipt moment; routing happens now.
        times = [r.petition.received_at, *[now] * (len(actions) - 1)]
        r.ledger = sla.plan_steps(
            r.petition, actions=actions, now=now, ref=ref, times=times
        )
        r.entries = [
            next_values(
                r.petition,
                actor=(
                    r.entry.actor
                    if r.entry and step.action == Action.SUBMIT
                    else system
                ),
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
    consent.record_at_intake([(r.petition, r.consent) for r in received], now=now)
    # Their rows go in together when the transaction's block ends.
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
    entry: Entry | None = None
    consent: object = None  # privacy.consent.IntakeConsent, or the door's default
    ledger: object = None
    entries: list = ()


def _prepare_receipt(
    ref,
    now,
    *,
    channel,
    publish_consent=False,
    channel_ref=None,
    integration_id=None,
    entry=None,
    consent=None,
    **fields,
):
    """A validated, routed petition in memory, its secret, history steps, entry
    and consent.

    `consent` (privacy.consent.IntakeConsent) is what the door carries: the notice
    versions ticked on the web form, the portal's own reference; None for the
    door's default.
    """
    if (channel in STAFF_CHANNELS) != (entry is not None):
        # A machine door cannot claim a counter, nor staff enter as the portal.
        raise InvalidInput(
            f"Channel {channel!r} is not open to this door.", field="channel"
        )
    fields = _validated_intake(
        ref, channel=channel, by_staff=entry is not None, **_with_defaults(fields)
    )
    channel_ref = rules.clean_channel_ref(channel_ref)
    rules.refuse_too_long("channel_ref", channel_ref, rules.CHANNEL_REF_MAX_LENGTH)
    secret = new_secret()
    petition = new_row(
        Petition,
        secret_hash=hash_secret(secret),
        tracking_code=new_tracking_code(),
        channel=channel,
        channel_ref=channel_ref,
        integration_id=integration_id,
        publish_consent=publish_consent,
        received_at=now,
        version=2,
        **fields,
    )
    if entry is not None:
        petition.received_at = entry.received_at or now
        petition.entered_at = now
        petition.entered_by = entry.actor.user
    submit_data = receipts.receipt_facts(petition)
    if entry is not None:
        submit_data.update(_entry_data(petition, entry))
    # Receipt and routing are two steps of the history, written together.
    steps = [
        Step(Action.SUBMIT, petition.state, to_state=petition.state, data=submit_data)
    ]
    agency = route_petition(
        category=petition.category,
        province=petition.province,
        commune=petition.commune,
        ref=ref,
    )
    if agency is not None:
        from_state = run_transition(petition, petition.triage, agency=agency)
        steps.append(Step(Action.TRIAGE, from_state, data={"rule": "routing"}))
    return petition, secret, steps, entry, consent


def _entry_data(petition, entry) -> dict:
    """What the history keeps of a staff entry beside its receipt facts: whether
    the receipt moment claimed makes it back-dated (workflow.receipts), and who
    stated that moment."""
    return {
        "backdated": receipts.is_backdated(petition.received_at, petition.entered_at),
        "receipt_source": entry.source,
    }


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
        "postal_address": "",
        "place": "",
        "latitude": None,
        "longitude": None,
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
    "postal_address",
    "place",
    "latitude",
    "longitude",
    "tax_code",
    "priority",
    "language",
}


def _without_duplicates(received, results):
    """The receipts whose sender's id is new; the others get DuplicateSubmission.

    An id delivered twice (earlier, or within the batch) by the same integration
    and channel (or through the same channel without one) is a duplicate of the
    first petition with it. Another integration's id is never a duplicate: a
    client must not get, or learn of, a petition someone else filed.
    """

    def sender(petition):
        return (petition.channel, petition.integration_id, petition.channel_ref)

    refs = {sender(r.petition) for r in received if r.petition.channel_ref}
    known = {}
    if refs:
        found = {pk: tuple(key) for pk, *key in _petitions_by_sender(refs)}
        if found:
            known = {found[p.pk]: p for p in Petition.objects.filter(pk__in=found)}
    kept, seen = [], {}
    for r in received:
        key = sender(r.petition)
        first = known.get(key) or seen.get(key)
        if (
            r.petition.channel_ref
            and first is not None
            and not _same_delivery(first, r)
        ):
            results[r.index] = ConflictingSubmission(
                f"{key[0]} id {key[2]!r} was already used for {first.tracking_code}"
                " with another title, text, category or place; nothing was stored.",
                petition=first,
            )
            continue
        if r.petition.channel_ref and first is not None:
            results[r.index] = DuplicateSubmission(
                f"{key[0]} id {key[2]!r} was already received "
                f"as {first.tracking_code}.",
                petition=first,
            )
            continue
        seen[key] = r.petition
        kept.append(r)
    return kept


def _same_delivery(first, receipt) -> bool:
    """Whether a repeated id carries what it was first delivered with (a retry):
    the title and text as stored (stripped), and the category, province and
    commune, which no later step changes (workflow.receipts). Answered with the
    first petition, a retry that moved it elsewhere or about something else would
    lose that change unseen. The submitter's details are not compared: a data
    request may have corrected them since. An anonymised petition's text is gone:
    a retry of it reads as the same delivery."""
    if getattr(first, "anonymised_at", None) is not None:
        return True
    sent = receipt.petition
    if (first.category_id, first.province_id, first.commune_id) != (
        sent.category_id,
        sent.province_id,
        sent.commune_id,
    ):
        return False
    # Composed or decomposed letters are the same text: a retry from a system
    # that normalised it in between is still a retry.
    return all(
        unicodedata.normalize("NFC", stored) == unicodedata.normalize("NFC", given)
        for stored, given in (
            (first.title, sent.title),
            (first.content, sent.content),
        )
    )


# One look-up per unique index (models.petitions): each part names its index's
# condition, or PostgreSQL, unable to use a partial index, reads the whole table.
# Plain SQL: intake runs this for every batch, and nearly always finds nothing;
# the ORM's query building would cost more than the look-up.
_BY_INTEGRATION_REF = """
    SELECT id, channel, integration_id, channel_ref FROM workflow_petition
    WHERE channel_ref IS NOT NULL AND integration_id IS NOT NULL
    AND (integration_id, channel, channel_ref) IN (
        SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[]))
"""
_BY_CHANNEL_REF = """
    SELECT id, channel, integration_id, channel_ref FROM workflow_petition
    WHERE channel_ref IS NOT NULL AND integration_id IS NULL
    AND (channel, channel_ref) IN (SELECT * FROM unnest(%s::text[], %s::text[]))
"""


def _petitions_by_sender(refs) -> list[tuple]:
    """(id, channel, integration_id, channel_ref) of the stored petitions with
    these senders' keys (channel, integration_id, channel_ref)."""
    by_integration = sorted(ref for ref in refs if ref[1] is not None)
    by_channel = sorted(ref for ref in refs if ref[1] is None)
    rows = []
    with connection.cursor() as cursor:
        if by_integration:
            cursor.execute(
                _BY_INTEGRATION_REF,
                [
                    [integration for _, integration, _ in by_integration],
                    [channel for channel, _, _ in by_integration],
                    [channel_ref for _, _, channel_ref in by_integration],
                ],
            )
            rows += cursor.fetchall()
        if by_channel:
            cursor.execute(
                _BY_CHANNEL_REF,
                [
                    [channel for channel, _, _ in by_channel],
                    [channel_ref for _, _, channel_ref in by_channel],
                ],
            )
            rows += cursor.fetchall()
    return rows


# The choices' values, listed once: Django builds `Choices.values` anew each time.
CHANNELS = frozenset(Channel.values)
SUBMITTER_KINDS = frozenset(SubmitterKind.values)
PRIORITIES = frozenset(Priority.values)


def _validated_intake(
    ref,
    *,
    channel,
    by_staff,
    submitter_kind,
    submitter_name,
    title,
    content,
    category,
    province,
    commune,
    email,
    phone,
    postal_address,
    place,
    latitude,
    longitude,
    tax_code,
    priority,
    language,
) -> dict:
    if channel not in CHANNELS:
        raise InvalidInput(f"Unknown channel {channel!r}.", field="channel")
    # Composed before any check, so that a text is measured in the letters it is
    # stored in, whichever door sent it decomposed.
    submitter_name, title, content, postal_address, place = map(
        rules.composed, (submitter_name, title, content, postal_address, place)
    )
    if submitter_kind not in SUBMITTER_KINDS:
        raise InvalidInput(
            f"Unknown submitter kind {submitter_kind!r}: use citizen or business.",
            field="submitter_kind",
        )
    tax_code = rules.clean_tax_code(tax_code, submitter_kind=submitter_kind)
    email, phone = rules.clean_email(email), rules.clean_phone(phone)
    postal_address = rules.clean_postal_address(postal_address, by_staff=by_staff)
    where = rules.clean_place(place, latitude, longitude)
    rules.require_contact(
        email=email, phone=phone, postal_address=postal_address, by_staff=by_staff
    )
    for name, value in (
        ("submitter_name", submitter_name),
        ("title", title),
        ("content", content),
        ("tax_code", tax_code),
        ("postal_address", postal_address),
        ("place", where.get("place")),
    ):
        rules.refuse_forbidden_characters(name, value)
    for name, value, limit in (
        ("submitter_name", submitter_name, rules.SUBMITTER_NAME_MAX_LENGTH),
        ("title", title, rules.TITLE_MAX_LENGTH),
        ("content", content, rules.CONTENT_MAX_LENGTH),
    ):
        if not rules.has_text(value):
            raise InvalidInput(
                f"{name} is required.",
                field=name,
                code="required",
                text=_("Vui lòng nhập thông tin này."),
            )
        rules.refuse_too_long(name, value, limit)
    if priority not in PRIORITIES:
        raise InvalidInput(f"Unknown priority {priority!r}.", field="priority")
    if language not in ("vi", "en"):
        raise InvalidInput(
            f"Unknown language {language!r}: use vi or en.", field="language"
        )
    category_obj = _open_category(ref, category)
    province_obj = _current_unit(ref, Province.objects, province, "province")
    commune_obj = None
    if commune not in (None, ""):
        commune_obj = _current_unit(ref, Commune.objects, commune, "commune")
        if commune_obj.province_id != province_obj.pk:
            raise InvalidInput(
                f"Commune {commune} is not in province {province}.",
                field="commune",
                text=_("Xã, phường này không thuộc tỉnh, thành phố đã chọn."),
            )
    return {
        "submitter_kind": submitter_kind,
        "submitter_name": submitter_name.strip(),
        "tax_code": tax_code,
        "email": email,
        "phone": phone,
        "postal_address": postal_address,
        **where,
        "title": title.strip(),
        "content": content.strip(),
        "category": category_obj,
        "province": province_obj,
        "commune": commune_obj,
        "priority": priority,
        "language": language,
    }


def _open_category(ref, code):
    category = ref.get(
        ("category", code), lambda: Category.objects.filter(code=code).first()
    )
    if category is None:
        raise InvalidInput(
            f"Unknown category {code!r}.",
            field="category",
            code="unknown_category",
            text=rules.CATEGORY_UNKNOWN,
        )
    if not category.is_active:
        raise InvalidInput(
            f"Category {code!r} no longer takes petitions.",
            field="category",
            code="closed_category",
            text=rules.CATEGORY_CLOSED,
        )
    return category


UNKNOWN_UNIT_TEXTS = {
    "province": _("Vui lòng chọn tỉnh, thành phố trong danh sách."),
    "commune": _("Vui lòng chọn xã, phường trong danh sách."),
}


def _current_unit(ref, manager, code, name):
    number = parse_number(code)
    unit = (
        None
        if number is None
        else ref.get(
            (name, number), lambda: manager.current().filter(code=number).first()
        )
    )
    if unit is None:
        raise InvalidInput(
            f"Unknown {name} {code!r}.", field=name, text=UNKNOWN_UNIT_TEXTS[name]
        )
    return unit
