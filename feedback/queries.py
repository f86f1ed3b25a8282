"""Read side of the citizen pages: a case as its submitter sees it; published answers.

Queries return rows or small frozen dataclasses; nothing here writes.
"""

import dataclasses
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import F, Func, Prefetch, Q, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback import replies
from feedback.masking import mask_personal_data
from feedback.models import Attachment, Rating
from workflow import glossary, permissions
from workflow.areas.models import Commune
from workflow.models import (
    Action,
    Agency,
    AnswerLetter,
    HistoryEntry,
    Petition,
    Publication,
    State,
)
from workflow.models.petitions import OPEN_STATES
from workflow.privacy.sensitive import visible_attachments
from workflow.redaction import folded_for_search
from workflow.reference import reference
from workflow.sla import sla_status

# --- the case page ------------------------------------------------------------------

# History actions the submitter sees, and how they read. Staff-internal steps (claim,
# assign, an answer sent back for rework, a draft waiting for review) are not listed,
# and neither is any step added later until it is given a label here.
TIMELINE_LABELS = {
    Action.SUBMIT: _("Đã tiếp nhận phản ánh"),
    Action.TRIAGE: _("Đã chuyển đến cơ quan xử lý: %(agency)s"),
    Action.ACCEPT: _("Cơ quan xử lý đã nhận giải quyết"),
    Action.TRANSFER: _("Đã chuyển sang cơ quan có thẩm quyền: %(agency)s"),
    Action.RETURN_TO_TRIAGE: _("Đã chuyển lại để xác định cơ quan xử lý"),
    Action.REQUEST_INFO: _("Cơ quan xử lý đề nghị bổ sung thông tin"),
    Action.PROVIDE_INFO: _("Đã bổ sung thông tin"),
    Action.EXPIRE: _("Đã đóng vì không nhận được thông tin bổ sung"),
    Action.ANSWER: _("Đã có trả lời"),
    Action.APPROVE_ANSWER: _("Đã có trả lời"),
    Action.REOPEN: _("Đề nghị xem xét lại câu trả lời"),
    Action.CLOSE: _("Đã đóng"),
    Action.REJECT: _("Không tiếp nhận"),
    Action.WITHDRAW: _("Đã rút phản ánh"),
    Action.MERGE: _("Đã gộp vào phản ánh %(into)s"),
    Action.APPROVE_EXTENSION: _("Thời hạn giải quyết được gia hạn thêm %(days)s ngày"),
    Action.RATE: _("Đánh giá mức độ hài lòng: %(score)s/5"),
    Action.SIGN_ANSWER: _("Đã ban hành văn bản trả lời số %(letter)s có chữ ký số"),
    Action.WITHDRAW_PUBLICATION: _("Đã rút lại sự đồng ý công khai"),
    Action.CORRECT_CONTACT: _("Thông tin liên hệ đã được chỉnh sửa theo yêu cầu"),
    Action.ANONYMISE: _("Dữ liệu cá nhân đã được ẩn danh hóa"),
    Action.PUBLISH_ANSWER: _("Trả lời đã được công khai trên trang Trả lời công khai"),
    Action.DECLINE_PUBLICATION: _("Cơ quan quyết định không công khai trả lời"),
}
# Steps whose reason is the submitter's own words or addressed to the submitter.
TIMELINE_SHOWS_REASON = {
    Action.REQUEST_INFO,
    Action.PROVIDE_INFO,
    Action.REOPEN,
    Action.REJECT,
    Action.WITHDRAW,
    Action.RATE,
    Action.DECLINE_PUBLICATION,
}


# The citizen reads the same word as staff for each status.
SLA_LABELS = glossary.SLA_STATUS


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    label: str
    state: str
    text: str = ""


@dataclass(frozen=True)
class CaseView:
    """Everything the submitter's case page shows and offers."""

    petition: Petition
    timeline: list[TimelineItem]
    sla_status: str
    attachments: list[Attachment]
    rating: Rating | None
    question: str = ""
    dispute_until: datetime | None = None
    can_provide_info: bool = False
    can_rate: bool = False
    can_dispute: bool = False
    can_close: bool = False
    can_withdraw: bool = False
    shows_answer: bool = False
    has_signed_answer: bool = False
    # The agency's official reply documents the submitter may download.
    reply_documents: list[Attachment] = dataclasses.field(default_factory=list)

    @property
    def sla_label(self) -> str:
        return SLA_LABELS.get(self.sla_status, self.sla_status)

    @property
    def shows_deadline(self) -> bool:
        # A petition turned away or withdrawn was never owed an answer.
        return self.petition.state not in (
            State.REJECTED,
            State.WITHDRAWN,
            State.MERGED,
        )


