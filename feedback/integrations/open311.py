"""Open311 GeoReport v2 under /open311/v2/, in JSON and XML.

Services are our categories; a service request is a petition. Reads are public
and list only petitions whose submitter agreed to publication; their texts appear
once a supervisor has published them, as /answers/ shows them (masked, nothing
about the submitter), and until then a request has no description. A client
holding an API key also sees, in full, what its integration filed. Filing needs
an API key. Errors are the spec's list of {code, description} with 400, 403 or 404.
"""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from feedback.integrations import group_intake, keys, queries
from feedback.integrations.serializers import serialize_petition, w3c
from feedback.queries import mask_for_public
from workflow import intake_rules as rules
from workflow.areas.models import Province
from workflow.codes import parse_number
from workflow.errors import ConflictingSubmission, DuplicateSubmission, InvalidInput
from workflow.models import Category, Channel, State, SubmitterKind
from workflow.models.petitions import OPEN_STATES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's behaviour last changed (discovery's changeset).
CHANGESET = "2026-11-27T00:00:00+07:00"
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# The spec limits a description to 4,000 characters.
MAX_DESCRIPTION_LENGTH = 4000
MAX_TEXT_LENGTH = 200
TITLE_LENGTH = 100
# GET requests without dates covers this many days back.
DEFAULT_SPAN = timedelta(days=90)
# The dates a client may ask for: 1900 to 9998 in the client's own offset, so the
# bounds are those days' ends the furthest offsets reach (1900-01-01T00:00+14:00,
# 9998-12-31T24:00-12:00). Nothing was filed before the first; the last leaves
# room for DEFAULT_SPAN inside Python's years 1 to 9999.
EARLIEST_DATE = datetime(1899, 12, 31, 10, tzinfo=UTC)
LATEST_DATE = datetime(9999, 1, 1, 12, tzinfo=UTC)
# W3C's date-time profile of ISO 8601, which Python's fromisoformat widens: week
# dates ("2026-W01") and the basic format ("20260101") are not W3C dates.
W3C_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)

ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]*)\](\[\])?$")


# --- service attributes: one table for the definition and for filing ---------------


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # string | singlevaluelist
    description: str
    required: bool = False
    # Static choices (key, name); the province list is read when it is shown.
    choices: tuple[tuple[str, str], ...] = ()
    datatype_description: str = ""


ATTRIBUTES = (
    Attribute(
        "province",
        "singlevaluelist",
        "Tỉnh, thành phố (province)",
        required=True,
        datatype_description="Official province code",
    ),
    Attribute(
        "commune",
        "string",
        "Xã, phường (commune or ward)",
        datatype_description="Official commune/ward code, in the province",
    ),
    Attribute(
        "submitter_kind",
        "singlevaluelist",
        "Người gửi là cá nhân hay doanh nghiệp (citizen, the default, or business)",
        choices=tuple((kind.value, str(kind.label)) for kind in SubmitterKind),
    ),
    Attribute(
        "tax_code",
        "string",
        "Mã số thuế (tax code), required for a business",
        datatype_description="10 digits, or 10 digits, a dash and 3 more",
    ),
    Attribute(
        "title",
        "string",
        "Tiêu đề (title); the description's first line when left out",
    ),
    Attribute(
        "publish_consent",
        "singlevaluelist",
        "Đồng ý công khai (may the request and its answer be published)",
        choices=(("false", "Không / No"), ("true", "Có / Yes")),
    ),
    Attribute(
        "language",
        "singlevaluelist",
        "Ngôn ngữ nhận thông báo (language of notifications)",
        choices=(("vi", "Tiếng Việt"), ("en", "English")),
    ),
)
ATTRIBUTES_BY_CODE = {attribute.code: attribute for attribute in ATTRIBUTES}

# Intake service argument → the Open311 parameter that carried it.
PARAMETER_NAMES = {
    "submitter_name": "first_name/last_name",
    "content": "description",
    "category": "service_code",
    "province": "attribute[province]",
    "commune": "attribute[commune]",
    "submitter_kind": "attribute[submitter_kind]",
    "tax_code": "attribute[tax_code]",
    "title": "attribute[title]",
    "language": "attribute[language]",
    "channel_ref": "external_id",
}


# --- views -------------------------------------------------------------------------


