"""Staff forms: queue filters, one form per lifecycle action, report periods.

An action form parses what the page sent and calls its one service with the version
the page showed; a workflow error lands on the field it names, so nothing typed is
lost and nothing changes.
"""

import inspect
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow import queries, services
from workflow.areas.models import Province
from workflow.codes import MAX_ID, parse_number
from workflow.errors import WorkflowError
from workflow.models import Action, Agency, Category, Channel, Petition
from workflow.models.petitions import OPEN_STATES, STAFF_CHANNELS

TEXTAREA = forms.Textarea(attrs={"rows": 4})

# --- the queue --------------------------------------------------------------------


class QueueFilterForm(forms.Form):
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
        self.fields["handler"].label_from_instance = _person
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


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


@dataclass
class BulkResult:
    assigned: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


class BulkAssignForm(forms.Form):
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
        self.fields["handler"].label_from_instance = _person

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
        codes = dict(
            Petition.objects.filter(pk__in=picked).values_list("pk", "tracking_code")
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
                result.failed.append((code, error.message))
            else:
                result.assigned.append(code)
        return result


# --- one form per action on the case page ------------------------------------------


class ActionForm(forms.Form):
    """Base: carries the version the page showed; `perform` calls one service."""

    action: Action
    service_name = ""
    submit_label = _("Thực hiện")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, petition, actor, **kwargs):
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {"version": petition.version})
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.actor = actor

    @classmethod
    def is_available(cls) -> bool:
        # Extension services arrive later than the page; until then no form posts.
        return hasattr(services, cls.service_name)

    def service_arguments(self) -> dict:
        return {}

    def perform(self):
        service = getattr(services, self.service_name)
        arguments = {
            "petition_id": self.petition.pk,
            "actor": self.actor,
            **self.service_arguments(),
        }
        if "expected_version" in inspect.signature(service).parameters:
            arguments["expected_version"] = self.cleaned_data["version"]
        return service(**arguments)

    def add_workflow_error(self, error: WorkflowError) -> None:
        """Show a service's refusal on the field it names, or above the form."""
        name = error.field if error.field in self.fields else None
        if name == "version":
            name = None
        self.add_error(name, error.message)


def _reason_field(label=None):
    label = label or _("Lý do")
    return forms.CharField(label=label, widget=TEXTAREA, max_length=5000)


class TriageForm(ActionForm):
    action, service_name = Action.TRIAGE, "triage_petition"
    submit_label = _("Chuyển đơn vị")
    agency = forms.ModelChoiceField(label=_("Đơn vị xử lý"), queryset=None)
    reason = forms.CharField(
        label=_("Ghi chú"), widget=TEXTAREA, required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).only(
            "pk", "name"
        )

    def service_arguments(self):
        return {
            "agency_id": self.cleaned_data["agency"].pk,
            "reason": self.cleaned_data["reason"],
        }


class ClaimForm(ActionForm):
    action, service_name = Action.CLAIM, "claim_petition"
    submit_label = _("Nhận xử lý")


