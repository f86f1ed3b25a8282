"""The files submitters sent, handed out behind an access check.

Attachments are personal data under MEDIA_ROOT, which is never served directly: the
submitter downloads theirs from the tracking page (the tracking code proved in this
session), staff from the case page (workflow.access: only staff who may see the
petition; a sensitive file only the handling agency's staff, and each download or
view is a logged read). Either way a file of another petition is a plain 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from feedback import previews, queries, services
from feedback.access import petition_for_submitter
from feedback.files import attachment_response
from workflow.access import get_petition_for_staff, staff_actor
from workflow.errors import NotPermitted
from workflow.privacy import reads


@never_cache
def submitter_attachment(request, code, pk, how):
    petition = petition_for_submitter(request, code)
    return _hand_out(queries.submitter_attachment(petition, pk), how)


@never_cache
@login_required
def staff_attachment(request, tracking_code, pk, how):
    petition = get_petition_for_staff(request, tracking_code)
    attachment = queries.staff_attachment(petition, pk, staff_actor(request))
    if attachment is not None and how in ("download", "view"):
        # A thumbnail is part of the case page, whose read is logged already.
        reads.record_read(
            user=request.user,
            petition=petition,
            what=reads.What.ATTACHMENT,
            attachment_id=attachment.pk,
        )
    return _hand_out(attachment, how)


@login_required
@require_POST
def staff_mark_sensitive(request, tracking_code, pk):
    """Staff mark a file sensitive (an ID card sent without saying so)."""
    actor = staff_actor(request)
    petition = get_petition_for_staff(request, tracking_code)
    if queries.staff_attachment(petition, pk, actor) is None:
        raise Http404
    try:
        services.mark_attachment_sensitive(
            petition_id=petition.pk, attachment_id=pk, actor=actor
        )
    except NotPermitted:
        # Auditors and data officers read files but change nothing: to them the
        # action does not exist (the service's rule, may_mark_sensitive).
        raise Http404 from None
    messages.success(request, _("Đã đánh dấu tệp là dữ liệu nhạy cảm."))
    return redirect("workflow:case", tracking_code=petition.tracking_code)


def _hand_out(attachment, how):
    """Saved (download), shown in the browser (view) or small (thumbnail)."""
    if attachment is None or how not in ("download", "view", "thumbnail"):
        raise Http404
    if how == "view":
        return previews.inline_response(attachment.file, name=attachment.original_name)
    if how == "thumbnail":
        return previews.thumbnail_response(attachment.file)
    return attachment_response(
        attachment.file.open("rb"),
        name=attachment.original_name,
        content_type=attachment.content_type,
    )
