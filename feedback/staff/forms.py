"""The staff intake form: the citizen form plus channel, receipt moment, postal
address and language, with the rules of workflow.intake_rules for staff."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.forms import PetitionForm
from workflow import intake_rules as rules
from workflow.deadlines import VIETNAM
from workflow.forms.common import DayField
from workflow.models import Channel
from workflow.models.petitions import STAFF_CHANNELS
from workflow.privacy.consent import IntakeConsent
from workflow.privacy.models import Consent

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class StaffIntakeForm(PetitionForm):
    """What a clerk types from a letter, a visit or a call (feedback.services
    .enter_petition); the submitter's data as they gave it."""

    channel = forms.ChoiceField(
        label=_("Hình thức tiếp nhận"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        initial=Channel.COUNTER,
        widget=forms.RadioSelect,
    )
    received_on = DayField(label=_("Ngày tiếp nhận"), required=False)
    received_time = forms.TimeField(
        label=_("Giờ tiếp nhận"),
        required=False,
        widget=TIME_INPUT,
        input_formats=["%H:%M", "%H:%M:%S"],
    )
    postal_address = forms.CharField(
        label=_("Địa chỉ bưu chính"),
        required=False,
        max_length=rules.POSTAL_ADDRESS_MAX_LENGTH,
        help_text=_(
            "Nếu người gửi không có thư điện tử, câu trả lời được in thành văn bản "
            "và gửi qua bưu chính đến địa chỉ này."
        ),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của người gửi"),
        choices=[("vi", "Tiếng Việt"), ("en", "English")],
        initial="vi",
    )

    workflow_fields = {"received_on": "received_at"}

    field_order = [
        "channel",
        "received_on",
        "received_time",
        "submitter_kind",
        "submitter_name",
        "tax_code",
        "email",
        "phone",
        "postal_address",
        "language",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff type what the submitter gave; no robot fills this form.
        del self.fields["website"]
        # Entering a petition received by letter, phone or at the desk is the
        # agency's duty (Decision 31/2021/QĐ-TTg art. 43), not a consent the clerk
        # could tick for the person: the consent is recorded as staff intake.
        del self.fields["processing_consent"]
        self.fields["received_on"].help_text = _(
            "Để trống cả ngày và giờ nếu tiếp nhận ngay lúc này. Thư gửi đến: ngày, "
            "giờ ghi trên dấu «Đến»; phản ánh nhập sau thời điểm tiếp nhận được ghi "
            "nhận là nhập lùi thời gian và hiển thị cho thanh tra."
        )
        self.fields["email"].help_text = _(
            "Người gửi nhận mã bí mật qua thư điện tử nếu có."
        )
        self.fields["attachments"].label = _("Bản quét, ảnh chụp đơn thư")
        self.fields["publish_consent"].label = _(
            "Người gửi đồng ý công khai nội dung phản ánh và câu trả lời (không kèm "
            "họ tên và thông tin liên hệ)."
        )

    def add_workflow_error(self, error) -> None:
        """A refusal that carries its own text (the intake rules') shows it."""
        if type(error).text is error.text:
            return super().add_workflow_error(error)
        names = {v: k for k, v in self.workflow_fields.items()}
        name = names.get(error.field, error.field)
        self.add_error(name if name in self.fields else None, error.display)

    def clean_website(self):
        return ""

    def clean(self):
        data = super().clean()
        day, moment = data.get("received_on"), data.get("received_time")
        if day is None and moment is None:
            data["received_at"] = None
        elif day is None or moment is None:
            self.add_error(
                "received_time" if moment is None else "received_on",
                _("Nhập cả ngày và giờ tiếp nhận, hoặc để trống cả hai."),
            )
        else:
            data["received_at"] = datetime.combine(day, moment, tzinfo=VIETNAM)
            if data["received_at"] > timezone.now():
                self.add_error(
                    "received_on", _("Thời điểm tiếp nhận không thể ở tương lai.")
                )
        return data

    def _check_notices(self, data):
        """No notice is shown to staff; the person is told at the desk."""

    def consent(self) -> IntakeConsent:
        return IntakeConsent(basis=Consent.Basis.STAFF)

    def check_contact(self, data):
        rules.require_contact(
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            postal_address=" ".join(data.get("postal_address", "").split()),
            by_staff=True,
        )

    def petition_fields(self) -> dict:
        """Arguments of feedback.services.enter_petition."""
        data = self.cleaned_data
        return {
            **super().petition_fields(),
            "channel": data["channel"],
            "received_at": data["received_at"],
            "postal_address": data["postal_address"],
            "language": data["language"],
        }
