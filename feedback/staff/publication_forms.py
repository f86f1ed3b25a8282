"""The publication review page's two forms: publish (with phrases to hide), decline."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.errors import InvalidInput
from workflow.forms.common import PaknForm, VersionField
from workflow.services.publication import MAX_REDACTION_LENGTH, clean_redactions


class PublishForm(PaknForm):
    """What the supervisor hides beyond the automatic masking, one phrase a line.

    Previewing needs no tick; publishing does, as every hard-to-undo step: once
    public, copies of a page exist outside the system.
    """

    version = VersionField()
    redactions = forms.CharField(
        label=_("Cụm từ cần che thêm (mỗi dòng một cụm)"),
        help_text=_(
            "Ví dụ tên người khác, tên cửa hàng, số thửa đất. Cụm từ được che ở mọi "
            "chỗ xuất hiện trong nội dung phản ánh, tiêu đề và trả lời, không phân "
            "biệt chữ hoa, chữ thường."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=50 * (MAX_REDACTION_LENGTH + 1),
    )
    confirm = forms.BooleanField(
        label=_("Tôi đã đọc nội dung sẽ công khai và không còn dữ liệu cá nhân"),
        required=False,
    )

    def clean_redactions(self) -> list[str]:
        # The service's rule, checked here too so that a preview shows it.
        try:
            return clean_redactions(self.cleaned_data["redactions"].splitlines())
        except InvalidInput as error:
            raise forms.ValidationError(error.display) from None

    @property
    def phrases(self) -> list[str]:
        return self.cleaned_data.get("redactions", [])

    def require_confirmation(self) -> bool:
        if not self.cleaned_data.get("confirm"):
            self.add_error(
                "confirm",
                _("Việc này khó hoàn tác: đánh dấu ô xác nhận rồi bấm lại."),
            )
            return False
        return True


class DeclineForm(PaknForm):
    version = VersionField()
    reason = forms.CharField(
        label=_("Lý do không công khai (người gửi đọc được trên trang tra cứu)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
