"""Citizen pages: submit a petition, follow it, read published answers."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback import duplicates, forms, queries, recovery, services
from feedback.access import (
    client_ip,
    forget_petition,
    petition_for_submitter,
    remember_petition,
)
from feedback.identity import prefill
from feedback.proof import ProofUnavailable, proof_file
from workflow import services as workflow
from workflow.access import Actor
from workflow.codes import parse_number
from workflow.documents.answers import answer_document_of
from workflow.documents.views import answer_pdf_response, answer_print_response
from workflow.errors import (
    AlreadyDelivered,
    ConflictingSubmission,
    InvalidInput,
    WorkflowError,
)
from workflow.privacy import consent
from workflow.privacy import queries as privacy_queries
from workflow.privacy.identity import identity_of

ANSWERS_PER_PAGE = 20


# --- submission -----------------------------------------------------------------------


@never_cache
def home(request):
    if request.method != "POST" or "refresh_communes" in request.POST:
        # The no-JavaScript way to fill the commune list: show the form again,
        # as typed, for the chosen province.
        initial = request.POST.dict() if request.method == "POST" else prefill(request)
        return _petition_form(request, forms.PetitionForm(initial=initial))
    form = forms.PetitionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _petition_form(request, form, status=400)
    if request.POST.get("follow"):
        return _follow(request, form, request.POST["follow"])
    if not request.POST.get("file_anyway"):
        similar = duplicates.similar_for_citizen(**form.likeness_fields())
        if similar:
            return _petition_form(request, form, similar=similar)
    try:
        submission = services.file_petition(
            client_ip=client_ip(request),
            language=request.LANGUAGE_CODE,
            identity=identity_of(request.user),
            **form.petition_fields(),
        )
    except services.RateLimited as limit:
        form.add_error(None, _rate_limit_message(limit))
        return _petition_form(request, form, status=429, retry_at=limit.retry_at)
    except AlreadyDelivered as delivered:
        # The same form sent again; with its text edited after it was filed, the
        # edit is not saved, and the page says so (ConflictingSubmission).
        context = {
            "petition": delivered.petition,
            "text_changed": isinstance(delivered, ConflictingSubmission),
        }
        return render(request, "feedback/duplicate.html", context)
    except InvalidInput as error:
        form.add_workflow_error(error)
        return _petition_form(request, form, status=400)
    return render(request, "feedback/submitted.html", {"submission": submission})


def _follow(request, form, code):
    """Follow an open petition like this one instead of filing it again."""
    try:
        services.follow_petition(
            tracking_code=code,
            client_ip=client_ip(request),
            language=request.LANGUAGE_CODE,
            **form.contact_fields(),
        )
    except services.RateLimited as limit:
        form.add_error(None, _rate_limit_message(limit))
        return _petition_form(request, form, status=429, retry_at=limit.retry_at)
    except WorkflowError as error:
        form.add_error(None, forms.workflow_error_message(error))
        return _petition_form(request, form, status=400)
    return render(request, "feedback/following.html", {"code": code.upper()})


def _petition_form(request, form, *, status=200, retry_at=None, similar=()):
    response = render(
        request,
        "feedback/submit.html",
        {
            "form": form,
            "similar": similar,
            "files_dropped": bool(request.FILES),
            "map_tiles": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
        status=status,
    )
    return _retry_after(response, retry_at)


def _retry_after(response, retry_at):
    """A 429 says in Retry-After when the limit lifts (whole seconds, at least 1)."""
    if retry_at is not None:
        seconds = int((retry_at - timezone.now()).total_seconds()) + 1
        response["Retry-After"] = str(max(seconds, 1))
    return response


def _rate_limit_message(limit) -> str:
    when = formats.date_format(timezone.localtime(limit.retry_at), "H:i d/m/Y")
    if limit.scope == "contact":
        text = _(
            "Đã có quá nhiều phản ánh gửi với thư điện tử hoặc số điện thoại này. "
            "Phản ánh chưa được gửi; vui lòng thử lại sau %(time)s."
        )
    elif limit.scope == "recovery":
        text = _("Đã yêu cầu mã xác nhận quá nhiều lần. Vui lòng thử lại sau %(time)s.")
    elif limit.scope == "tracking":
        text = _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau %(time)s.")
    else:
        text = _(
            "Đã có quá nhiều phản ánh gửi từ địa chỉ mạng này. "
            "Phản ánh chưa được gửi; vui lòng thử lại sau %(time)s."
        )
    return text % {"time": when}


@require_GET
def communes(request):
    code = parse_number(request.GET.get("province", ""))
    if code is None:
        return JsonResponse({"error": "province must be a province code"}, status=400)
    response = JsonResponse({"communes": queries.communes_of(code)})
    patch_cache_control(response, public=True, max_age=3600)
    return response


# --- tracking -------------------------------------------------------------------------


@never_cache
def track(request):
    form = forms.TrackForm(request.POST or None)
    status, retry_at = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.verify_tracking(
                tracking_code=form.cleaned_data["tracking_code"],
                secret=form.cleaned_data["secret"],
                client_ip=client_ip(request),
            )
        except services.RateLimited as limit:
            form.add_error(None, _rate_limit_message(limit))
            status, retry_at = 429, limit.retry_at
        except services.WrongTrackingPair:
            form.add_error(None, _("Mã tra cứu hoặc mã bí mật không đúng."))
            status = 400
        else:
            remember_petition(request.session, petition)
            return redirect("feedback:case", code=petition.tracking_code)
    elif request.method == "POST":
        status = 400
    response = render(request, "feedback/track.html", {"form": form}, status=status)
    return _retry_after(response, retry_at)


@never_cache
def recover(request):
    """ "Quên mã bí mật", step 1: a one-time code to the contacts on file."""
    form = forms.RecoveryRequestForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return _first_recovery_step(request, form, status=status)
    code = form.cleaned_data["tracking_code"].strip().upper()
    try:
        recovery.request_code(tracking_code=code, client_ip=client_ip(request))
    except services.RateLimited as limit:
        form.add_error(None, _rate_limit_message(limit))
        response = _first_recovery_step(request, form, status=429)
        return _retry_after(response, limit.retry_at)
    confirm = forms.RecoveryCodeForm(initial={"tracking_code": code})
    return render(request, "feedback/recover_code.html", {"form": confirm})


def _first_recovery_step(request, form, *, status):
    return render(request, "feedback/recover.html", {"form": form}, status=status)


@require_POST
@never_cache
def recover_confirm(request):
    """Step 2: the code received issues a new secret, shown once."""
    form = forms.RecoveryCodeForm(request.POST)
    if form.has_error("tracking_code"):
        # A hidden field here, come back empty or mangled: only the first step
        # asks for it, as a field of its own.
        step = forms.RecoveryRequestForm(request.POST)
        return _first_recovery_step(request, step, status=400)
    status, retry_at = 400, None
    if form.is_valid():
        try:
            petition, secret = recovery.redeem_code(
                client_ip=client_ip(request), **form.cleaned_data
            )
        except services.RateLimited as limit:
            form.add_error(None, _rate_limit_message(limit))
            status, retry_at = 429, limit.retry_at
        except recovery.WrongCode:
            form.add_error("code", _("Mã xác nhận không đúng hoặc đã hết hiệu lực."))
        else:
            remember_petition(request.session, petition)
            context = {"petition": petition, "secret": secret}
            return render(request, "feedback/recovered.html", context)
    response = render(
        request, "feedback/recover_code.html", {"form": form}, status=status
    )
    return _retry_after(response, retry_at)


@never_cache
def case(request, code):
    petition = petition_for_submitter(request, code)
    return _case_page(request, petition)


def _case_page(request, petition, bound=None, status=200):
    version = {"version": petition.version}
    forms_by_action = {
        "information": forms.InformationForm(initial=version),
        "rate": forms.RatingForm(),
        "dispute": forms.DisputeForm(initial=version),
        "close": forms.CloseForm(initial=version),
        "withdraw": forms.WithdrawForm(initial=version),
        "unpublish": forms.UnpublishForm(),
        **(bound or {}),
    }
    context = {
        "case": queries.case_for_submitter(petition, now=timezone.now()),
        "forms": forms_by_action,
        "personal_data": privacy_queries.petition_privacy(petition),
    }
    return render(request, "feedback/case.html", context, status=status)


def _add_information(petition, data):
    services.add_information(
        petition_id=petition.pk,
        text=data["text"],
        attachments=data["attachments"],
        sensitive_attachments=data["sensitive_attachments"],
        expected_version=data["version"],
    )


def _rate(petition, data):
    services.rate_petition(
        petition_id=petition.pk, score=data["score"], comment=data["comment"]
    )


def _dispute(petition, data):
    workflow.reopen_petition(
        petition_id=petition.pk,
        actor=Actor.submitter(),
        reason=data["reason"],
        expected_version=data["version"],
    )


def _close(petition, data):
    workflow.close_petition(
        petition_id=petition.pk,
        actor=Actor.submitter(),
        expected_version=data["version"],
    )


def _withdraw(petition, data):
    workflow.withdraw_petition(
        petition_id=petition.pk,
        actor=Actor.submitter(),
        reason=data["reason"],
        expected_version=data["version"],
    )


def _unpublish(petition, data):
    consent.withdraw_publication(petition_id=petition.pk, actor=Actor.submitter())


# action in the URL → (form, the one service call, what to tell the submitter)
CASE_ACTIONS = {
    "information": (
        forms.InformationForm,
        _add_information,
        gettext_lazy("Đã gửi thông tin bổ sung."),
    ),
    "rate": (forms.RatingForm, _rate, gettext_lazy("Cảm ơn bạn đã đánh giá.")),
    "dispute": (
        forms.DisputeForm,
        _dispute,
        gettext_lazy(
            "Đã gửi đề nghị xem xét lại. Cơ quan xử lý sẽ tiếp tục giải quyết."
        ),
    ),
    "close": (forms.CloseForm, _close, gettext_lazy("Đã đóng phản ánh. Cảm ơn bạn.")),
    "withdraw": (forms.WithdrawForm, _withdraw, gettext_lazy("Đã rút phản ánh.")),
    "unpublish": (
        forms.UnpublishForm,
        _unpublish,
        gettext_lazy(
            "Đã rút lại sự đồng ý công khai: phản ánh và câu trả lời không còn được "
            "công khai."
        ),
    ),
}


@require_POST
@never_cache
def case_action(request, code, action):
    petition = petition_for_submitter(request, code)
    if action not in CASE_ACTIONS:
        raise Http404("No such action")
    form_class, perform, done = CASE_ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(petition, form.cleaned_data)
        except InvalidInput as error:
            form.add_workflow_error(error)
        except WorkflowError as error:
            messages.error(request, forms.workflow_error_message(error))
            return redirect("feedback:case", code=code)
        else:
            messages.success(request, done)
            return redirect("feedback:case", code=code)
    return _case_page(request, petition, bound={action: form}, status=400)


@require_POST
def forget(request, code):
    forget_petition(request.session, code)
    messages.success(
        request, _("Trình duyệt này đã quên mã tra cứu %(code)s.") % {"code": code}
    )
    return redirect("feedback:track")


@never_cache
def signed_answer(request, code):
    """The answer letter as the agency signed it (PAdES), byte for byte."""
    petition = petition_for_submitter(request, code)
    signed = workflow.signed_answer_of(petition)
    if signed is None:
        raise Http404("No signed answer")
    response = HttpResponse(bytes(signed.pdf), content_type="application/pdf")
    name = f"tra-loi-{code}-{signed.letter.reference.replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
def answer_print(request, code):
    """The answer as a document to print, for the submitter (workflow.documents)."""
    return answer_print_response(
        request,
        _answer_document(request, code),
        pdf_url=reverse("feedback:answer_pdf", args=[code]),
        back_url=reverse("feedback:case", args=[code]),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer_pdf(request, code):
    return answer_pdf_response(_answer_document(request, code))


def _answer_document(request, code):
    document = answer_document_of(petition_for_submitter(request, code))
    if document is None:
        raise Http404("No answer is out")
    return document


@never_cache
def proof(request, code):
    """The proof file: this petition's history and its path to a checkpoint."""
    petition = petition_for_submitter(request, code)
    try:
        body = proof_file(petition, now=timezone.now())
    except ProofUnavailable:
        messages.error(
            request,
            _("Lịch sử của phản ánh này được ghi trước khi có bằng chứng tải về."),
        )
        return redirect("feedback:case", code=code)
    response = JsonResponse(
        body, json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Disposition"] = f'attachment; filename="pakn-proof-{code}.json"'
    return response


# --- published answers ----------------------------------------------------------------


def answers(request):
    form = forms.AnswerSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = Paginator(queries.published_answers(**filters), ANSWERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    contacts = queries.published_contacts()
    context = {
        "form": form,
        "query": query.urlencode(),
        "page": page,
        "items": [queries.masked(p, contacts=contacts) for p in page],
    }
    return render(request, "feedback/answers.html", context)


def published_answer(request, code):
    petition = queries.published_answer(code)
    if petition is None:
        raise Http404("No such published answer")
    return render(request, "feedback/answer.html", {"item": queries.masked(petition)})
