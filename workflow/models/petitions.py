"""The petition (phản ánh, kiến nghị) and its lifecycle.

Transition methods only move the state and set the petition's own fields. Saving,
history, clocks and notifications belong to the services in `workflow.services`,
which are the only callers.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from workflow.areas.models import Commune, Province
from workflow.models.agencies import Agency, Category
from workflow.models.integrations import Integration

# Letters and digits a person can read back over the phone: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_CODE_LENGTH = 10
SECRET_LENGTH = 8


class State(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đã chuyển đơn vị xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    AWAITING_INFO = "awaiting_info", _("Chờ bổ sung thông tin")
    ANSWER_REVIEW = "answer_review", _("Chờ duyệt trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")
    REJECTED = "rejected", _("Không tiếp nhận")
    WITHDRAWN = "withdrawn", _("Đã rút")
    MERGED = "merged", _("Đã gộp")


# States in which the agency still owes the submitter something.
OPEN_STATES = (
    State.RECEIVED,
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.AWAITING_INFO,
    State.ANSWER_REVIEW,
)
# States an agency works in (the petition has an agency).
AGENCY_STATES = (
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.AWAITING_INFO,
    State.ANSWER_REVIEW,
)


class Action(models.TextChoices):
    """The steps of a petition's life: what services take, permissions allow, clocks
    follow and the history records (HistoryEntry.action). The labels are how each
    reads in the staff history table."""

    SUBMIT = "submit", _("Tiếp nhận phản ánh")
    TRIAGE = "triage", _("Chuyển đơn vị xử lý")
    REJECT = "reject", _("Không tiếp nhận")
    CLAIM = "claim", _("Cán bộ nhận xử lý")
    ASSIGN = "assign", _("Phân công cán bộ")
    ACCEPT = "accept", _("Đơn vị tiếp nhận xử lý")
    TRANSFER = "transfer", _("Chuyển đơn vị khác")
    RETURN_TO_TRIAGE = "return_to_triage", _("Trả về bộ phận điều phối")
    REQUEST_INFO = "request_info", _("Yêu cầu bổ sung thông tin")
    PROVIDE_INFO = "provide_info", _("Người gửi bổ sung thông tin")
    EXPIRE = "expire", _("Đóng do không bổ sung thông tin")
    ANSWER = "answer", _("Trả lời")
    APPROVE_ANSWER = "approve_answer", _("Duyệt trả lời")
    RETURN_ANSWER = "return_answer", _("Trả lại dự thảo trả lời")
    REOPEN = "reopen", _("Người gửi không đồng ý, mở lại")
    CLOSE = "close", _("Đóng")
    WITHDRAW = "withdraw", _("Người gửi rút phản ánh")
    MERGE = "merge", _("Gộp vào phản ánh khác")
    RATE = "rate", _("Người gửi đánh giá")
    REQUEST_EXTENSION = "request_extension", _("Đề nghị gia hạn")
    # A staff action; the history records its outcome, one of the next two.
    DECIDE_EXTENSION = "decide_extension", _("Quyết định gia hạn")
    APPROVE_EXTENSION = "approve_extension", _("Duyệt gia hạn")
    REFUSE_EXTENSION = "refuse_extension", _("Không duyệt gia hạn")
    # Recorded by the sweep when a clock passes its due moment.
    BREACH = "breach", _("Quá hạn")
    # A calendar or target edit moved the case deadline (workflow.recompute).
    RECOMPUTE_DEADLINE = "recompute_deadline", _("Hạn giải quyết tính lại theo lịch")
    # Answers on paper (workflow.services.letters): a staff action, and its record.
    RECORD_POSTING = "record_posting", _("Ghi nhận đã gửi thư trả lời")
    POST_ANSWER = "post_answer", _("Đã gửi thư trả lời qua bưu chính")
    # The answer issued as a PDF signed with the agency's certificate.
    SIGN_ANSWER = "sign_answer", _("Ký số văn bản trả lời")
    # The receipt of a petition entered by staff, told again (services.receipts).
    SEND_RECEIPT = "send_receipt", _("Gửi mã tra cứu cho người gửi")
    REISSUE_SECRET = "reissue_secret", _("Cấp lại mã bí mật")
    # Records the erasure of earlier entries' texts (workflow.history.erase_texts).
    ANONYMISE = "anonymise", _("Xoá nội dung cá nhân trong lịch sử")
    # Personal data (workflow.privacy): the submitter withdraws consent to
    # publication, a data officer corrects contact details on request, staff mark
    # an attachment sensitive.
    WITHDRAW_PUBLICATION = (
        "withdraw_publication",
        _("Người gửi rút lại đồng ý công khai"),
    )
    CORRECT_CONTACT = (
        "correct_contact",
        _("Chỉnh sửa thông tin liên hệ (yêu cầu của chủ thể dữ liệu)"),
    )
    MARK_SENSITIVE = "mark_sensitive", _("Đánh dấu tệp đính kèm là dữ liệu nhạy cảm")
    # Moderation before publication (workflow.services.publication): a supervisor
    # publishes an answer whose submitter consented, or declines with a reason.
    PUBLISH_ANSWER = "publish_answer", _("Công khai trả lời")
    # The agency's official reply document attached (feedback.replies).
    ATTACH_REPLY = "attach_reply", _("Đính kèm văn bản trả lời chính thức")
    DECLINE_PUBLICATION = "decline_publication", _("Không công khai trả lời")


class Publication(models.TextChoices):
    """A supervisor's decision on publishing the answer now out ("": none yet)."""

    PUBLISHED = "published", _("Đã công khai")
    DECLINED = "declined", _("Không công khai")


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin (biểu mẫu)")
    PORTAL = "portal", _("Cổng Dịch vụ công quốc gia")
    OPEN311 = "open311", _("Open311")
    # Entered by staff (Decision 31/2021/QĐ-TTg art. 43: petitions received in
    # writing, by phone, fax or e-mail are entered into the system).
    COUNTER = "counter", _("Trực tiếp tại bộ phận tiếp nhận")
    PHONE = "phone", _("Điện thoại, đường dây nóng")
    POST = "post", _("Thư, đường bưu chính")
    EMAIL = "email", _("Thư điện tử")
    FAX = "fax", _("Fax")
    OTHER = "other", pgettext_lazy("channel", "Khác")