@csrf_exempt
def discovery(request, fmt):
    if request.method != "GET":
        return _method_not_allowed(fmt, ["GET"])
    endpoint_url = request.build_absolute_uri("/open311/v2/")
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": settings.OPEN311_CONTACT,
            "key_service": "API keys are issued by the operator of this server "
            f"({settings.OPEN311_CONTACT}).",
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": endpoint_url.rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@csrf_exempt
def service_list(request, fmt):
    refusal = _refuse_get(request, fmt)
    if refusal:
        return refusal
    return respond(
        fmt,
        "services",
        [
            {
                "service_code": category.code,
                "service_name": _service_name(category),
                "description": category.description,
                "metadata": True,
                "type": "realtime",
                "keywords": category.code.replace("-", ", "),
                "group": "",
            }
            for category in Category.objects.filter(is_active=True).order_by("code")
        ],
    )


@csrf_exempt
def service_definition(request, code, fmt):
    refusal = _refuse_get(request, fmt)
    if refusal:
        return refusal
    if not Category.objects.filter(code=code, is_active=True).exists():
        return error(fmt, 404, f"service_code {code!r} not found.")
    return respond(
        fmt,
        "service_definition",
        {
            "service_code": code,
            "attributes": [
                _attribute_definition(attribute, order)
                for order, attribute in enumerate(ATTRIBUTES, start=1)
            ],
        },
    )


@csrf_exempt
def service_requests(request, fmt):
    if request.method == "POST":
        return _file_request(request, fmt)
    if request.method != "GET":
        return _method_not_allowed(fmt, ["GET", "POST"])
    integration_id, refusal = _reader(request, fmt)
    if refusal:
        return refusal
    petitions, problems = _filtered(request.GET, integration_id=integration_id)
    if problems:
        return error(fmt, 400, *problems)
    return respond(
        fmt,
        "service_requests",
        [_service_request(p, integration_id=integration_id) for p in petitions],
    )


@csrf_exempt
def service_request(request, service_request_id, fmt):
    if request.method != "GET":
        return _method_not_allowed(fmt, ["GET"])
    integration_id, refusal = _reader(request, fmt)
    if refusal:
        return refusal
    found = (
        queries.open311_requests(integration_id=integration_id)
        .filter(tracking_code=service_request_id.upper())
        .first()
    )
    if found is None:
        return error(fmt, 404, f"service_request_id {service_request_id!r} not found.")
    return respond(
        fmt,
        "service_requests",
        [_service_request(found, integration_id=integration_id)],
    )


@csrf_exempt
def token(request, token, fmt):
    if request.method != "GET":
        return _method_not_allowed(fmt, ["GET"])
    integration_id, refusal = _reader(request, fmt)
    if refusal:
        return refusal
    found = queries.open311_petition_for_token(token, integration_id=integration_id)
    if found is None:
        return error(fmt, 404, f"token {token!r} not found.")
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": found.tracking_code, "token": token}],
    )


@csrf_exempt
# --- filing a request ----------------------------------------------------------------


def _file_request(request, fmt):
    # Read and checked by config.boundary before any view: UTF-8, no NUL, in size.
    params = request.POST.copy()
    for name, values in request.GET.lists():
        params.setlist(name, params.getlist(name) + values)
    repeated = _repeated(params)
    if repeated:
        return error(fmt, 400, *repeated)
    refusal = _jurisdiction_refusal(params, fmt)
    if refusal:
        return refusal
    now = timezone.now()
    admission = keys.admit(params.get("api_key"), now=now)
    if admission is None:
        return error(fmt, 403, "api_key is missing or not valid.")
    refusal = _throttled(admission.verdict, fmt, now)
    if refusal:
        return refusal
    arguments, problems = _intake_arguments(params)
    if problems:
        return error(fmt, 400, *problems)
    try:
        submission = group_intake.submit_petition(
            channel=Channel.OPEN311,
            integration_id=admission.api_key.integration_id,
            **arguments,
        )
    except DuplicateSubmission as duplicate:
        return _filed(fmt, duplicate.petition, status=200)
    except ConflictingSubmission as conflict:
        return error(fmt, 409, f"{PARAMETER_NAMES['channel_ref']}: {conflict.message}")
    except InvalidInput as invalid:
        name = PARAMETER_NAMES.get(invalid.field, invalid.field or "request")
        return error(fmt, 400, f"{name}: {invalid.message_naming(name)}")
    return _filed(fmt, submission.petition, status=201)