# Steps whose data the timeline reads (TimelineItem's label values and text). A
# signed answer's data (its letter number and the PDF's SHA-256) lets the proof
# file tie the PDF the submitter holds to the sealed history.
TIMELINE_SHOWS_DATA = {
    Action.REJECT,
    Action.MERGE,
    Action.APPROVE_EXTENSION,
    Action.RATE,
    Action.SIGN_ANSWER,
}


def shown_to_submitter(entry) -> bool:
    """Whether the submitter sees this history entry (the timeline, the proof file)."""
    if entry.action not in TIMELINE_LABELS:
        return False
    # A draft waiting for a supervisor's review is not an answer yet.
    return not (entry.action == Action.ANSWER and entry.to_state == State.ANSWER_REVIEW)


def parts_shown_to_submitter(entry) -> set[str]:
    """The parts of an entry (workflow.models.history.PARTS) the submitter may read:
    the step of each entry the timeline lists, and its reason and data where the
    timeline shows them. The actor (a staff member's name) never."""
    if not shown_to_submitter(entry):
        return set()
    parts = {"step"}
    if entry.action in TIMELINE_SHOWS_REASON:
        parts.add("reason")
    if entry.action in TIMELINE_SHOWS_DATA:
        parts.add("data")
    return parts


def citizen_timeline(petition) -> list[TimelineItem]:
    entries = (
        HistoryEntry.objects.filter(petition=petition, action__in=list(TIMELINE_LABELS))
        .select_related("agency")
        .order_by("seq")
    )
    items = []
    for entry in filter(shown_to_submitter, entries):
        values = {
            "agency": entry.agency.name if entry.agency else "",
            "into": entry.data.get("into", ""),
            "score": entry.data.get("score", ""),
            "days": entry.data.get("days", ""),
            "letter": entry.data.get("letter", ""),
        }
        text = entry.reason if entry.action in TIMELINE_SHOWS_REASON else ""
        if entry.action == Action.REJECT and entry.data.get("redirect_hint"):
            text = f"{text}\n{entry.data['redirect_hint']}".strip()
        items.append(
            TimelineItem(
                at=entry.at,
                label=TIMELINE_LABELS[entry.action] % values,
                state=entry.to_state,
                text=text,
            )
        )
    return items


def open_question(petition) -> str:
    """The handler's latest question while the petition awaits the submitter."""
    if petition.state != State.AWAITING_INFO:
        return ""
    entry = (
        HistoryEntry.objects.filter(petition=petition, action=Action.REQUEST_INFO)
        .order_by("-seq")
        .only("reason")
        .first()
    )
    return entry.reason if entry else ""


def dispute_until(petition) -> datetime | None:
    """Until when the answer may be disputed, for the tracking page: the rule of
    workflow.permissions.dispute_until, while the petition is answered or closed."""
    if petition.state not in (State.ANSWERED, State.CLOSED):
        return None
    return permissions.dispute_until(petition)


def petition_attachments(petition) -> list[Attachment]:
    """The files of the petition, oldest first: the submitter's and the agency's
    reply documents (staff see both)."""
    return list(Attachment.objects.filter(petition=petition))


def petition_attachment(petition, pk) -> Attachment | None:
    """One file of this petition; None for another petition's (or no) file."""
    return Attachment.objects.filter(petition=petition, pk=pk).first()


def submitter_files(petition) -> list[Attachment]:
    """The files the submitter sent, oldest first (the tracking page's list)."""
    return list(
        Attachment.objects.filter(petition=petition).exclude(
            stage=Attachment.Stage.REPLY
        )
    )


def submitter_attachment(petition, pk) -> Attachment | None:
    """A file the submitter may download: one they sent, or a reply document of
    an answer already out (feedback.replies); None otherwise."""
    found = petition_attachment(petition, pk)
    if found is not None and found.stage == Attachment.Stage.REPLY:
        return found if replies.shown_to_submitter(petition, found) else None
    return found


