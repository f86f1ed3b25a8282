"""The intake API for the National Public Service Portal, under /api/v1/.

Parse and check the body, call the workflow's intake service, answer in JSON.
Every caller is an integration holding an API key (`Authorization: Bearer <key>`).
"""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from feedback.integrations import group_intake, keys, queries
from feedback.integrations.fields import (
    MAX_BODY_BYTES,
    MalformedBody,
    api_field,
    external_id_of,
    parse_body,
    parse_petition,
)
from feedback.integrations.schema import openapi_document
from feedback.integrations.serializers import serialize_petition, w3c
from workflow.codes import parse_number
from workflow.errors import ConflictingSubmission, DuplicateSubmission, InvalidInput
from workflow.models import Channel, State


@csrf_exempt
def petitions(request):
    if request.method != "POST":
        return method_not_allowed(["POST"])
    api_key, refusal = _authorized(request)
    if refusal:
        return refusal
    try:
        body = request.body
        if len(body) > MAX_BODY_BYTES:
            raise RequestDataTooBig
        data = parse_body(body)
    except RequestDataTooBig:
        return error_response(
            413, "too_large", f"The request body is over {MAX_BODY_BYTES} bytes."
        )
    except MalformedBody as error:
        return _invalid({"body": [str(error)]})
    arguments, errors = parse_petition(data)
    if errors:
        return _invalid(errors)
    try:
        submission = group_intake.submit_petition(
            channel=Channel.PORTAL, integration_id=api_key.integration_id, **arguments
        )
    except DuplicateSubmission as duplicate:
        return JsonResponse(petition_body(duplicate.petition), status=200)
    except ConflictingSubmission as conflict:
        return error_response(
            409,
            "conflict",
            conflict.message,
            tracking_code=conflict.petition.tracking_code,
        )
    except InvalidInput as error:
        name = api_field(error.field)
        return _previous_delivery(data, api_key, error.field) or _invalid(
            {name: [error.message_naming(name)]}
        )
    body = {**petition_body(submission.petition), "secret": submission.secret}
    response = JsonResponse(body, status=201)
    response["Location"] = _url(submission.petition)
    return response


@csrf_exempt
def petition(request, tracking_code):
    if request.method != "GET":
        return method_not_allowed(["GET"])
    api_key, refusal = _authorized(request)
    if refusal:
        return refusal
    found = queries.filed_petition(tracking_code, integration_id=api_key.integration_id)
    if found is None:
        # The same answer whether the code is unknown or another integration's.
        return error_response(
            404,
            "not_found",
            f"No petition filed with this key's integration has code "
            f"{tracking_code!r}.",
        )
    return JsonResponse(petition_body(found, history=queries.history_summary(found)))


@csrf_exempt
def schema(request):
    if request.method != "GET":
        return method_not_allowed(["GET"])
    return JsonResponse(openapi_document(queries.current_codes()))


# --- the codes the body takes: reference data, open without a key ----------------


@csrf_exempt
def categories(request):
    if request.method != "GET":
        return method_not_allowed(["GET"])
    return _reference({"categories": queries.current_codes().categories})


@csrf_exempt
def provinces(request):
    if request.method != "GET":
        return method_not_allowed(["GET"])
    return _reference({"provinces": queries.current_codes().provinces})


@csrf_exempt
def communes(request, province):
    if request.method != "GET":
        return method_not_allowed(["GET"])
    code = parse_number(province)
    if code is None:
        return error_response(400, "invalid", "A province code is digits 0-9.")
    codes = queries.current_codes()
    if not any(p["code"] == code for p in codes.provinces):
        return error_response(404, "not_found", f"No current province has code {code}.")
    return _reference({"communes": codes.communes.get(code, [])})


def _reference(body):
    response = JsonResponse(body)
    patch_cache_control(response, public=True, max_age=3600)
    return response


# --- responses ----------------------------------------------------------------


def petition_body(petition, *, history=None) -> dict:
    facts = serialize_petition(petition)
    body = {
        "tracking_code": facts["tracking_code"],
        "external_id": petition.channel_ref,
        "state": facts["state"],
        "state_label": facts["state_label"],
        "is_open": facts["is_open"],
        "category": facts["category"],
        "agency": facts["agency"],
        "received_at": facts["received_at"],
        "deadlines": {"due_at": facts["due_at"], "next_due_at": facts["next_due_at"]},
        "answer": (
            {"text": facts["answer"], "answered_at": facts["answered_at"]}
            if facts["answer"]
            else None
        ),
        "rejection": (
            {
                "reason": petition.rejection_reason,
                "redirect_hint": petition.redirect_hint,
            }
            if petition.state == State.REJECTED
            else None
        ),
        "closed_at": facts["closed_at"],
    }
    if history is not None:
        body["history"] = [
            {"at": w3c(step["at"]), "action": step["action"], "state": step["to_state"]}
            for step in history
        ]
    return body


def error_response(status, code, message, **extra):
    response = JsonResponse({"error": code, "message": message, **extra}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="pakn"'
    return response


def method_not_allowed(allowed):
    response = error_response(
        405, "method_not_allowed", f"Use {' or '.join(allowed)} here."
    )
    response["Allow"] = ", ".join(allowed)
    return response


def _authorized(request):
    """The caller's key and None, or None and the response refusing the call."""
    now = timezone.now()
    admission = keys.admit(keys.bearer_key(request), now=now)
    if admission is None:
        return None, error_response(
            401,
            "unauthorized",
            "Send a valid API key: Authorization: Bearer <key>.",
        )
    verdict = admission.verdict
    if verdict is not None and not verdict.allowed:
        retry_after = verdict.retry_after_seconds(now)
        response = error_response(
            429,
            "rate_limited",
            f"More than {verdict.limit} requests a minute with this key.",
            retry_after=retry_after,
        )
        response["Retry-After"] = str(retry_after)
        return None, response
    return admission.api_key, None


def _previous_delivery(data, api_key, refused_field):
    """200 with the petition a repeated delivery created, before refusing it.

    A portal retrying a delivery gets its petition even if the codes it sent
    went out of use since (a category closed, units merged): the refused code
    is the one the petition was filed with. A body with another code, or a
    malformed one, is refused whatever its id: it is not the same delivery.
    Only refused bodies pay for this look-up: the intake service checks the id
    of the others itself.
    """
    external_id = external_id_of(data)
    existing = external_id and queries.filed_petition_by_external_id(
        external_id, integration_id=api_key.integration_id
    )
    if not existing or refused_field not in FILED_CODES:
        return None
    unit = getattr(existing, refused_field)
    filed_code = unit.code if unit is not None else None
    if data.get(refused_field) != filed_code:
        return None
    return JsonResponse(petition_body(existing), status=200)


# The codes of reference data that can go out of use after a petition was filed.
FILED_CODES = ("category", "province", "commune")


def _invalid(errors):
    return error_response(
        400, "invalid", "Some fields are missing or wrong.", errors=errors
    )


def _url(petition):
    return reverse(
        "integrations:api-petition", kwargs={"tracking_code": petition.tracking_code}
    )
