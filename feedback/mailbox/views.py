"""The triage desk's e-mail drafts: list, read, confirm as a petition, reject."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from feedback.mailbox import queries, services
from feedback.mailbox.forms import ConfirmDraftForm, RejectDraftForm
from feedback.mailbox.models import InboundEmail
from workflow.access import staff_actor
from workflow.documents.views import render_receipt_created
from workflow.errors import WorkflowError
from workflow.permissions import StaffRoles


def _triage_desk(request):
    actor = staff_actor(request)
    roles = StaffRoles.of(actor)
    if not (roles.is_admin or roles.is_coordinator):
        raise Http404
    return actor, roles


@login_required
def drafts(request):
    _actor, roles = _triage_desk(request)
    page = Paginator(queries.pending_drafts(), 50).get_page(request.GET.get("page"))
    context = {
        "roles": roles,
        "page": page,
        "query": "",
        "decided": queries.recently_decided(),
    }
    return render(request, "feedback/mailbox/drafts.html", context)


@login_required
@never_cache
def draft(request, pk):
    _actor, roles = _triage_desk(request)
    found = get_object_or_404(InboundEmail, pk=pk)
    return _draft_page(request, found, roles)


def _draft_page(request, found, roles, confirm=None, reject=None, status=200):
    pending = found.status == InboundEmail.Status.PENDING
    context = {
        "roles": roles,
        "draft": found,
        "attachments": [facts for _item, facts in services.draft_attachments(found)],
        "confirm_form": confirm or (ConfirmDraftForm(draft=found) if pending else None),
        "reject_form": reject or (RejectDraftForm() if pending else None),
    }
    return render(request, "feedback/mailbox/draft.html", context, status=status)


@login_required
@never_cache
@require_POST
def confirm(request, pk):
    actor, roles = _triage_desk(request)
    found = get_object_or_404(InboundEmail, pk=pk)
    form = ConfirmDraftForm(request.POST, draft=found)
    if form.is_valid():
        try:
            submission = services.confirm_draft(
                draft_id=found.pk, actor=actor, **form.petition_fields()
            )
        except WorkflowError as error:
            form.add_workflow_error(error)
        else:
            return render_receipt_created(
                request, submission.petition, secret=submission.secret, status=201
            )
    found.refresh_from_db()
    return _draft_page(request, found, roles, confirm=form, status=400)


@login_required
@require_POST
def reject(request, pk):
    actor, roles = _triage_desk(request)
    found = get_object_or_404(InboundEmail, pk=pk)
    form = RejectDraftForm(request.POST)
    if form.is_valid():
        try:
            services.reject_draft(
                draft_id=found.pk, actor=actor, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            form.add_error(None, error.display)
        else:
            messages.success(request, _("Đã ghi nhận không tiếp nhận thư này."))
            return redirect("mailbox:drafts")
    found.refresh_from_db()
    return _draft_page(request, found, roles, reject=form, status=400)


@login_required
def raw(request, pk):
    _triage_desk(request)
    found = get_object_or_404(InboundEmail, pk=pk)
    return FileResponse(
        found.raw.open("rb"),
        as_attachment=True,
        filename=f"thu-{found.pk}.eml",
        content_type="message/rfc822",
    )
