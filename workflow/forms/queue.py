"""The handler queue page: its filters and the supervisor's bulk assignment."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow import queries, services
from workflow.access import visible_petitions
from workflow.areas.models import Province
from workflow.codes import MAX_ID, parse_number
from workflow.errors import WorkflowError
from workflow.forms.common import PaknForm
from workflow.models import Category, Channel, staff_name
from workflow.models.petitions import OPEN_STATES


class QueueFilterForm(PaknForm):
    view = forms.ChoiceField(
        label=_("Danh sách"),
        required=False,
        choices=[
            ("all", _("Tất cả")),
            ("mine", _("Của tôi")),
            ("unassigned", _("Chưa phân công")),
            ("triage", _("Chờ phân loại")),
        ],
    )
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *[(s.value, s.label) for s in OPEN_STATES]],
    )
    category = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        queryset=Category.objects.filter(is_active=True).only("pk", "name"),
        empty_label=_("Mọi lĩnh vực"),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        required=False,
        queryset=Province.objects.current().only("pk", "name"),
        empty_label=_("Mọi địa bàn"),
    )
    handler = forms.ModelChoiceField(
        label=_("Cán bộ xử lý"),
        required=False,
        queryset=None,
        empty_label=_("Mọi cán bộ"),
    )
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        required=False,
        choices=[("", _("Mọi kênh")), *Channel.choices],
    )
    overdue = forms.BooleanField(label=_("Chỉ phản ánh quá hạn"), required=False)
    q = forms.CharField(
        label=_("Tìm mã tra cứu hoặc tiêu đề"), required=False, max_length=100
    )

    def __init__(self, *args, actor, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = queries.queue_handlers(actor, roles)
        self.fields["handler"].label_from_instance = staff_name
        if not (roles.is_admin or roles.is_coordinator):
            self.fields["view"].choices = self.fields["view"].choices[:3]

    def filters(self) -> queries.QueueFilters:
        """The filters to apply; an invalid value is dropped (its error is shown)."""
        data = self.cleaned_data if self.is_valid() else {}
        return queries.QueueFilters(
            view=data.get("view") or "all",
            state=data.get("state") or "",
            category_id=data["category"].pk if data.get("category") else None,
            province_id=data["province"].pk if data.get("province") else None,
            handler_id=data["handler"].pk if data.get("handler") else None,
            is_overdue_only=bool(data.get("overdue")),
            channel=data.get("channel") or "",
            search=data.get("q") or "",
        )


@dataclass
class BulkResult:
    assigned: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


class BulkAssignForm(PaknForm):
    """A supervisor gives the ticked petitions to one handler, each on its own.

    Each petition is its own transaction: one that changed meanwhile or belongs to
    another agency fails alone, with its reason, and the others go through.
    """

    # Values are "id:version": the version the supervisor saw on the page.
    petitions = forms.Field(
        label=_("Phản ánh"),
        widget=forms.SelectMultiple,
        error_messages={"required": _("Chọn ít nhất một phản ánh.")},
    )
    handler = forms.ModelChoiceField(label=_("Giao cho cán bộ"), queryset=None)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = queries.assignable_handlers(roles)
        self.fields["handler"].label_from_instance = staff_name

    def clean_petitions(self):
        picked = []
        for value in self.cleaned_data["petitions"]:
            petition_id, _sep, version = value.partition(":")
            petition_id = parse_number(petition_id, maximum=MAX_ID)
            version = parse_number(version, maximum=MAX_ID)
            if petition_id is None or version is None:
                raise forms.ValidationError(_("Lựa chọn không hợp lệ."))
            picked.append((petition_id, version))
        return picked

    def assign_all(self, actor) -> BulkResult:
        result = BulkResult()
        picked = dict(self.cleaned_data["petitions"])
        # Only codes the supervisor may see: the others are named by the id sent.
        codes = dict(
            visible_petitions(actor)
            .filter(pk__in=picked)
            .values_list("pk", "tracking_code")
        )
        for petition_id, version in picked.items():
            code = codes.get(petition_id, f"#{petition_id}")
            try:
                services.assign_handler(
                    petition_id=petition_id,
                    actor=actor,
                    handler=self.cleaned_data["handler"],
                    expected_version=version,
                )
            except WorkflowError as error:
                result.failed.append((code, error.display))
            else:
                result.assigned.append(code)
        return result
