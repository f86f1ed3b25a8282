"""Who handles petitions (agencies, a tree; their staff) and what they are about."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from workflow.areas.models import Commune, Province


class Agency(models.Model):
    class Level(models.TextChoices):
        CENTRAL = "central", _("Trung ương")
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT
    )
    # Some agencies have a supervisor check every answer before it goes out.
    requires_answer_review = models.BooleanField(default=False)
    # Published contacts, the agency's own hotline and e-mail: public, so published
    # answers show them unmasked (feedback.masking).
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, help_text="Đường dây nóng")
    # The agency's symbol in the numbers of its letters ("15/SNNMT-VP"); letters
    # of an agency without one are numbered "15/PAKN".
    document_symbol = models.CharField(max_length=30, blank=True)
    postal_address = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    # None: the national calendar.
    calendar = models.ForeignKey(
        "workflow.Calendar", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


def _subtree_ids(root_id: int) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE tree(id) AS (
                SELECT id FROM workflow_agency WHERE id = %s
                UNION ALL
                SELECT a.id FROM workflow_agency a JOIN tree t ON a.parent_id = t.id
            )
            SELECT id FROM tree
            """,
            [root_id],
        )
        return [row[0] for row in cursor.fetchall()]


class Category(models.Model):
    """What a petition is about; carries the SLA targets (see SlaTarget)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (Vietnamese where no English is set)."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class SlaTarget(models.Model):
    """How long one clock may run for a category and priority, in its own unit.

    Decree 20/2008 as amended by Decree 92/2017 sets the defaults (forward within 5
    working days, answer within 20 days); ministries set shorter ones, hence data.
    """

    class Clock(models.TextChoices):
        TRIAGE = "triage", _("Phân loại, chuyển xử lý")
        ACCEPT = "accept", pgettext_lazy("clock", "Tiếp nhận xử lý")
        ANSWER = "answer", _("Trả lời")

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("ngày làm việc")
        DAYS = "days", _("ngày")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="targets"
    )
    priority = models.CharField(max_length=10, default="normal")
    clock = models.CharField(max_length=10, choices=Clock.choices)
    amount = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=12, choices=Unit.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "priority", "clock"], name="one_target_per_clock"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="target_is_positive",
                violation_error_message=_(
                    "Thời hạn phải từ 1 trở lên (0 ngày là không có thời hạn)."
                ),
            ),
        ]

    def __str__(self):
        where = f"{self.category} / {self.priority} / {self.clock}"
        return f"{where}: {self.amount} {self.unit}"


class AnswerTemplate(models.Model):
    """A reusable answer text for a category (handlers adapt it before sending)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="answer_templates"
    )
    title = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Role(models.TextChoices):
    HANDLER = "handler", _("Cán bộ xử lý")
    SUPERVISOR = "supervisor", _("Lãnh đạo đơn vị")
    COORDINATOR = "coordinator", _("Cán bộ điều phối")
    AUDITOR = "auditor", _("Thanh tra, kiểm soát")
    # Counter, hotline and mail-room staff: enter petitions for every agency and
    # print their receipts, but see no agency's cases.
    RECEPTION = "reception", pgettext_lazy("role", "Cán bộ tiếp nhận")
    # Answers data subjects' requests (Law 91/2025/QH15); sees no petition queue.
    DPO = "dpo", _("Cán bộ bảo vệ dữ liệu cá nhân")


# Roles that work for one agency; the others are not bound to one.
AGENCY_ROLES = (Role.HANDLER, Role.SUPERVISOR)
# Global roles that see every agency's petitions.
SEE_ALL_ROLES = (Role.COORDINATOR, Role.AUDITOR)


def staff_name(user) -> str:
    """How a staff member is named to people: the full name, else the login.

    Every page, message, document and export names staff this way; a login name
    ("h-so-xd-lang-son") tells a reader nothing.
    """
    return user.get_full_name() or user.get_username()


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    # The position printed under a signature ("Phó Giám đốc"); the role's name
    # when empty.
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                nulls_distinct=False,
                name="one_membership_per_role_and_agency",
            ),
            # Handlers and supervisors are bound to an agency; coordinators and
            # auditors work across all of them.
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in AGENCY_ROLES], agency__isnull=False)
                    | (
                        ~Q(role__in=[r.value for r in AGENCY_ROLES])
                        & Q(agency__isnull=True)
                    )
                ),
                name="agency_roles_have_an_agency",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.agency or '*'}"