def staff_attachments(petition, actor) -> tuple[list[Attachment], int]:
    """The files `actor` may open on the staff case page, and how many are withheld
    (sensitive ones are the handling agency's alone: workflow.privacy.sensitive)."""
    every = petition_attachments(petition)
    visible = visible_attachments(every, actor=actor, petition=petition)
    return visible, len(every) - len(visible)


def staff_attachment(petition, pk, actor) -> Attachment | None:
    """One file for a staff member; None where the sensitive rule withholds it."""
    found = [a for a in [petition_attachment(petition, pk)] if a is not None]
    return next(iter(visible_attachments(found, actor=actor, petition=petition)), None)


def case_for_submitter(petition, *, now) -> CaseView:
    is_answered = petition.state in (State.ANSWERED, State.CLOSED) and bool(
        petition.answer and petition.answered_at
    )
    rating = Rating.objects.filter(petition=petition).first()
    until = dispute_until(petition)
    return CaseView(
        petition=petition,
        timeline=citizen_timeline(petition),
        sla_status=sla_status(petition, now),
        attachments=submitter_files(petition),
        reply_documents=replies.submitter_reply_documents(petition),
        rating=rating,
        question=open_question(petition),
        dispute_until=until,
        can_provide_info=petition.state == State.AWAITING_INFO,
        can_rate=is_answered and rating is None,
        can_dispute=until is not None and now < until,
        can_close=petition.state == State.ANSWERED,
        can_withdraw=petition.state in OPEN_STATES,
        shows_answer=is_answered,
        has_signed_answer=is_answered and petition.signed_answers.exists(),
    )


def communes_of(province_code) -> list[dict]:
    """Today's communes and wards of a province, for the dependent choice."""
    return list(
        Commune.objects.current()
        .filter(province__code=province_code, province__valid_to__isnull=True)
        .order_by("name")
        .values("code", "name")
    )


# --- published answers ----------------------------------------------------------------

# The order and the literal values must stay as in migration
# feedback/0003_published_answer_search, whose partial indexes this filter must imply.
PUBLISHED_STATES = [State.ANSWERED.value, State.CLOSED.value]
MAX_SEARCH_TERMS = 8


class Fold(Func):
    """feedback_fold(): lower case, diacritics removed ("Hà Giang" → "ha giang")."""

    function = "feedback_fold"
    output_field = TextField()


class SearchText(Func):
    """The folded text a published answer is searched in.

    Written exactly as the expression of the trigram index
    feedback_published_search_idx, so that PostgreSQL can use it.
    """

    template = "feedback_fold(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self):
        super().__init__(F("title"), F("content"), F("answer"))


def published_answers(
    search: str = "",
    *,
    agency=None,
    category=None,
    province=None,
    answered_from=None,
    answered_until=None,
):
    """Answered petitions whose submitter agreed to publication and a supervisor
    published (workflow.services.publication), newest answer first.

    Every word of `search` must occur in the title, content or answer, ignoring case
    and Vietnamese diacritics; the matching is done by PostgreSQL (unaccent, pg_trgm).
    The filters narrow by agency, category and province (objects) and by the local
    dates of the answer (inclusive). Each carries its newest answer letter, for its
    reference number and signer (workflow.letters).
    """
    petitions = (
        Petition.objects.filter(public_q())
        .exclude(answered_at=None)
        .exclude(answer="")
        .select_related("category", "province", "agency")
        .only(
            "tracking_code",
            "submitter_name",
            "public_redactions",
            "title",
            "content",
            "answer",
            "received_at",
            "answered_at",
            "category__name",
            "category__name_en",
            "province__name",
            "agency__name",
        )
        .prefetch_related(
            Prefetch(
                "letters",
                queryset=AnswerLetter.objects.select_related("signed")
                .defer("signed__pdf", "answer")
                .order_by("-issued_at"),
            )
        )
        .order_by("-answered_at", "-id")
    )
    for field, value in (
        ("agency", agency),
        ("category", category),
        ("province", province),
    ):
        if value is not None:
            petitions = petitions.filter(**{field: value})
    if answered_from is not None:
        petitions = petitions.filter(answered_at__gte=_local_midnight(answered_from))
    if answered_until is not None:
        petitions = petitions.filter(
            answered_at__lt=_local_midnight(answered_until + timedelta(days=1))
        )
    terms = search.split()[:MAX_SEARCH_TERMS]
    if terms:
        petitions = _found_in_what_the_public_reads(
            database_matches(petitions, terms), terms
        )
    return petitions