def _repeated(params) -> list[str]:
    """A problem for each parameter given more than once, in the body or the
    query string. No parameter of Open311 is repeated (a list is one value,
    comma-separated), and Django would read one of the values without a word:
    the client may have meant the other (status=open&status=closed)."""
    problems = [
        f"{name}: given more than once."
        for name, values in params.lists()
        if len(values) > 1
    ]
    # One attribute under both of its spellings, attribute[x] and attribute[x][].
    spellings: dict[str, list[str]] = {}
    for name in params:
        if match := ATTRIBUTE_KEY.match(name):
            spellings.setdefault(match.group(1), []).append(name)
    problems += [
        f"{' and '.join(names)}: the same attribute given more than once."
        for names in spellings.values()
        if len(names) > 1
    ]
    return problems


def _filed(fmt, petition, *, status):
    return respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": petition.tracking_code,
                "service_notice": "",
                "account_id": None,
            }
        ],
        status=status,
    )


def _intake_arguments(params) -> tuple[dict, list[str]]:
    """Intake service arguments from the POST parameters, and what is wrong."""
    problems = []
    refused = set()  # a refused value is named once, not also as missing

    def text(name, limit=MAX_TEXT_LENGTH, value=None):
        value = params.get(name, "") if value is None else value
        problem = _text_problem(value, limit)
        if problem:
            problems.append(f"{name}: {problem}")
            refused.add(name)
            return ""
        return value.strip()

    def missing(*names):
        return not refused.intersection(names)

    attributes = {}
    for key in params:
        match = ATTRIBUTE_KEY.match(key)
        if not match:
            continue
        code = match.group(1)
        attribute = ATTRIBUTES_BY_CODE.get(code)
        if attribute is None:
            problems.append(f"{key}: not an attribute of this service.")
            continue
        value = text(
            key, rules.TITLE_MAX_LENGTH if code == "title" else MAX_TEXT_LENGTH
        )
        if value and attribute.choices and value not in dict(attribute.choices):
            keys_ = ", ".join(k for k, _ in attribute.choices)
            problems.append(f"{key}: {value!r} is not one of {keys_}.")
        attributes[code] = value

    service_code = text("service_code", 60)
    if not service_code and missing("service_code"):
        problems.append("service_code: required.")
    description = text("description", MAX_DESCRIPTION_LENGTH)
    if not description and missing("description"):
        problems.append("description: required.")
    name = " ".join(
        part for part in (text("last_name", 100), text("first_name", 100)) if part
    )
    if not name and missing("last_name", "first_name"):
        problems.append("first_name/last_name: give the submitter's name.")
    email = text("email", rules.EMAIL_MAX_LENGTH)
    if email and not rules.is_email(email):
        problems.append("email: not a valid email address.")
    phone = text("phone", rules.PHONE_MAX_LENGTH)
    external_id = text("external_id", rules.CHANNEL_REF_MAX_LENGTH)
    where, extras = _location(problems, text)
    units = {}
    for code in ("province", "commune"):
        if attributes.get(code):
            units[code] = parse_number(attributes[code])
            if units[code] is None:
                problems.append(f"attribute[{code}]: an official code, in digits 0-9.")
    if not attributes.get("province") and missing("attribute[province]"):
        problems.append("attribute[province]: required.")
    title = attributes.get("title") or _title_from(description)
    if description and not rules.has_text(title):
        # Named as sent: the client gave a description, not a title.
        problems.append("description: no line of it shows any text.")
    if problems:
        return {}, problems
    content = "\n\n".join([description, *extras]) if extras else description
    return {
        "submitter_kind": attributes.get("submitter_kind") or SubmitterKind.CITIZEN,
        "submitter_name": name,
        "email": email,
        "phone": phone,
        "tax_code": attributes.get("tax_code", ""),
        "title": title,
        "content": content,
        "category": service_code,
        "province": units["province"],
        "commune": units.get("commune"),
        "language": attributes.get("language") or "vi",
        "publish_consent": attributes.get("publish_consent") == "true",
        "channel_ref": external_id or None,
        **where,
    }, []


def _location(problems, text) -> tuple[dict, list[str]]:
    """Where the client pointed: address and point as the petition's own fields
    (served back by _service_request), the rest kept in the text for the handler."""
    where = {"place": text("address_string", rules.PLACE_MAX_LENGTH)}
    lat, long = text("lat", 30), text("long", 30)
    try:
        where.update(rules.clean_place(where["place"], lat, long))
    except InvalidInput as error:
        problems.append(
            "lat/long: give both, as decimal degrees on the globe."
            if error.field == "latitude"
            else f"address_string: at most {rules.PLACE_MAX_LENGTH} characters."
        )
    lines = []
    for name, label in (
        ("address_id", "Mã địa chỉ"),
        ("media_url", "Ảnh, tệp đính kèm"),
    ):
        value = text(name, 1000)
        if value:
            lines.append(f"{label} ({name}): {value}")
    return where, lines


