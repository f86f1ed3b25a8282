"""Staff pages: queue, case, supervisor dashboard (auditor pages: workflow.reports).

Each view parses (a form), checks access (`workflow.access`), calls one service or
query, then renders or redirects. Rules live in workflow modules, not here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow import queries, receipts
from workflow.access import (
    get_petition_for_staff,
    may_see,
    require_supervisor,
    staff_actor,
)
from workflow.documents.answers import has_answer_document
from workflow.errors import WorkflowError
from workflow.forms import (
    ACTION_FORMS,
    BulkAssignForm,
    QueueFilterForm,
)
from workflow.links import next_url
from workflow.permissions import (
    ACTION_LABELS,
    StaffRoles,
    allowed_actions,
    landing_page,
    may_decide_publication,
)
from workflow.privacy import reads

QUEUE_PAGE_SIZE = 50
DRILL_DOWN_PAGE_SIZE = 100


def _staff(request) -> tuple:
    actor = staff_actor(request)
    return actor, StaffRoles.of(actor)


def _render(request, template, context, roles=None, status=200):
    """Render a staff page; `roles` decides which links the staff menu shows."""
    roles = roles or StaffRoles.of(staff_actor(request))
    return render(request, template, {"roles": roles, **context}, status=status)


@login_required
def staff_home(request):
    return redirect(landing_page(staff_actor(request)))


# --- handler queue ---


@login_required
def queue(request):
    actor, roles = _staff(request)
    form = QueueFilterForm(request.GET or None, actor=actor, roles=roles)
    now = timezone.now()
    petitions = queries.handler_queue(actor, form.filters(), now=now, roles=roles)
    page = Paginator(petitions, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": queries.queue_rows(page.object_list, roles, now=now),
        "bulk_form": BulkAssignForm(roles=roles) if roles.is_supervisor else None,
        "query": _query_without_page(request),
    }
    return _render(request, "workflow/queue.html", context, roles)


@login_required
@require_POST
def bulk_assign(request):
    actor, roles = _staff(request)
    form = BulkAssignForm(request.POST, roles=roles)
    if not roles.is_supervisor:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Chọn phản ánh và cán bộ để phân công."))
        return redirect(next_url(request, reverse("workflow:queue")))
    result = form.assign_all(actor)
    _report_bulk(request, result)
    return redirect(next_url(request, reverse("workflow:queue")))


def _report_bulk(request, result):
    if result.assigned:
        messages.success(
            request,
            _("Đã phân công %(count)d phản ánh: %(codes)s.")
            % {"count": len(result.assigned), "codes": ", ".join(result.assigned)},
        )
    for code, reason in result.failed:
        messages.error(
            request,
            _("%(code)s chưa được phân công: %(reason)s")
            % {"code": code, "reason": reason},
        )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- case page ---


@login_required
def case(request, tracking_code):
    actor, roles = _staff(request)
    petition = get_petition_for_staff(request, tracking_code)
    reads.record_read(user=request.user, petition=petition, what=reads.What.CASE)
    return _render_case(request, petition, actor, roles)


@login_required
@require_POST
def act(request, tracking_code, action):
    actor, roles = _staff(request)
    petition = get_petition_for_staff(request, tracking_code)
    if action not in ACTION_FORMS or not ACTION_FORMS[action].is_available():
        raise Http404
    form = ACTION_FORMS[action](request.POST, petition=petition, actor=actor)
    if form.is_valid():
        try:
            form.perform()
        except WorkflowError as error:
            form.add_workflow_error(error)
        else:
            messages.success(request, _("Đã thực hiện: %s.") % ACTION_LABELS[action])
            return redirect(next_url(request, _after_step(actor, petition)))
    petition = get_petition_for_staff(request, tracking_code)
    reads.record_read(user=request.user, petition=petition, what=reads.What.CASE)
    return _render_case(request, petition, actor, roles, failed=form, status=400)


def _case_url(petition):
    return reverse("workflow:case", args=[petition.tracking_code])


def _after_step(actor, petition) -> str:
    """The case page, or the queue when the step took the case out of the actor's
    sight (a transfer to an agency they do not see): the case page would be 404,
    and the confirmation would be lost with it."""
    petition.refresh_from_db(fields=["agency"])
    if may_see(actor, petition):
        return _case_url(petition)
    return reverse("workflow:queue")


def _render_case(request, petition, actor, roles, failed=None, status=200):
    """The case page; a refused form comes back with what was typed and its errors."""
    actions = allowed_actions(roles, petition)
    forms = [ACTION_FORMS[action](petition=petition, actor=actor) for action in actions]
    if failed is not None:
        # Keep the typed text but the latest version, so a deliberate resend after
        # reading the refreshed page is not refused again as stale.
        data = failed.data.copy()
        data[failed.add_prefix("version")] = petition.version
        failed.data = data
        forms = [failed, *[f for f in forms if f.action != failed.action]]
    now = timezone.now()
    context = {
        "petition": petition,
        "status": queries.sla.sla_status(petition, now),
        "deadlines": queries.case_deadlines(petition, now=now),
        "forms": [(form, ACTION_LABELS[form.action]) for form in forms],
        "history": queries.case_history(petition),
        "clocks": queries.case_clocks(petition),
        "extension": queries.case_extension(petition),
        "letters": queries.case_letters(petition),
        "entry": receipts.entry_facts(petition),
        "may_reissue_secret": roles.enters_petitions,
        "may_review_publication": may_decide_publication(roles, petition),
        "has_answer_document": has_answer_document(petition),
    }
    return _render(request, "workflow/case.html", context, roles, status=status)


# --- supervisor dashboard ---


@login_required
def dashboard(request):
    actor = require_supervisor(request)
    figures = queries.dashboard_figures(actor, now=timezone.now())
    return _render(request, "workflow/dashboard.html", {"figures": figures})
