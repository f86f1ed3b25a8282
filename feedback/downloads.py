"""The files submitters sent, handed out behind an access check.

Attachments are personal data under MEDIA_ROOT, which is never served directly: the
submitter downloads theirs from the tracking page (the tracking code proved in this
session), staff from the case page (workflow.access: only staff who may see the
petition). Either way a file of another petition is a plain 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from feedback import previews, queries
from feedback.access import petition_for_submitter
from feedback.files import attachment_response
from workflow.access import get_petition_for_staff


@never_cache
def submitter_attachment(request, code, pk, how):
    petition = petition_for_submitter(request, code)
    return _hand_out(queries.petition_attachment(petition, pk), how)


@never_cache
@login_required
def staff_attachment(request, tracking_code, pk, how):
    petition = get_petition_for_staff(request, tracking_code)
    return _hand_out(queries.petition_attachment(petition, pk), how)


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
