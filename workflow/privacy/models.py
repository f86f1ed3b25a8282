"""Personal data under Law 91/2025/QH15 and Decree 356/2025/NĐ-CP.

Who a logged-in citizen is (a pseudonym), which petitions are theirs, what they
consented to under which notice, their requests to see, correct or erase their
data, who on the staff read it, how long it is kept, and the breach register.
docs/privacy.md maps each legal requirement to these.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.deadlines import DAYS, WORKING_DAYS
from workflow.models import Category, Petition

# --- identity ---------------------------------------------------------------------


class CitizenIdentity(models.Model):
    """A citizen who logged in with the national identity (OpenID Connect).

    Only a pseudonym of the identity provider's subject is kept: the same person
    gets the same pseudonym at every login, and this table alone does not tell who
    it is (feedback.identity.subject_pseudonym). Names, ID numbers and the provider's
    tokens are never stored.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_identity",
    )
    subject = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_login_at = models.DateTimeField()

    class Meta:
        verbose_name = _("định danh công dân")
        verbose_name_plural = _("định danh công dân")

    def __str__(self):
        return f"{self.subject[:12]}…"


class PetitionOwner(models.Model):
    """A petition filed under a citizen's identity, or attached to it later."""

    class How(models.TextChoices):
        FILED = "filed", _("Gửi khi đã đăng nhập")
        ATTACHED = "attached", _("Gắn bằng mã tra cứu và mã bí mật")

    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, related_name="owner"
    )
    identity = models.ForeignKey(
        CitizenIdentity, on_delete=models.PROTECT, related_name="petitions"
    )
    how = models.CharField(max_length=10, choices=How.choices)
    linked_at = models.DateTimeField()

    def __str__(self):
        return f"{self.petition_id} → {self.identity_id}"


# --- consent ------------------------------------------------------------------------


class Purpose(models.TextChoices):
    PROCESSING = "processing", _("Xử lý dữ liệu để giải quyết phản ánh")
    PUBLICATION = "publication", _("Công khai phản ánh và câu trả lời")


class ConsentNotice(models.Model):
    """The text a citizen agrees to, one version per change (Decree 356/2025 art. 6).

    A version is never edited once published: a new text is a new version, and each
    consent names the version that was shown.
    """

    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    version = models.PositiveSmallIntegerField()
    text_vi = models.TextField()
    text_en = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("thông báo xử lý dữ liệu")
        verbose_name_plural = _("thông báo xử lý dữ liệu")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="one_notice_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} v{self.version}"

    def text(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text_vi


class Consent(models.Model):
    """What a petition's submitter agreed to, how and when; withdrawn, when.

    Every door records one for processing: the web form a ticked box under a
    notice version, the portal its own consent flow, an Open311 client its own,
    staff intake what the person said at the counter, on the phone or in writing.
    """

    class Basis(models.TextChoices):
        FORM = "form", _("Đánh dấu đồng ý trên biểu mẫu")
        PORTAL = "portal", _("Đồng ý trên Cổng Dịch vụ công quốc gia")
        OPEN311 = "open311", _("Đồng ý với ứng dụng Open311 gửi phản ánh")
        STAFF = "staff", _("Cán bộ ghi nhận khi tiếp nhận trực tiếp")

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    basis = models.CharField(max_length=10, choices=Basis.choices)
    notice = models.ForeignKey(
        ConsentNotice, null=True, blank=True, on_delete=models.PROTECT
    )
    # The portal's or client's own reference to the notice it showed, if it sent one.
    reference = models.CharField(max_length=200, blank=True)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "purpose"], name="one_consent_per_purpose"
            ),
        ]

    def __str__(self):
        return f"{self.petition_id} {self.purpose} ({self.basis})"


# --- data-subject requests ----------------------------------------------------------


class RequestKind(models.TextChoices):
    SEE = "see", _("Xem, nhận bản sao dữ liệu")
    CORRECT = "correct", _("Chỉnh sửa dữ liệu")
    ERASE = "erase", _("Xóa dữ liệu")


