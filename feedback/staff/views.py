"""The staff intake page (/work/petitions/new/): a clerk enters what arrived."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from feedback import duplicates, services
from feedback.staff.forms import StaffIntakeForm
from workflow.access import staff_actor
from workflow.documents.views import render_receipt_created
from workflow.errors import AlreadyDelivered, ConflictingSubmission, InvalidInput
from workflow.permissions import StaffRoles
from workflow.queries import recent_entries


@login_required
@never_cache
def new_petition(request):
    actor = staff_actor(request)
    roles = StaffRoles.of(actor)
    if not roles.enters_petitions:
        raise Http404
    if request.method != "POST" or "refresh_communes" in request.POST:
        initial = request.POST.dict() if request.method == "POST" else None
        return _page(request, StaffIntakeForm(initial=initial), roles)
    form = StaffIntakeForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, roles, status=400)
    if not request.POST.get("file_anyway"):
        # The desk may not see other agencies' cases: it is shown what the
        # public would be, enough to tell the caller the matter is in hand.
        similar = duplicates.similar_for_citizen(**form.likeness_fields())
        if similar:
            return _page(request, form, roles, similar=similar)
    try:
        submission = services.enter_petition(actor=actor, **form.petition_fields())
    except AlreadyDelivered as delivered:
        if isinstance(delivered, ConflictingSubmission):
            messages.warning(
                request,
                _(
                    "Phản ánh này đã được nhập trước đó; nội dung sửa sau đó không "
                    "được lưu."
                ),
            )
        else:
            messages.info(
                request, _("Phản ánh này đã được nhập (gửi lại cùng biểu mẫu).")
            )
        return redirect("workflow:receipt", delivered.petition.tracking_code)
    except InvalidInput as error:
        form.add_workflow_error(error)
        return _page(request, form, roles, status=400)
    return render_receipt_created(
        request, submission.petition, secret=submission.secret, status=201
    )


def _page(request, form, roles, status=200, similar=()):
    context = {
        "form": form,
        "similar": similar,
        "roles": roles,
        "entries": recent_entries(staff_actor(request)),
        "files_dropped": bool(request.FILES),
    }
    return render(request, "feedback/staff/new.html", context, status=status)
