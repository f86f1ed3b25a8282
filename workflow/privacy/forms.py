"""Forms of the data officers' and auditors' pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow import intake_rules as rules
from workflow.forms.common import PaknForm
from workflow.privacy.models import RequestKind

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class RequestQueueForm(PaknForm):
    show = forms.ChoiceField(
        label=_("Hiển thị"),
        required=False,
        choices=[("open", _("Đang giải quyết")), ("all", _("Tất cả"))],
    )
    kind = forms.ChoiceField(
        label=_("Loại yêu cầu"),
        required=False,
        choices=[("", _("Mọi loại")), *RequestKind.choices],
    )


class RequestActionForm(PaknForm):
    """A data officer's step on a request; `kind` shapes the completion form."""

    def __init__(self, *args, kind=None, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)


class ReplyForm(RequestActionForm):
    text = forms.CharField(
        label=_(
            "Phản hồi người yêu cầu: đã tiếp nhận, cách thức và thời hạn giải quyết"
        ),
        max_length=4000,
        widget=TEXTAREA,
    )


class CompleteForm(RequestActionForm):
    outcome = forms.CharField(
        label=_("Kết quả gửi người yêu cầu"), max_length=4000, widget=TEXTAREA
    )
    # A correction: the values the officer confirms (the citizen's by default).
    submitter_name = forms.CharField(
        label=_("Họ và tên"), required=False, max_length=rules.SUBMITTER_NAME_MAX_LENGTH
    )
    email = forms.CharField(
        label=_("Thư điện tử"), required=False, max_length=rules.EMAIL_MAX_LENGTH
    )
    phone = forms.CharField(
        label=_("Số điện thoại"), required=False, max_length=rules.PHONE_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.kind != RequestKind.CORRECT:
            for name in ("submitter_name", "email", "phone"):
                del self.fields[name]

    def corrections(self) -> dict | None:
        if "email" not in self.fields:
            return None
        return {
            name: self.cleaned_data[name]
            for name in ("submitter_name", "email", "phone")
            if self.cleaned_data[name]
        }


class RefuseForm(RequestActionForm):
    reason = forms.CharField(
        label=_("Lý do từ chối (gửi người yêu cầu)"), max_length=4000, widget=TEXTAREA
    )


class ReadsFilterForm(PaknForm):
    petition = forms.CharField(label=_("Mã tra cứu"), required=False, max_length=20)
    user = forms.CharField(
        label=_("Tên đăng nhập cán bộ"), required=False, max_length=150
    )