class RequestDeadline(models.Model):
    """How long a data-subject request may take, per kind: data, not code.

    Decree 356/2025/NĐ-CP: a first reply within 2 working days of receipt, and the
    request carried out within the period the decree sets for its kind (docs/
    privacy.md gives the figures found and their sources).
    """

    kind = models.CharField(max_length=10, choices=RequestKind.choices, unique=True)
    first_reply_amount = models.PositiveSmallIntegerField(default=2)
    first_reply_unit = models.CharField(
        max_length=12,
        choices=[(WORKING_DAYS, _("ngày làm việc")), (DAYS, _("ngày"))],
        default=WORKING_DAYS,
    )
    completion_amount = models.PositiveSmallIntegerField()
    completion_unit = models.CharField(
        max_length=12,
        choices=[(WORKING_DAYS, _("ngày làm việc")), (DAYS, _("ngày"))],
        default=DAYS,
    )
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("thời hạn giải quyết yêu cầu")
        verbose_name_plural = _("thời hạn giải quyết yêu cầu")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_reply_amount__gt=0, completion_amount__gt=0),
                name="request_deadline_is_positive",
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.completion_amount} {self.completion_unit}"


def new_request_code() -> str:
    from workflow.models.petitions import CODE_ALPHABET

    return "DL" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class DataRequest(models.Model):
    """A data subject's request to see, correct or erase their data.

    It runs on two clocks laid out by workflow.deadlines like a petition's: the
    first reply and the completion (targets in RequestDeadline). The privacy sweep
    warns the data-protection officers and records a breach once, never cleared.
    """

    class State(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        ACKNOWLEDGED = "acknowledged", _("Đã phản hồi, đang giải quyết")
        DONE = "done", _("Đã giải quyết")
        REFUSED = "refused", pgettext_lazy("request", "Từ chối")

    code = models.CharField(max_length=10, unique=True, default=new_request_code)
    kind = models.CharField(max_length=10, choices=RequestKind.choices)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.RECEIVED
    )
    # Who asked: a logged-in identity (all its petitions), or whoever proved one
    # petition's code and secret.
    identity = models.ForeignKey(
        CitizenIdentity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    petitions = models.ManyToManyField(Petition, related_name="data_requests")
    details = models.TextField(blank=True)
    # For a correction: the values the citizen asks for, by field.
    corrections = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=5, default="vi")

    received_at = models.DateTimeField()
    first_reply_due_at = models.DateTimeField()
    first_reply_warn_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField(null=True, blank=True)
    first_replied_at = models.DateTimeField(null=True, blank=True)
    first_reply = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    # The first deadline missed, at the moment it was missed; never cleared.
    breached_at = models.DateTimeField(null=True, blank=True)
    # When the privacy sweep looks at this request next (a warning or a deadline),
    # and the alerts it already sent (each once): first_reply_warning,
    # first_reply_breach, warning, breach.
    next_check_at = models.DateTimeField(null=True, blank=True)
    alerted = models.JSONField(default=list, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("yêu cầu của chủ thể dữ liệu")
        verbose_name_plural = _("yêu cầu của chủ thể dữ liệu")
        indexes = [
            # workflow.privacy.sweeps.check_requests: open requests whose time came.
            models.Index(
                fields=["next_check_at"],
                condition=Q(state__in=["received", "acknowledged"]),
                name="data_request_check_idx",
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REQUEST_STATES


OPEN_REQUEST_STATES = (DataRequest.State.RECEIVED, DataRequest.State.ACKNOWLEDGED)


class PendingErasure(models.Model):
    """An erasure granted while the petition is still handled: its data is needed
    to answer it, so it is erased as soon as the petition ends (retention run)."""

    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, related_name="pending_erasure"
    )
    request = models.ForeignKey(DataRequest, on_delete=models.PROTECT)
    since = models.DateTimeField()

    def __str__(self):
        return f"{self.petition_id} (request {self.request_id})"


class DataRequestEvent(models.Model):
    """What happened to a data request, in order (who, when, what, the note)."""

    request = models.ForeignKey(
        DataRequest, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField()
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request_id} {self.action} at {self.at}"


# --- who looked ---------------------------------------------------------------------


class PersonalDataRead(models.Model):
    """A staff member saw a petition's personal data: one row per read, no more."""

    class What(models.TextChoices):
        CASE = "case", _("Trang hồ sơ (thông tin liên hệ)")
        ATTACHMENT = "attachment", _("Tải tệp đính kèm")
        EXPORT = "export", _("Xem dữ liệu để trả lời yêu cầu")
        ADMIN = "admin", _("Trang quản trị")

    at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="personal_data_reads"
    )
    what = models.CharField(max_length=10, choices=What.choices)
    # The attachment downloaded (a plain id: the file may be purged later).
    attachment_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt xem dữ liệu cá nhân")
        verbose_name_plural = _("lượt xem dữ liệu cá nhân")
        indexes = [
            # The auditors' page and a citizen's export: reads of one petition.
            models.Index(fields=["petition", "at"], name="read_petition_idx"),
            # The auditors' page, newest first, and reads by one staff member.
            models.Index(fields=["at"], name="read_at_idx"),
            models.Index(fields=["user", "at"], name="read_user_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} read {self.petition_id} ({self.what}) at {self.at}"


# --- retention ----------------------------------------------------------------------


class RetentionPolicy(models.Model):
    """How long a closed petition's personal data is kept, per category.

    The row without a category applies to every category without its own. Past
    the period the petition is anonymised (workflow.privacy.retention).
    """

    category = models.OneToOneField(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="retention",
    )
    keep_days = models.PositiveIntegerField(
        help_text=_("Số ngày giữ dữ liệu cá nhân sau khi phản ánh kết thúc.")
    )

    class Meta:
        verbose_name = _("thời hạn lưu trữ dữ liệu cá nhân")
        verbose_name_plural = _("thời hạn lưu trữ dữ liệu cá nhân")
        constraints = [
            # One default (no category) at most.
            models.UniqueConstraint(
                fields=["category"],
                nulls_distinct=False,
                name="one_retention_per_category",
            ),
            models.CheckConstraint(
                condition=Q(keep_days__gt=0), name="retention_is_positive"
            ),
        ]

    def __str__(self):
        return f"{self.category or '*'}: {self.keep_days} days"


# --- breaches -----------------------------------------------------------------------


class Breach(models.Model):
    """A personal data breach: what happened, to whom it was reported, and when.

    Law 91/2025/QH15 keeps the controller's duty to notify the authority (the
    Ministry of Public Security's A05) and, where needed, the data subjects.
    """

    detected_at = models.DateTimeField(_("phát hiện lúc"))
    occurred_at = models.DateTimeField(_("xảy ra lúc"), null=True, blank=True)
    description = models.TextField(_("mô tả sự việc"))
    scope = models.TextField(
        _("phạm vi"), help_text=_("Loại dữ liệu, số người và số phản ánh bị ảnh hưởng.")
    )
    subjects_affected = models.PositiveIntegerField(
        _("số chủ thể bị ảnh hưởng"), null=True, blank=True
    )
    measures = models.TextField(_("biện pháp đã thực hiện"), blank=True)
    reported_to = models.CharField(_("đã báo cáo cho"), max_length=300, blank=True)
    reported_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)
    subjects_notified_at = models.DateTimeField(
        _("thông báo chủ thể lúc"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("vi phạm dữ liệu cá nhân")
        verbose_name_plural = _("sổ vi phạm dữ liệu cá nhân")
        ordering = ["-detected_at"]

    def __str__(self):
        return f"{self.detected_at:%Y-%m-%d}: {self.description[:60]}"
