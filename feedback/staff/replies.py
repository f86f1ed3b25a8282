"""Staff attach the agency's official reply document (feedback.replies)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from feedback.forms import clean_uploads
from feedback.replies import attach_reply_document
from workflow.access import get_petition_for_staff, staff_actor
from workflow.errors import WorkflowError
from workflow.forms.common import PaknForm, VersionField


class ReplyDocumentForm(PaknForm):
    version = VersionField()
    document = forms.FileField(
        label=gettext_lazy("Văn bản trả lời đã ký hoặc bản quét (PDF)"),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_document(self):
        # The same limits and content sniffing as every upload (feedback.forms).
        [upload] = clean_uploads([self.cleaned_data["document"]])
        return upload


@login_required
@require_POST
def attach_reply(request, tracking_code):
    petition = get_petition_for_staff(request, tracking_code)
    form = ReplyDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = attach_reply_document(
                petition_id=petition.pk,
                actor=staff_actor(request),
                upload=form.cleaned_data["document"],
                expected_version=form.cleaned_data["version"],
            )
        except WorkflowError as error:
            messages.error(request, error.display)
        else:
            messages.success(
                request,
                _("Đã đính kèm văn bản trả lời chính thức (SHA-256 %(digest)s).")
                % {"digest": document.sha256},
            )
    else:
        for texts in form.errors.values():
            for text in texts:
                messages.error(request, text)
    return redirect("workflow:case", tracking_code=petition.tracking_code)
