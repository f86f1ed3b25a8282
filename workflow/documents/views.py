"""Staff pages of the printed documents: receipt slips and answer letters.

Each document is one template, shown as a print page or rendered to PDF. A receipt
shows the secret only when the page that posts it knows it (right after intake):
the secret is checked against the stored hash and printed, never stored.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from workflow import documents, services
from workflow.access import (
    get_petition_for_receipt,
    get_petition_for_staff,
    staff_actor,
)
from workflow.documents.answers import answer_document_of
from workflow.documents.content import letter_of, receipt_of
from workflow.errors import WorkflowError
from workflow.models import AnswerLetter
from workflow.permissions import StaffRoles
from workflow.queries import letters_to_post as letters_to_post_query


def _known_secret(request, petition):
    """The secret posted with the request, if it is the petition's."""
    secret = (request.POST.get("secret") or "").strip().upper()
    return secret if secret and petition.has_secret(secret) else None


def _receipt_context(request, petition, secret):
    # Called in the petition's language: the receipt's labels (the channel) are
    # read when it is built, as the PDF's are.
    code = petition.tracking_code
    return {
        "receipt": receipt_of(petition, secret=secret),
        "secret": secret,
        "pdf_url": reverse("workflow:receipt_pdf", args=[code]),
        # Right after intake the print page opens beside the page with the secret.
        "back_url": None if secret else _back_url(request, petition),
    }


def _back_url(request, petition):
    roles = StaffRoles.of(staff_actor(request))
    if roles.visible is None or petition.agency_id in roles.visible:
        return reverse("workflow:case", args=[petition.tracking_code])
    return reverse("feedback:staff_intake")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def receipt(request, tracking_code):
    petition = get_petition_for_receipt(request, tracking_code)
    secret = _known_secret(request, petition)
    with override(petition.language):
        context = _receipt_context(request, petition, secret)
        html = documents.render_html(documents.RECEIPT, context, request=request)
    return HttpResponse(html)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def receipt_pdf(request, tracking_code):
    petition = get_petition_for_receipt(request, tracking_code)
    secret = _known_secret(request, petition)
    with override(petition.language):
        pdf = documents.render_pdf(
            documents.RECEIPT, {"receipt": receipt_of(petition, secret=secret)}
        )
    return _pdf_response(pdf, f"bien-nhan-{petition.tracking_code}.pdf")


def render_receipt_created(request, petition, *, secret, status=200):
    """The page after intake: code and secret once, and what to do with them."""
    roles = StaffRoles.of(staff_actor(request))
    context = {
        "roles": roles,
        "petition": petition,
        "receipt": receipt_of(petition, secret=secret),
        "secret": secret,
        "can_open_case": roles.visible is None or petition.agency_id in roles.visible,
    }
    return render(request, "workflow/receipt_created.html", context, status=status)


@login_required
@never_cache
@require_POST
def send_receipt(request, tracking_code):
    petition = get_petition_for_receipt(request, tracking_code)
    secret = (request.POST.get("secret") or "").strip().upper()
    try:
        services.send_receipt_by_sms(
            petition_id=petition.pk, actor=staff_actor(request), secret=secret
        )
    except WorkflowError as error:
        messages.error(request, _error_text(error))
        status = 400
    else:
        messages.success(
            request,
            _("Đã gửi tin nhắn mã tra cứu và mã bí mật đến %(phone)s.")
            % {"phone": petition.phone},
        )
        status = 200
    known = _known_secret(request, petition)
    if known is None:
        return HttpResponse(status=400)
    return render_receipt_created(request, petition, secret=known, status=status)


@login_required
@never_cache
@require_POST
def reissue_secret(request, tracking_code):
    petition = get_petition_for_receipt(request, tracking_code)
    try:
        petition, secret = services.reissue_secret(
            petition_id=petition.pk,
            actor=staff_actor(request),
            # The page always sends the version it showed: one left out is no
            # reason to skip the check that the citizen's case did not change.
            expected_version=request.POST.get("version", ""),
        )
    except WorkflowError as error:
        messages.error(request, _error_text(error))
        return redirect(_back_url(request, petition))
    messages.success(request, _("Đã cấp mã bí mật mới; mã cũ hết hiệu lực."))
    return render_receipt_created(request, petition, secret=secret)


# --- answer letters ---


def _letter(request, tracking_code, pk):
    petition = get_petition_for_staff(request, tracking_code)
    return get_object_or_404(
        AnswerLetter.objects.select_related(
            "petition", "agency__parent", "agency__province", "petition__province"
        ),
        petition=petition,
        pk=pk,
    )


@login_required
def letter(request, tracking_code, pk):
    found = _letter(request, tracking_code, pk)
    context = {
        "letter": letter_of(found),
        "pdf_url": reverse("workflow:letter_pdf", args=[tracking_code, pk]),
        "back_url": reverse("workflow:case", args=[tracking_code]),
    }
    html = documents.render_html(documents.ANSWER_LETTER, context, request=request)
    return HttpResponse(html)


@login_required
@require_http_methods(["GET", "POST"])
def letter_pdf(request, tracking_code, pk):
    found = _letter(request, tracking_code, pk)
    pdf = documents.render_pdf(documents.ANSWER_LETTER, {"letter": letter_of(found)})
    name = f"tra-loi-{found.petition.tracking_code}-{found.cycle}.pdf"
    return _pdf_response(pdf, name)


# --- the answer as a document (every answer that went out) ---


def _answer_document(request, tracking_code):
    petition = get_petition_for_staff(request, tracking_code)
    document = answer_document_of(petition)
    if document is None:
        raise Http404("No answer is out")
    return document


@login_required
def answer_print(request, tracking_code):
    return answer_print_response(
        request,
        _answer_document(request, tracking_code),
        pdf_url=reverse("workflow:answer_pdf", args=[tracking_code]),
        back_url=reverse("workflow:case", args=[tracking_code]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_pdf(request, tracking_code):
    document = _answer_document(request, tracking_code)
    return answer_pdf_response(document)


def answer_print_response(request, document, *, pdf_url, back_url) -> HttpResponse:
    """The answer document's print page (staff and submitter alike)."""
    context = {"letter": document, "pdf_url": pdf_url, "back_url": back_url}
    html = documents.render_html(documents.ANSWER_LETTER, context, request=request)
    return HttpResponse(html)


def answer_pdf_response(document) -> HttpResponse:
    """The answer document as a PDF download (staff and submitter alike)."""
    pdf = documents.render_pdf(documents.ANSWER_LETTER, {"letter": document})
    return _pdf_response(pdf, f"tra-loi-{document.tracking_code}.pdf")


@login_required
def letters_to_post(request):
    actor = staff_actor(request)
    roles = StaffRoles.of(actor)
    if not roles.works_queue:
        raise Http404
    page = Paginator(letters_to_post_query(roles), 50).get_page(request.GET.get("page"))
    return render(
        request, "workflow/letters.html", {"roles": roles, "page": page, "query": ""}
    )


def _error_text(error) -> str:
    return error.display


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
