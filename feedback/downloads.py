"""The files submitters sent, handed out behind an access check.

Attachments are personal data under MEDIA_ROOT, which is never served directly: the
submitter downloads theirs from the tracking page (the tracking code proved in this
session), staff from the case page (workflow.access: only staff who may see the
petition). Either way a file of another petition is a plain 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache

from feedback import queries
from feedback.access import petition_for_submitter
from workflow.access import get_petition_for_staff


@never_cache
def submitter_attachment(request, code, pk):
    petition = petition_for_submitter(request, code)
    return _download(queries.petition_attachment(petition, pk))


@never_cache
@login_required
def staff_attachment(request, tracking_code, pk):
    petition = get_petition_for_staff(request, tracking_code)
    return _download(queries.petition_attachment(petition, pk))


def _download(attachment):
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
