"""Moderation before publication: the supervisors' review list and review page.

The page shows the petition and its answer exactly as /answers/ would
(feedback.queries.masked), with the phrases typed so far hidden; the supervisor
previews, then publishes or declines (workflow.services.publication).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from feedback import queries
from feedback.staff.publication_forms import DeclineForm, PublishForm
from workflow import services
from workflow.access import get_petition_for_staff, require_supervisor
from workflow.errors import WorkflowError
from workflow.models import Action
from workflow.permissions import StaffRoles, is_allowed, may_decide_publication
from workflow.queries import answers_to_publish

PAGE_SIZE = 50


@login_required
@never_cache
def review_list(request):
    actor = require_supervisor(request)
    roles = StaffRoles.of(actor)
    page = Paginator(answers_to_publish(roles), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"roles": roles, "page": page}
    return render(request, "feedback/staff/publication_list.html", context)


@login_required
@never_cache
def review(request, tracking_code):
    actor, roles, petition = _reviewable(request, tracking_code)
    if request.method != "POST":
        return _page(request, petition, roles, PublishForm(initial=_initial(petition)))
    form = PublishForm(request.POST)
    if not form.is_valid() or "preview" in request.POST:
        return _page(
            request, petition, roles, form, status=200 if form.is_valid() else 400
        )
    if not form.require_confirmation():
        return _page(request, petition, roles, form, status=400)
    try:
        services.publish_answer(
            petition_id=petition.pk,
            actor=actor,
            redactions=form.phrases,
            expected_version=form.cleaned_data["version"],
        )
    except WorkflowError as error:
        form.add_error(
            "redactions" if error.field == "redactions" else None, error.display
        )
        return _page(request, petition, roles, form, status=400)
    messages.success(
        request, _("Đã công khai trả lời của phản ánh %s.") % petition.tracking_code
    )
    return redirect("feedback:publication_list")


@login_required
@require_POST
def decline(request, tracking_code):
    actor, roles, petition = _reviewable(request, tracking_code)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_publication(
                petition_id=petition.pk,
                actor=actor,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except WorkflowError as error:
            form.add_error(None, error.display)
        else:
            messages.success(
                request,
                _("Trả lời của phản ánh %s không được công khai.")
                % petition.tracking_code,
            )
            return redirect("feedback:publication_list")
    publish = PublishForm(initial=_initial(petition))
    return _page(request, petition, roles, publish, decline=form, status=400)


def _reviewable(request, tracking_code):
    """The petition if the requester may decide on its publication now, else 404."""
    actor = require_supervisor(request)
    petition = get_petition_for_staff(request, tracking_code)
    roles = StaffRoles.of(actor)
    if not may_decide_publication(roles, petition):
        raise Http404
    return actor, roles, petition


def _initial(petition) -> dict:
    return {
        "version": petition.version,
        "redactions": "\n".join(petition.public_redactions),
    }


def _page(request, petition, roles, form, *, decline=None, status=200):
    phrases = form.phrases if form.is_bound and form.is_valid() else None
    context = {
        "roles": roles,
        "petition": petition,
        "item": queries.masked(petition, redactions=phrases),
        "form": form,
        "decline": decline or DeclineForm(initial={"version": petition.version}),
        "may_publish": is_allowed(roles, petition, Action.PUBLISH_ANSWER),
        "may_decline": is_allowed(roles, petition, Action.DECLINE_PUBLICATION),
        "attachments": petition.attachments.count(),
        "case_url": reverse("workflow:case", args=[petition.tracking_code]),
    }
    return render(
        request, "feedback/staff/publication_review.html", context, status=status
    )