def database_matches(petitions, terms):
    """The petitions whose stored title, content or answer hold every term, as
    the trigram index feedback_published_search_idx finds them."""
    petitions = petitions.alias(haystack=SearchText())
    for term in terms:
        petitions = petitions.filter(haystack__contains=Fold(Value(term)))
    return petitions


# The newest answers a search reads beyond the database's match (below).
MAX_SEARCHED_ANSWERS = 2000


def _found_in_what_the_public_reads(petitions, terms):
    """Of the petitions the database found (it searches the stored texts), those
    whose texts as the public reads them (masked) hold every term: a term found
    only in what masking hides (a name, a phone number, an address) must find
    nothing, or a search would tell whether someone is in a published petition.
    The newest MAX_SEARCHED_ANSWERS matches are read; a search that common is
    narrowed by a filter (agency, category, dates)."""
    contacts = published_contacts()
    wanted = [folded_for_search(term) for term in terms]
    kept = []
    for petition in petitions.prefetch_related(None)[:MAX_SEARCHED_ANSWERS]:
        texts = (petition.title, petition.content, petition.answer)
        shown = " ".join(
            mask_for_public(petition, text, contacts=contacts) for text in texts
        )
        haystack = folded_for_search(shown)
        if all(term in haystack for term in wanted):
            kept.append(petition.pk)
    return petitions.filter(pk__in=kept)


def public_q() -> Q:
    """The one rule of what the public reads (/answers/, Open311's public lists):
    consent standing, and published by a supervisor of the agency. Withdrawing
    consent unpublishes at once."""
    return Q(
        publish_consent=True,
        publication=Publication.PUBLISHED,
        state__in=PUBLISHED_STATES,
    )


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def published_answer(tracking_code: str):
    """One published answer by its tracking code, or None (not published, unknown)."""
    return published_answers().filter(tracking_code=tracking_code.upper()).first()


@dataclass(frozen=True)
class PublishedAnswer:
    title: str
    content: str
    answer: str
    category: str
    category_en: str
    province: str
    agency: str
    received_at: datetime
    answered_at: datetime
    tracking_code: str = ""
    reference: str = ""  # the answer letter's number, e.g. "15/UBND-TD"
    signer: str = ""  # "Nguyễn Văn B, Chánh Thanh tra"
    is_signed: bool = False  # issued as a digitally signed PDF


def published_contacts() -> list[str]:
    """Every active agency's published hotline and e-mail: they stay unmasked.

    Read once per version of the reference data (an admin's edit is seen at once).
    """

    def load():
        rows = Agency.objects.filter(is_active=True).values_list("phone", "email")
        return [value for row in rows for value in row if value]

    return reference().get("published_contacts", load)


def mask_for_public(petition, text: str, *, contacts=None, redactions=None) -> str:
    """A text of a published petition as the public may read it: its submitter's
    name and every kind of personal data hidden (feedback.masking), and the
    phrases its supervisor hid at publication (`redactions`, the petition's own
    when not given: the review page previews others); the agencies' published
    contacts kept (`contacts`, read when not given).

    The one rule for every public view: /answers/ and Open311's lists.
    """
    keep = published_contacts() if contacts is None else contacts
    if redactions is None:
        redactions = petition.public_redactions
    return mask_personal_data(
        text, names=[petition.submitter_name, *redactions], keep=keep
    )


def masked(petition, *, contacts=None, redactions=None) -> PublishedAnswer:
    """What may be shown of a published petition: no contact data, masked text.

    `contacts`: the published contacts to keep (a list page reads them once for
    all its rows); `redactions`: as mask_for_public.
    """
    keep = published_contacts() if contacts is None else contacts

    def mask(text):
        return mask_for_public(petition, text, contacts=keep, redactions=redactions)

    letters = list(petition.letters.all())
    letter = letters[0] if letters else None
    signer = ""
    if letter is not None:
        signer = ", ".join(n for n in (letter.signer_name, letter.signer_title) if n)
    return PublishedAnswer(
        tracking_code=petition.tracking_code,
        reference=letter.reference if letter else "",
        signer=signer,
        is_signed=letter is not None and hasattr(letter, "signed"),
        title=mask(petition.title),
        content=mask(petition.content),
        answer=mask(petition.answer),
        category=petition.category.name,
        category_en=petition.category.name_en,
        province=petition.province.name,
        agency=petition.agency.name if petition.agency else "",
        received_at=petition.received_at,
        answered_at=petition.answered_at,
    )