# Channels through which staff enter a petition on the submitter's behalf: only
# these may carry a receipt moment in the past and a postal address alone.
STAFF_CHANNELS = (
    Channel.COUNTER,
    Channel.PHONE,
    Channel.POST,
    Channel.EMAIL,
    Channel.FAX,
    Channel.OTHER,
)


class SubmitterKind(models.TextChoices):
    CITIZEN = "citizen", _("Cá nhân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")


def new_tracking_code() -> str:
    return _random_code(TRACKING_CODE_LENGTH)


def new_secret() -> str:
    return _random_code(SECRET_LENGTH)


def _random_code(length: int) -> str:
    """`length` characters of CODE_ALPHABET, each equally likely and independent.

    One draw of a number below 31**length, written in base 31: as uniform as a
    draw per character, at one call of the system's generator instead of one per
    character (intake makes two codes per petition).
    """
    base = len(CODE_ALPHABET)
    number = secrets.randbelow(base**length)
    characters = []
    for _position in range(length):
        number, digit = divmod(number, base)
        characters.append(CODE_ALPHABET[digit])
    return "".join(characters)


def hash_secret(secret: str) -> str:
    # The secret is random and single-purpose, so a fast hash is enough and keeps
    # intake cheap; a slow password hash would cap intake at a few dozen per second.
    return hashlib.sha256(secret.strip().upper().encode()).hexdigest()