class AssignForm(ActionForm):
    action, service_name = Action.ASSIGN, "assign_handler"
    submit_label = _("Phân công")
    handler = forms.ModelChoiceField(label=_("Cán bộ xử lý"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = queries.agency_handlers(self.petition)
        self.fields["handler"].label_from_instance = _person

    def service_arguments(self):
        return {"handler": self.cleaned_data["handler"]}


class AcceptForm(ActionForm):
    action, service_name = Action.ACCEPT, "accept_petition"
    submit_label = _("Tiếp nhận xử lý")


class RequestInfoForm(ActionForm):
    action, service_name = Action.REQUEST_INFO, "request_information"
    submit_label = _("Gửi câu hỏi")
    question = forms.CharField(
        label=_("Câu hỏi cho người gửi"), widget=TEXTAREA, max_length=5000
    )

    def service_arguments(self):
        return {"question": self.cleaned_data["question"]}


class AnswerForm(ActionForm):
    action, service_name = Action.ANSWER, "answer_petition"
    submit_label = _("Gửi trả lời")
    template = forms.ChoiceField(label=_("Mẫu trả lời"), required=False, choices=())
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = queries.answer_templates(self.petition)
        self.fields["template"].choices = [
            ("", _("— chọn mẫu để chèn —")),
            *[(str(t.pk), t.title) for t in self.templates],
        ]
        if not self.templates:
            del self.fields["template"]

    @property
    def template_bodies(self) -> dict[str, str]:
        return {str(t.pk): t.body for t in self.templates}

    def service_arguments(self):
        return {"text": self.cleaned_data["answer"]}


class TransferForm(ActionForm):
    action, service_name = Action.TRANSFER, "transfer_petition"
    submit_label = _("Chuyển đơn vị")
    agency = forms.ModelChoiceField(label=_("Chuyển đến đơn vị"), queryset=None)
    reason = _reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = queries.transfer_targets(self.petition)

    def service_arguments(self):
        return {
            "agency_id": self.cleaned_data["agency"].pk,
            "reason": self.cleaned_data["reason"],
        }


class ReturnToTriageForm(ActionForm):
    action, service_name = Action.RETURN_TO_TRIAGE, "return_to_triage"
    submit_label = _("Trả về điều phối")
    reason = _reason_field()

    def service_arguments(self):
        return {"reason": self.cleaned_data["reason"]}


class MergeForm(ActionForm):
    action, service_name = Action.MERGE, "merge_petition"
    submit_label = _("Gộp")
    into = forms.CharField(label=_("Gộp vào phản ánh có mã"), max_length=20)
    reason = _reason_field()

    def service_arguments(self):
        return {
            "into_tracking_code": self.cleaned_data["into"].strip().upper(),
            "reason": self.cleaned_data["reason"],
        }


class RejectForm(ActionForm):
    action, service_name = Action.REJECT, "reject_petition"
    submit_label = _("Không tiếp nhận")
    reason = _reason_field(_("Lý do không tiếp nhận"))
    redirect_hint = forms.CharField(
        label=_("Hướng dẫn người gửi nơi cần gửi"),
        widget=TEXTAREA,
        required=False,
        max_length=5000,
    )

    def service_arguments(self):
        return {
            "reason": self.cleaned_data["reason"],
            "redirect_hint": self.cleaned_data["redirect_hint"],
        }


class ApproveAnswerForm(ActionForm):
    action, service_name = Action.APPROVE_ANSWER, "approve_answer"
    submit_label = _("Duyệt và gửi trả lời")


class ReturnAnswerForm(ActionForm):
    action, service_name = Action.RETURN_ANSWER, "return_answer"
    submit_label = _("Trả lại để sửa")
    reason = _reason_field(_("Cần sửa gì"))

    def service_arguments(self):
        return {"reason": self.cleaned_data["reason"]}


class ExpireForm(ActionForm):
    action, service_name = Action.EXPIRE, "expire_petition"
    submit_label = _("Đóng phản ánh")


class RequestExtensionForm(ActionForm):
    action, service_name = Action.REQUEST_EXTENSION, "request_extension"
    submit_label = _("Gửi đề nghị gia hạn")
    days = forms.IntegerField(label=_("Số ngày gia hạn"), min_value=1, max_value=60)
    reason = _reason_field()

    def service_arguments(self):
        return {
            "days": self.cleaned_data["days"],
            "reason": self.cleaned_data["reason"],
        }


class DecideExtensionForm(ActionForm):
    action, service_name = Action.DECIDE_EXTENSION, "decide_extension"
    submit_label = _("Quyết định")
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Duyệt gia hạn")), ("refuse", _("Không duyệt"))],
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=TEXTAREA, required=False, max_length=5000
    )

    def service_arguments(self):
        return {
            "approve": self.cleaned_data["decision"] == "approve",
            "note": self.cleaned_data["note"],
        }


class SignAnswerForm(ActionForm):
    action, service_name = Action.SIGN_ANSWER, "sign_answer"
    submit_label = _("Ký số và ban hành văn bản trả lời")


class RecordPostingForm(ActionForm):
    action, service_name = Action.RECORD_POSTING, "record_posting"
    submit_label = _("Ghi nhận đã gửi")
    posted_on = forms.DateField(
        label=_("Ngày gửi bưu chính"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    postal_tracking_number = forms.CharField(label=_("Số hiệu bưu gửi"), max_length=40)

    def service_arguments(self):
        return {
            "posted_on": self.cleaned_data["posted_on"],
            "postal_tracking_number": self.cleaned_data["postal_tracking_number"],
        }


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        TriageForm,
        ClaimForm,
        AssignForm,
        AcceptForm,
        RequestInfoForm,
        AnswerForm,
        TransferForm,
        ReturnToTriageForm,
        MergeForm,
        RejectForm,
        ApproveAnswerForm,
        ReturnAnswerForm,
        ExpireForm,
        RequestExtensionForm,
        DecideExtensionForm,
        SignAnswerForm,
        RecordPostingForm,
    )
}


# --- auditor reports --------------------------------------------------------------

REPORT_DEFAULT_DAYS = 90
REPORT_MAX_DAYS = 3 * 366
# The browser's date picker speaks ISO dates whatever the page's language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class PeriodForm(forms.Form):
    start_on = forms.DateField(
        label=_("Từ ngày"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    end_on = forms.DateField(
        label=_("Đến ngày"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )

    def __init__(self, data=None, **kwargs):
        # An empty query string means the default period, not a form full of errors.
        if data is not None and not (data.get("start_on") or data.get("end_on")):
            data = None
        if data is None:
            default = self.default_period()
            kwargs.setdefault(
                "initial", {"start_on": default.start_on, "end_on": default.end_on}
            )
        super().__init__(data, **kwargs)

    @staticmethod
    def default_period() -> queries.Period:
        return queries.Period.last_days(REPORT_DEFAULT_DAYS, now=timezone.now())

    def clean(self):
        cleaned = super().clean()
        start_on, end_on = cleaned.get("start_on"), cleaned.get("end_on")
        if start_on and end_on:
            if start_on > end_on:
                raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
            if (end_on - start_on).days > REPORT_MAX_DAYS:
                raise forms.ValidationError(_("Kỳ báo cáo tối đa là ba năm."))
        return cleaned

    def period(self) -> queries.Period:
        """The chosen period; the last 90 days when none or an invalid one is given."""
        if self.is_bound and self.is_valid():
            return queries.Period(
                self.cleaned_data["start_on"], self.cleaned_data["end_on"]
            )
        return self.default_period()


class BackdatedForm(PeriodForm):
    """The auditors' list of back-dated entries: entered in a period, by channel."""

    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        required=False,
        choices=[
            ("", _("Mọi kênh")),
            *[(c.value, c.label) for c in STAFF_CHANNELS],
        ],
    )

    def channel_filter(self) -> str:
        return self.cleaned_data.get("channel", "") if self.is_valid() else ""


class DrillDownForm(PeriodForm):
    measure = forms.ChoiceField(choices=[(m, m) for m in queries.MEASURES])
    agency = forms.CharField(required=False, max_length=10)
    province = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data=None, **kwargs):
        forms.Form.__init__(self, data, **kwargs)

    def clean_agency(self):
        agency = self.cleaned_data["agency"]
        if agency and agency != "none" and parse_number(agency, maximum=MAX_ID) is None:
            raise forms.ValidationError(_("Đơn vị không hợp lệ."))
        return agency

    def period(self) -> queries.Period:
        return queries.Period(
            self.cleaned_data["start_on"], self.cleaned_data["end_on"]
        )
