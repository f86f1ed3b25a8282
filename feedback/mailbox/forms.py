from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.staff.forms import StaffIntakeForm
from workflow.forms.common import PaknForm


class ConfirmDraftForm(StaffIntakeForm):
    """The petition an e-mail becomes: what the coordinator reads from it. The
    channel, the receipt moment and the attachments come from the e-mail itself."""

    def __init__(self, *args, draft, **kwargs):
        if not kwargs.get("data") and not args:
            kwargs.setdefault(
                "initial",
                {
                    "submitter_name": draft.sender_name or draft.sender_address,
                    "email": draft.sender_address,
                    "title": draft.subject,
                    "content": draft.body,
                },
            )
        super().__init__(*args, **kwargs)
        for name in ("channel", "received_on", "received_time", "attachments"):
            del self.fields[name]
        self.fields["postal_address"].widget.attrs["rows"] = 1

    def clean(self):
        # The citizen form's checks, not the receipt moment's: it is the e-mail's.
        return super(StaffIntakeForm, self).clean()

    def petition_fields(self) -> dict:
        """Arguments of feedback.mailbox.services.confirm_draft."""
        data = self.cleaned_data
        names = ("submitter_kind", "submitter_name", "tax_code", "email", "phone")
        names += ("postal_address", "title", "content", "publish_consent", "language")
        return {
            **{name: data[name] for name in names},
            "category": data["category"].code,
            "province": data["province"].code,
            "commune": data["commune"].code if data["commune"] else None,
        }


class RejectDraftForm(PaknForm):
    reason = forms.CharField(
        label=_("Lý do không tiếp nhận"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
