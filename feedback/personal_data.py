"""Citizen pages about their own data: "Hồ sơ của tôi" and data-subject requests.

Two ways to prove who one is, as everywhere on the citizen pages: a petition's
tracking code and secret (the request then concerns that petition), or the login
with the national identity (the request concerns every petition of the
identity). The requests are handled by the data-protection officers
(workflow.privacy.requests); these pages file them and show their progress and,
for a request to see one's data, the export once it is released.
"""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from feedback import forms, identity, services
from feedback.access import client_ip, petition_for_submitter
from feedback.views import _rate_limit_message
from workflow.errors import WorkflowError
from workflow.privacy import export
from workflow.privacy import requests as data_requests
from workflow.privacy.identity import identity_of, own_petition, owned_petitions
from workflow.privacy.models import DataRequest, RequestKind


@dataclass(frozen=True)
class Scope:
    """Whose data a page is about: one proved petition, or a logged-in identity."""

    petitions: list
    identity: object = None
    code: str | None = None

    def url(self, name, **kwargs) -> str:
        if self.code is not None:
            return reverse(f"feedback:{name}", kwargs={"code": self.code, **kwargs})
        return reverse(f"feedback:my_{name}", kwargs=kwargs)

    def find(self, request_code) -> DataRequest:
        """One of this scope's requests, or 404."""
        request = self.requests().filter(code=request_code.upper()).first()
        if request is None:
            raise Http404("No such request here")
        return request

    def requests(self):
        mine = Q(petitions__in=[p.pk for p in self.petitions])
        if self.identity is not None:
            mine |= Q(identity=self.identity)
        return DataRequest.objects.filter(mine).distinct().order_by("-received_at")


def _petition_scope(request, code) -> Scope:
    return Scope(petitions=[petition_for_submitter(request, code)], code=code)


def _identity_scope(request) -> Scope:
    found = identity_of(request.user)
    if found is None:
        raise Http404("Not logged in with the national identity")
    return Scope(petitions=list(owned_petitions(found)), identity=found)


# --- Hồ sơ của tôi ---------------------------------------------------------------


@never_cache
def mine(request):
    found = identity_of(request.user)
    context = {
        "identity": found,
        "login_enabled": identity.is_enabled(),
        "login_failed": request.GET.get("login") == "failed",
        "petitions": list(owned_petitions(found)) if found else [],
        "attach_form": forms.AttachForm(),
    }
    return render(request, "feedback/mine.html", context)


@require_POST
@never_cache
def attach(request):
    found = identity_of(request.user)
    if found is None:
        raise Http404("Not logged in with the national identity")
    form = forms.AttachForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            petition = services.verify_tracking(
                tracking_code=form.cleaned_data["tracking_code"],
                secret=form.cleaned_data["secret"],
                client_ip=client_ip(request),
            )
            own_petition(petition, identity=found, how="attached", now=timezone.now())
        except services.RateLimited as limit:
            form.add_error(None, _rate_limit_message(limit))
            status = 429
        except services.WrongTrackingPair:
            form.add_error(None, _("Mã tra cứu hoặc mã bí mật không đúng."))
        except WorkflowError as error:
            form.add_error(None, error.display)
        else:
            messages.success(
                request,
                _("Đã gắn phản ánh %(code)s vào hồ sơ của bạn.")
                % {"code": petition.tracking_code},
            )
            return redirect("feedback:mine")
    context = {
        "identity": found,
        "login_enabled": True,
        "petitions": list(owned_petitions(found)),
        "attach_form": form,
    }
    return render(request, "feedback/mine.html", context, status=status)


# --- data-subject requests ------------------------------------------------------


@never_cache
def data_requests_page(request, code):
    return _requests_page(request, _petition_scope(request, code))


@never_cache
def my_data_requests_page(request):
    return _requests_page(request, _identity_scope(request))


def _requests_page(request, scope):
    form = forms.DataRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and scope.petitions:
            try:
                filed = data_requests.file_request(
                    kind=form.cleaned_data["kind"],
                    petitions=scope.petitions,
                    identity=scope.identity,
                    details=form.cleaned_data["details"],
                    corrections=form.corrections(),
                    language=request.LANGUAGE_CODE,
                )
            except WorkflowError as error:
                form.add_workflow_error(error)
            else:
                messages.success(
                    request,
                    _(
                        "Đã gửi yêu cầu %(code)s. Cán bộ bảo vệ dữ liệu cá nhân phản "
                        "hồi trong 2 ngày làm việc."
                    )
                    % {"code": filed.code},
                )
                return redirect(scope.url("data_request", request_code=filed.code))
    context = {"scope": scope, "form": form, "requests": list(scope.requests())}
    return render(request, "feedback/data_requests.html", context, status=status)


@never_cache
def data_request_page(request, code, request_code):
    scope = _petition_scope(request, code)
    return _request_page(request, scope, scope.find(request_code))


@never_cache
def my_data_request_page(request, request_code):
    scope = _identity_scope(request)
    return _request_page(request, scope, scope.find(request_code))


def _request_page(request, scope, found):
    context = {
        "scope": scope,
        "item": found,
        "status": data_requests.request_status(found, timezone.now()),
        "export_ready": _export_ready(found),
    }
    return render(request, "feedback/data_request.html", context)


@never_cache
def data_export(request, code, request_code, fmt):
    scope = _petition_scope(request, code)
    return _export(request, scope, scope.find(request_code), fmt)


@never_cache
def my_data_export(request, request_code, fmt):
    scope = _identity_scope(request)
    return _export(request, scope, scope.find(request_code), fmt)


def _export_ready(found) -> bool:
    return found.kind == RequestKind.SEE and found.state == DataRequest.State.DONE


def _export(request, scope, found, fmt):
    """The subject's data, released by the data officer: JSON or an HTML page."""
    if not _export_ready(found) or fmt not in ("json", "html"):
        raise Http404("No export for this request")
    petitions = list(
        found.petitions.select_related("category", "province", "commune", "agency")
    )
    data = export.subject_data(petitions, identity=found.identity)
    if fmt == "html":
        return render(request, "feedback/data_export.html", {"data": data})
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="pakn-{found.code}.json"'
    return response
