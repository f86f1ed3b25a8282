"""Staff pages of personal data: the data officers' request queue and request page,
and the auditors' list of staff reads of personal data.

Each view parses, checks access (404 for whoever may not see the page), calls one
service or query and renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.access import require_auditor, staff_actor
from workflow.errors import WorkflowError
from workflow.permissions import StaffRoles
from workflow.privacy import export, queries, reads
from workflow.privacy import requests as data_requests
from workflow.privacy.forms import (
    CompleteForm,
    ReadsFilterForm,
    RefuseForm,
    ReplyForm,
    RequestQueueForm,
)
from workflow.privacy.officers import is_dpo

PAGE_SIZE = 50
READS_PAGE_SIZE = 100


def _officer(request):
    actor = staff_actor(request)
    if not is_dpo(actor):
        raise Http404
    return actor


def _render(request, template, context, actor, status=200):
    roles = StaffRoles.of(actor)
    return render(request, template, {"roles": roles, **context}, status=status)


@login_required
def queue(request):
    actor = _officer(request)
    form = RequestQueueForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    found = queries.request_queue(
        show=filters.get("show") or "open", kind=filters.get("kind") or None
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(item, data_requests.request_status(item, now)) for item in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return _render(request, "privacy/queue.html", context, actor)


@login_required
def request_page(request, code):
    actor = _officer(request)
    item = queries.request_by_code(code)
    return _request_page(request, actor, item)


def _request_page(request, actor, item, failed=None, status=200):
    petitions = list(item.petitions.select_related("category", "province", "agency"))
    # The officer sees the subject's data to answer: each petition's read is logged.
    for petition in petitions:
        reads.record_read(user=request.user, petition=petition, what=reads.What.EXPORT)
    forms = {
        "reply": ReplyForm(),
        "complete": CompleteForm(kind=item.kind, initial=item.corrections),
        "refuse": RefuseForm(),
    }
    if failed is not None:
        forms[failed[0]] = failed[1]
    context = {
        "item": item,
        "status": data_requests.request_status(item, timezone.now()),
        "petitions": petitions,
        "events": queries.request_events(item),
        "data": export.subject_data(petitions, identity=item.identity),
        "state_labels": {p.tracking_code: p.get_state_display() for p in petitions},
        "forms": forms,
    }
    return _render(request, "privacy/request.html", context, actor, status=status)


def _reply(item, actor, form):
    data_requests.reply_to_request(
        request_id=item.pk, actor=actor, text=form.cleaned_data["text"]
    )


def _complete(item, actor, form):
    data_requests.complete_request(
        request_id=item.pk,
        actor=actor,
        outcome=form.cleaned_data["outcome"],
        corrections=form.corrections(),
    )


def _refuse(item, actor, form):
    data_requests.refuse_request(
        request_id=item.pk, actor=actor, reason=form.cleaned_data["reason"]
    )


# action in the URL → (form, the one service call)
ACTIONS = {
    "reply": (ReplyForm, _reply),
    "complete": (CompleteForm, _complete),
    "refuse": (RefuseForm, _refuse),
}


@login_required
@require_POST
def act(request, code, action):
    actor = _officer(request)
    item = queries.request_by_code(code)
    if action not in ACTIONS:
        raise Http404
    form_class, perform = ACTIONS[action]
    form = form_class(request.POST, kind=item.kind)
    if form.is_valid():
        try:
            perform(item, actor, form)
        except WorkflowError as error:
            form.add_error(None, error.display)
        else:
            messages.success(
                request, _("Đã cập nhật yêu cầu %(code)s.") % {"code": code}
            )
            return redirect("privacy:request", code=item.code)
    item.refresh_from_db()
    return _request_page(request, actor, item, failed=(action, form), status=400)


@login_required
def staff_reads(request):
    actor = require_auditor(request)
    form = ReadsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.staff_reads(
        petition_code=filters.get("petition") or None,
        username=filters.get("user") or None,
    )
    page = Paginator(found, READS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return _render(request, "privacy/reads.html", context, actor)