def _title_from(description: str) -> str:
    """The description's first line that shows text (a line of a zero-width space
    alone titles nothing), shortened to a title's length; "" if none does."""
    lines = (" ".join(line.split()) for line in description.split("\n"))
    line = next((line for line in lines if rules.has_text(line)), "")
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1] + "…"


def _text_problem(value, limit) -> str | None:
    if (found := rules.forbidden_character(value)) is not None:
        return (
            f"must not contain {found} (a control character or a direction override)."
        )
    try:
        value.encode()
    except UnicodeEncodeError:
        return "not valid Unicode text."
    if len(value) > limit:
        return f"at most {limit} characters."
    return None


# --- reading requests ----------------------------------------------------------------


def _filtered(params, *, integration_id):
    """Petitions for GET requests: the spec's filters, newest first, at most 1000."""
    petitions = queries.open311_requests(integration_id=integration_id)
    ids = _split(params.get("service_request_id", ""))
    if ids:
        # service_request_id overrides every other filter (GeoReport v2).
        codes = [code.upper() for code in ids[: queries.OPEN311_MAX_REQUESTS]]
        return petitions.filter(tracking_code__in=codes).order_by("-received_at"), []
    problems = []
    service_codes = _split(params.get("service_code", ""))
    if service_codes:
        petitions = petitions.filter(category__code__in=service_codes)
    statuses = set(_split(params.get("status", "")))
    if statuses - {"open", "closed"}:
        problems.append("status: use open, closed or both (comma-separated).")
    elif statuses == {"open"}:
        petitions = petitions.filter(state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        petitions = petitions.exclude(state__in=OPEN_STATES)
    start, end = (
        _moment(params, name, problems) for name in ("start_date", "end_date")
    )
    if start is None and end is None:
        start = timezone.now() - DEFAULT_SPAN
    elif start is None:
        start = end - DEFAULT_SPAN
    if end is not None and start is not None and end < start:
        problems.append("end_date: before start_date.")
    if problems:
        return None, problems
    petitions = petitions.filter(received_at__gte=start)
    if end is not None:
        petitions = petitions.filter(received_at__lte=end)
    return petitions.order_by("-received_at")[: queries.OPEN311_MAX_REQUESTS], []


def _moment(params, name, problems):
    value = params.get(name, "").strip()
    if not value:
        return None
    moment = parse_w3c(value)
    if moment is None:
        problems.append(
            f"{name}: not a W3C date-time (e.g. 2026-03-02T08:00:00+07:00)."
        )
    elif not EARLIEST_DATE <= moment <= LATEST_DATE:
        problems.append(f"{name}: give a date from 1900 to 9998.")
        return None
    else:
        # In UTC: Python takes offsets up to ±23:59, PostgreSQL only to ±15:59.
        moment = moment.astimezone(UTC)
    return moment


def parse_w3c(value: str) -> datetime | None:
    """A W3C date or date-time; without an offset it is Vietnam's time."""
    if not value.isascii():  # Django's date regex would take "٢٠٢٦" for 2026
        return None
    # A "+" left unescaped in a query string arrives as a space.
    value = re.sub(r" (\d\d(:?\d\d)?)$", r"+\1", value.strip())
    if not W3C_MOMENT.fullmatch(value):
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _service_request(petition, *, integration_id) -> dict:
    """A request as GeoReport v2 shows it: in full to the integration that filed
    it, otherwise as the public may see it on /answers/ (masked texts once
    published, the province alone, nothing about the submitter)."""
    facts = serialize_petition(petition)
    if (
        petition.integration_id is not None
        and petition.integration_id == integration_id
    ):
        shown = str
        place = [unit.name for unit in (petition.commune, petition.province) if unit]
        place = [petition.place, *place] if petition.place else place
        point = (petition.latitude, petition.longitude)
    else:
        # Free text reaches the public only as /answers/ shows it: once a
        # supervisor has read the masked text and hidden what the masking missed
        # (names typed without diacritics, third persons…). Until then a request
        # is listed by its service, status, agency and dates, without text.
        masked = partial(mask_for_public, petition)
        shown = masked if petition.answer_is_public else _no_text
        place = [petition.province.name]
        point = (None, None)
    return {
        "service_request_id": facts["tracking_code"],
        "status": "open" if facts["is_open"] else "closed",
        "status_notes": _status_notes(petition, facts, shown),
        "service_name": _service_name(petition.category),
        "service_code": facts["category"],
        "description": shown(petition.content),
        "agency_responsible": facts["agency"] or "",
        "service_notice": "",
        "requested_datetime": facts["received_at"],
        "updated_datetime": w3c(getattr(petition, "updated_at", None))
        or facts["received_at"],
        "expected_datetime": facts["due_at"],
        "address": ", ".join(place),
        "address_id": "",
        "zipcode": "",
        "lat": None if point[0] is None else float(point[0]),
        "long": None if point[1] is None else float(point[1]),
        "media_url": "",
    }


def _no_text(text: str) -> str:
    return ""


def _status_notes(petition, facts, shown) -> str:
    """The answer, or a rejection's reason and where to turn, as `shown` lets the
    reader see them; else (or when `shown` shows no text) the state's name."""
    if facts["answer"]:
        text = facts["answer"]
    elif petition.state == State.REJECTED:
        text = " ".join(
            part for part in (petition.rejection_reason, petition.redirect_hint) if part
        )
    else:
        text = ""
    return shown(text) or facts["state_label"]


def _service_name(category) -> str:
    if translation.get_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def _attribute_definition(attribute, order) -> dict:
    choices = attribute.choices
    if attribute.code == "province":
        choices = [
            (str(code), name)
            for code, name in Province.objects.current()
            .order_by("code")
            .values_list("code", "name")
        ]
    return {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description,
        "order": order,
        "description": attribute.description,
        "values": [{"key": key, "name": name} for key, name in choices],
    }


# --- checks shared by the views ---------------------------------------------------


def _refuse_get(request, fmt):
    if request.method != "GET":
        return _method_not_allowed(fmt, ["GET"])
    if repeated := _repeated(request.GET):
        return error(fmt, 400, *repeated)
    return _jurisdiction_refusal(request.GET, fmt)


def _jurisdiction_refusal(params, fmt):
    # An empty jurisdiction_id counts as absent; a server of one jurisdiction
    # answers for that one only.
    jurisdiction = params.get("jurisdiction_id", "").strip()
    if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
        return error(fmt, 404, f"jurisdiction_id {jurisdiction!r} not found.")
    return None


def _reader(request, fmt):
    """The integration of the key a reader may send (or None), or a refusal.

    Reading needs no key; a wrong one is refused rather than ignored, so that a
    client does not mistake a shorter list for the whole.
    """
    if repeated := _repeated(request.GET):
        return None, error(fmt, 400, *repeated)
    refusal = _jurisdiction_refusal(request.GET, fmt)
    if refusal or not request.GET.get("api_key", "").strip():
        return None, refusal
    now = timezone.now()
    admission = keys.admit(request.GET["api_key"], now=now)
    if admission is None:
        return None, error(fmt, 403, "api_key is not valid.")
    return admission.api_key.integration_id, _throttled(admission.verdict, fmt, now)


def _throttled(verdict, fmt, now):
    if verdict is None or verdict.allowed:
        return None
    retry_after = verdict.retry_after_seconds(now)
    response = error(
        fmt, 429, f"More than {verdict.limit} requests a minute with this api_key."
    )
    response["Retry-After"] = str(retry_after)
    return response


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


# --- rendering ---------------------------------------------------------------------


def respond(fmt, root, data, *, status=200) -> HttpResponse:
    """`data` as JSON, or as XML under `root` with the spec's element names."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
            _element(root, data), encoding="unicode"
        )
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt, status, *descriptions) -> HttpResponse:
    return respond(
        fmt,
        "errors",
        [{"code": status, "description": text} for text in descriptions],
        status=status,
    )


def _method_not_allowed(fmt, allowed):
    response = error(fmt, 405, f"Use {' or '.join(allowed)} here.")
    response["Allow"] = ", ".join(allowed)
    return response


def _element(tag, value) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for name, item in value.items():
            element.append(_element(name, item))
    elif isinstance(value, list):
        for item in value:
            element.append(_element(ITEM_TAGS[tag], item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("", str(value))
    return element
