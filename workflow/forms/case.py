"""The case page: one form per lifecycle action.

An action form parses what the page sent and calls its one service with the version
the page showed; a workflow error lands on the field it names, so nothing typed is
lost and nothing changes.
"""

import inspect

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow import queries, services
from workflow.errors import WorkflowError
from workflow.forms.common import DayField, PaknForm, VersionField
from workflow.models import Action, Agency, staff_name

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class ActionForm(PaknForm):
    """Base: carries the version the page showed; `perform` calls one service."""

    action: Action
    service_name = ""
    submit_label = _("Thực hiện")
    # A step that is hard to undo (the case leaves the agency, closes or merges)
    # looks different and asks for a tick first: a confirmation that needs no
    # JavaScript and that the server checks.
    confirm_label = None
    version = VersionField()

    def __init__(self, *args, petition, actor, **kwargs):
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {"version": petition.version})
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.actor = actor
        if self.confirm_label is not None:
            self.fields["confirm"] = forms.BooleanField(
                label=self.confirm_label,
                error_messages={
                    "required": _(
                        "Việc này khó hoàn tác: đánh dấu ô xác nhận rồi bấm lại."
                    )
                },
            )

    @property
    def is_hard_to_undo(self) -> bool:
        return self.confirm_label is not None

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
        self.add_error(name, error.display)


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
        self.fields["handler"].label_from_instance = staff_name

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
        widget=forms.Textarea(attrs={"rows": 16, "class": "answer-box"}),
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
    confirm_label = _(
        "Tôi xác nhận chuyển phản ánh sang đơn vị khác; đơn vị này sẽ không còn xử lý."
    )
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
    confirm_label = _("Tôi xác nhận trả phản ánh về bộ phận điều phối.")
    reason = _reason_field()

    def service_arguments(self):
        return {"reason": self.cleaned_data["reason"]}


class MergeForm(ActionForm):
    action, service_name = Action.MERGE, "merge_petition"
    submit_label = _("Gộp")
    confirm_label = _(
        "Tôi xác nhận gộp: phản ánh này đóng lại và theo phản ánh được gộp vào."
    )
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
    confirm_label = _("Tôi xác nhận không tiếp nhận; người gửi sẽ được báo lý do.")
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
    confirm_label = _(
        "Tôi xác nhận đóng phản ánh vì người gửi không bổ sung thông tin."
    )


class RequestExtensionForm(ActionForm):
    action, service_name = Action.REQUEST_EXTENSION, "request_extension"
    submit_label = _("Gửi đề nghị gia hạn")
    days = forms.IntegerField(
        label=_("Số ngày gia hạn"),
        min_value=1,
        max_value=services.MAX_EXTENSION_DAYS,
    )
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
    posted_on = DayField(label=_("Ngày gửi bưu chính"))
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