class Petition(FSMModelMixin, models.Model):
    tracking_code = models.CharField(max_length=TRACKING_CODE_LENGTH, unique=True)
    secret_hash = models.CharField(max_length=64)

    submitter_kind = models.CharField(max_length=10, choices=SubmitterKind.choices)
    submitter_name = models.CharField(max_length=200)
    tax_code = models.CharField(max_length=14, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    # As the submitter wrote it; with neither e-mail nor phone the answer goes out
    # as a letter (workflow.letters).
    postal_address = models.CharField(max_length=500, blank=True)
    # Where the petition is about (not the submitter's address): as typed, and a
    # point when the door gave one (workflow.intake_rules.clean_place).
    place = models.CharField(max_length=300, blank=True)
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    language = models.CharField(max_length=5, default="vi")
    publish_consent = models.BooleanField(default=False)
    # Consent alone publishes nothing: a supervisor reviews the masked answer first
    # (workflow.services.publication). "" while undecided; a reopened petition's
    # next answer is reviewed again.
    publication = models.CharField(
        max_length=10, choices=Publication.choices, blank=True, default=""
    )
    # Words and phrases the supervisor hid beyond the automatic masking
    # (feedback.queries.mask_for_public applies them); personal data, erased with
    # the rest by the retention rules.
    # A JSON list of strings (intake writes rows by COPY, which takes JSON).
    public_redactions = models.JSONField(default=list, blank=True)

    title = models.CharField(max_length=300)
    content = models.TextField()
    category = models.ForeignKey(Category, on_delete=models.PROTECT)
    province = models.ForeignKey(Province, on_delete=models.PROTECT)
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT
    )
    priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )

    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The system whose API key filed it (the intake API, Open311); None for the web
    # form and staff intake. Its keys read it; no other key does.
    integration = models.ForeignKey(
        Integration,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    # The sending system's own id (the portal's id, an Open311 client's id), for
    # idempotent intake: unique per integration, or per channel without one.
    channel_ref = models.CharField(  # noqa: DJ001 (NULL: no id, exempt from uniqueness)
        max_length=100, null=True, blank=True
    )

    state = FSMField(choices=State.choices, default=State.RECEIVED, protected=True)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions_handled",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # Moves between agencies; ping-pong is reportable.
    transfer_count = models.PositiveSmallIntegerField(default=0)
    # Bumped by every service call; a form carries it so that an action based on a
    # stale page is refused ("changed meanwhile") instead of silently applied.
    version = models.PositiveIntegerField(default=1)
    # Hash of the newest history entry: lets verify_audit notice a removed last entry.
    history_head = models.CharField(max_length=64, blank=True)
    # Number of history entries: the next entry's seq, without a query.
    history_length = models.PositiveIntegerField(default=0)

    # The real receipt moment, from which the SLA counts; for staff intake the one
    # the clerk states, which may be earlier than the entry (workflow.receipts).
    received_at = models.DateTimeField()
    # Staff intake only: when and by whom the petition was entered. An entry whose
    # receipt moment is earlier is back-dated, and auditors see it as such.
    entered_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions_entered",
    )
    # Copied from the clocks by workflow.sla so that lists sort and badge cheaply:
    # the case (answer) deadline, the earliest running deadline and its warning time,
    # and the first breach ever recorded (never cleared).
    due_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    next_warn_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    # While awaiting the submitter's information: when the petition expires unanswered.
    info_due_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    # Where a submitter should turn instead (complaints and denunciations have their
    # own procedure under the Law on Complaints and the Law on Denunciations).
    redirect_hint = models.TextField(blank=True)
    # When the retention rules erased the submitter's personal data
    # (workflow.privacy.retention); the structured record stays for the figures.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # workflow.queries.handler_queue: open petitions by time to breach.
            models.Index(
                fields=["agency", "next_due_at"],
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
                name="petition_queue_idx",
            ),
            # workflow.queries.handler_queue for coordinators and auditors, who see
            # every agency: open petitions by time to breach, without a sort.
            models.Index(
                fields=["next_due_at", "received_at", "id"],
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
                name="petition_open_due_idx",
            ),
            # workflow.queries.overdue_trend: breaches per week (index-only scan).
            models.Index(
                fields=["breached_at"],
                condition=Q(breached_at__isnull=False),
                name="petition_breached_idx",
            ),
            # Open311 reads (feedback.integrations.open311): the newest requests a
            # client may see, in a date range: published ones, and to a key those
            # its integration filed. Partial: only those are ever listed.
            models.Index(
                fields=["-received_at"],
                condition=Q(publish_consent=True) | Q(integration__isnull=False),
                name="petition_open311_list_idx",
            ),
            # workflow.queries.answers_to_publish: consented answers no supervisor
            # has decided on yet, per agency, oldest answer first.
            models.Index(
                fields=["agency", "answered_at"],
                condition=Q(
                    publish_consent=True,
                    publication="",
                    state__in=["answered", "closed"],
                ),
                name="petition_to_publish_idx",
            ),
            # workflow.receipts.backdated_entries: staff entries by entry moment
            # (a small share of all petitions; the lag is compared on these rows).
            models.Index(
                fields=["entered_at"],
                condition=Q(entered_at__isnull=False),
                name="petition_entered_idx",
            ),
            # workflow.monitoring.petitions_received: the last minutes' intake. BRIN:
            # rows arrive in receipt order, so a few block ranges hold them.
            BrinIndex(fields=["received_at"], name="petition_received_brin"),
            # workflow.sweeps.expire_unanswered: petitions waiting for a reply too long.
            models.Index(
                fields=["info_due_at"],
                condition=Q(state="awaiting_info"),
                name="petition_info_due_idx",
            ),
        ]
        constraints = [
            # A point has both coordinates or none (intake_rules.clean_place); the
            # map and Open311 read them as a pair.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    # NULL passes a CHECK: say "not null" outright.
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="petition_point_is_a_pair_on_the_globe",
            ),
            # Idempotent intake: a sending system's own id maps to one petition,
            # among those of its integration (workflow.services.intake); the
            # channel's own ids (the web form's) where there is none.
            models.UniqueConstraint(
                fields=["integration", "channel", "channel_ref"],
                condition=Q(channel_ref__isnull=False, integration__isnull=False),
                name="one_petition_per_integration_ref",
            ),
            models.UniqueConstraint(
                fields=["channel", "channel_ref"],
                condition=Q(channel_ref__isnull=False, integration__isnull=True),
                name="one_petition_per_channel_ref",
            ),
            # Until anonymised: then the contact and tax code are gone on purpose.
            models.CheckConstraint(
                condition=~Q(submitter_kind="business")
                | ~Q(tax_code="")
                | Q(anonymised_at__isnull=False),
                name="business_has_tax_code",
            ),
            # Someone must be able to answer the submitter: by e-mail or phone, or,
            # for a petition entered by staff, by post.
            models.CheckConstraint(
                condition=~Q(email="")
                | ~Q(phone="")
                | (~Q(postal_address="") & Q(channel__in=STAFF_CHANNELS))
                | Q(anonymised_at__isnull=False),
                name="submitter_can_be_reached",
            ),
            models.CheckConstraint(
                condition=Q(entered_at__isnull=True) | Q(channel__in=STAFF_CHANNELS),
                name="only_staff_channels_are_entered",
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code}: {self.title}"

    def has_secret(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, hash_secret(secret or ""))

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def answer_is_public(self) -> bool:
        """Whether the public may read the answer: its submitter agreed and a
        supervisor published it (workflow.services.publication). Open311 lists
        consented petitions before that; followers are told where it will be."""
        return self.publish_consent and self.publication == Publication.PUBLISHED

    @property
    def is_answered_by_post(self) -> bool:
        """The answer goes out as a letter: a postal address and no e-mail."""
        return bool(self.postal_address) and not self.email

    # --- transitions: state and own fields only -------------------------------

    @transition(field=state, source=State.RECEIVED, target=State.ASSIGNED)
    def triage(self, *, agency):
        self.agency = agency
        self.handler = None

    @transition(
        field=state, source=[State.RECEIVED, State.ASSIGNED], target=State.REJECTED
    )
    def reject(self, *, reason, redirect_hint, now):
        self.rejection_reason = reason
        self.redirect_hint = redirect_hint
        self.closed_at = now

    @transition(field=state, source=State.ASSIGNED, target=State.IN_PROGRESS)
    def accept(self, *, handler):
        if self.handler_id is None:
            self.handler = handler

    @transition(
        field=state, source=[State.ASSIGNED, State.IN_PROGRESS], target=State.ASSIGNED
    )
    def transfer(self, *, agency):
        self.agency = agency
        self.handler = None
        self.transfer_count += 1

    @transition(field=state, source=State.ASSIGNED, target=State.RECEIVED)
    def return_to_triage(self):
        self.agency = None
        self.handler = None

    @transition(field=state, source=State.IN_PROGRESS, target=State.AWAITING_INFO)
    def request_info(self, *, reply_due_at):
        self.info_due_at = reply_due_at

    @transition(field=state, source=State.AWAITING_INFO, target=State.IN_PROGRESS)
    def provide_info(self):
        self.info_due_at = None

    @transition(field=state, source=State.AWAITING_INFO, target=State.CLOSED)
    def expire(self, *, now):
        self.closed_at = now
        self.info_due_at = None

    @transition(
        field=state,
        source=State.IN_PROGRESS,
        target=RETURN_VALUE(State.ANSWER_REVIEW, State.ANSWERED),
    )
    def answer_petition(self, *, text, now, needs_review):
        self.answer = text
        if needs_review:
            return State.ANSWER_REVIEW
        self.answered_at = now
        return State.ANSWERED

    @transition(field=state, source=State.ANSWER_REVIEW, target=State.ANSWERED)
    def approve_answer(self, *, now):
        self.answered_at = now

    @transition(field=state, source=State.ANSWER_REVIEW, target=State.IN_PROGRESS)
    def return_answer(self):
        pass

    @transition(
        field=state, source=[State.ANSWERED, State.CLOSED], target=State.IN_PROGRESS
    )
    def reopen(self):
        self.closed_at = None
        # The next answer is another text: it is reviewed before it is public.
        self.publication = ""

    @transition(field=state, source=State.ANSWERED, target=State.CLOSED)
    def close(self, *, now):
        self.closed_at = now

    @transition(field=state, source=list(OPEN_STATES), target=State.WITHDRAWN)
    def withdraw(self, *, now):
        self.closed_at = now
        self.info_due_at = None

    @transition(field=state, source=list(OPEN_STATES), target=State.MERGED)
    def merge(self, *, into, now):
        self.merged_into = into
        self.closed_at = now
        self.info_due_at = None
