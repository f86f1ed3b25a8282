"""The intake API's request body: one table read by the validator and the schema.

The workflow's intake service checks meaning (a known category, a current
province, a reachable submitter); this table checks shape (types, lengths, known
fields) so that every malformed field is named at once, before the service runs.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import accumulate

from workflow import intake_rules as rules
from workflow.codes import MAX_CODE
from workflow.errors import InvalidInput
from workflow.models import Priority, SubmitterKind
from workflow.privacy.consent import IntakeConsent
from workflow.privacy.models import Consent

# The largest petition body, every character written as the \u escapes of an
# astral character (12 bytes), is about 260 KB; a longer body is not parsed.
MAX_BODY_BYTES = 512 * 1024
# A petition is two levels deep (its submitter); the JSON parser recurses once per
# level, and thousands of levels would exhaust Python's stack.
MAX_DEPTH = 8


# What a required text must hold: a character a reader sees, as intake checks it
# (workflow.intake_rules.has_text; a title of U+0085 or of zero-width marks alone
# is no title).
NON_BLANK = rules.VISIBLE_CHARACTER
# A value that counts as left out: nothing but such whitespace.
BLANK = r"^[\s\x1c-\x1f\x85]*$"
# What a text field takes, as the schema publishes it: no character no text may
# hold (workflow.intake_rules.FORBIDDEN_CHARACTER) and, if required, one a reader
# sees.
REQUIRED_TEXT = (
    rf"^[^{rules.FORBIDDEN_CHARACTERS}]*{NON_BLANK}[^{rules.FORBIDDEN_CHARACTERS}]*$"
)
OPTIONAL_TEXT = rf"^[^{rules.FORBIDDEN_CHARACTERS}]*$"


@dataclass(frozen=True)
class Field:
    kind: type  # str, int or bool
    description: str
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    is_email: bool = False
    # An intake rule for the value as sent (raises InvalidInput), and the same
    # rule as the pattern the schema publishes (workflow.intake_rules).
    rule: Callable[[str], object] | None = None
    pattern: str | None = None


SUBMITTER_FIELDS = {
    "kind": Field(
        str, "citizen (default) or business", choices=tuple(SubmitterKind.values)
    ),
    "name": Field(
        str, "Full name", required=True, max_length=rules.SUBMITTER_NAME_MAX_LENGTH
    ),
    "email": Field(
        str,
        "Email address (email or phone required)",
        max_length=rules.EMAIL_MAX_LENGTH,
        is_email=True,
    ),
    "phone": Field(
        str,
        "Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678 "
        "(email or phone required)",
        max_length=rules.PHONE_MAX_LENGTH,
        rule=rules.clean_phone,
        pattern=rules.PHONE_AS_TYPED,
    ),
    "tax_code": Field(
        str,
        "Tax code: required for a business (10 digits, or 10-3)",
        max_length=rules.TAX_CODE_MAX_LENGTH,
        rule=partial(rules.clean_tax_code, submitter_kind=SubmitterKind.CITIZEN),
        pattern=rules.TAX_CODE_AS_TYPED,
    ),
}

PETITION_FIELDS = {
    "external_id": Field(
        str,
        "The portal's own id: sending it again returns the first petition",
        required=True,
        max_length=rules.CHANNEL_REF_MAX_LENGTH,
    ),
    "title": Field(str, "Title", required=True, max_length=rules.TITLE_MAX_LENGTH),
    "content": Field(str, "Text", required=True, max_length=rules.CONTENT_MAX_LENGTH),
    "category": Field(str, "Category code", required=True, max_length=60),
    "province": Field(int, "Official province code", required=True),
    "commune": Field(int, "Official commune/ward code, in the province"),
    "priority": Field(
        str, "normal (default) or urgent", choices=tuple(Priority.values)
    ),
    "language": Field(str, "vi (default) or en", choices=("vi", "en")),
    "publish_consent": Field(bool, "May the petition and answer be published"),
    "consent_reference": Field(
        str,
        "The portal's reference to the personal-data notice the submitter accepted "
        "there (recorded with the consent)",
        max_length=200,
    ),
}

# Workflow service argument → API field, for errors the service reports.
SERVICE_FIELD_NAMES = {
    "submitter_kind": "submitter.kind",
    "submitter_name": "submitter.name",
    "email": "submitter.email",
    "phone": "submitter.phone",
    "tax_code": "submitter.tax_code",
    "channel_ref": "external_id",
}


class MalformedBody(ValueError):
    """The body is not one JSON value this API reads; the message says why."""


def parse_body(raw: bytes):
    """The JSON value of a body of at most MAX_BODY_BYTES: UTF-8 (RFC 8259), at most
    MAX_DEPTH levels deep, checked before it is parsed; no object repeats a key,
    and every integer is one Python can read."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedBody(f"Not UTF-8 (byte {error.start}).") from None
    if json_depth(text) > MAX_DEPTH:
        raise MalformedBody(f"Nested deeper than {MAX_DEPTH} levels.")
    try:
        return json.loads(
            text, object_pairs_hook=_object_of_unique_keys, parse_int=_integer
        )
    except MalformedBody:
        raise
    except ValueError as error:
        raise MalformedBody(f"Malformed JSON: {error}") from None


def _object_of_unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """An object whose every key appears once. RFC 8259 leaves a repeated key's
    meaning open and Python keeps the last: the sender may have logged the first,
    and the petition stored would not be the one it believes it sent."""
    value = dict(pairs)
    if len(value) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                quoted = json.dumps(key, ensure_ascii=False)
                raise MalformedBody(f"The key {quoted} appears more than once.")
            seen.add(key)
    return value


def _integer(digits: str) -> int:
    # The scanner has checked the digits; int() refuses only a number longer than
    # Python's limit (4,300 digits), in words meant for programmers.
    try:
        return int(digits)
    except ValueError:
        raise MalformedBody("A number is too long.") from None


# A JSON string, or one left open, which runs to the end (possessive: the scan
# never backtracks, so it stays linear on any input); text between brackets.
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_STEP = [0] * 128
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text`, brackets inside strings aside.

    Counted without parsing, so that a malformed text is measured too (its
    brackets need not match), in tens of milliseconds for MAX_BODY_BYTES.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)).encode()
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def parse_petition(data) -> tuple[dict, dict[str, list[str]]]:
    """Service arguments from a decoded JSON body, and the errors per field."""
    if not isinstance(data, dict):
        return {}, {"body": ["Send a JSON object."]}
    errors: dict[str, list[str]] = {}
    values = _check_object(data, PETITION_FIELDS, "", errors, extra=("submitter",))
    submitter = data.get("submitter")
    if not isinstance(submitter, dict):
        errors["submitter"] = [
            "submitter is required."
            if submitter is None
            else "submitter must be an object."
        ]
        submitter_values = {}
    else:
        submitter_values = _check_object(
            submitter, SUBMITTER_FIELDS, "submitter.", errors
        )
    if errors:
        return {}, errors
    arguments = {
        "channel_ref": values["external_id"],
        "submitter_kind": submitter_values.get("kind") or SubmitterKind.CITIZEN,
        "submitter_name": submitter_values["name"],
        "email": submitter_values.get("email") or "",
        "phone": submitter_values.get("phone") or "",
        "tax_code": submitter_values.get("tax_code") or "",
    }
    for name in ("title", "content", "category", "province", "commune"):
        arguments[name] = values.get(name)
    for name in ("priority", "language", "publish_consent"):
        if values.get(name) is not None:
            arguments[name] = values[name]
    # The portal asks for consent in its own flow (workflow.privacy.consent).
    arguments["consent"] = IntakeConsent(
        basis=Consent.Basis.PORTAL, reference=values.get("consent_reference") or ""
    )
    return arguments, {}


def external_id_of(data) -> str | None:
    """The portal's id in a body, when it is a usable one (even if the rest is not)."""
    if not isinstance(data, dict):
        return None
    value = data.get("external_id")
    if _problem(value, PETITION_FIELDS["external_id"]) or not value.strip():
        return None
    return rules.clean_channel_ref(value)


def api_field(service_field: str | None) -> str:
    return SERVICE_FIELD_NAMES.get(service_field or "", service_field or "body")


def _check_object(data, fields, path, errors, extra=()):
    values = {}
    for name in data:
        if name not in fields and name not in extra:
            errors[f"{path}{name}"] = ["Unknown field."]
    for name, field in fields.items():
        # An optional field may be null, which means the same as leaving it out.
        if name not in data or (data[name] is None and not field.required):
            if field.required:
                errors[f"{path}{name}"] = [f"{name} is required."]
            continue
        problem = _problem(data[name], field)
        if problem is None and field.required and field.kind is str:
            problem = None if data[name].strip() else f"{name} is required."
        if problem:
            errors[f"{path}{name}"] = [problem]
        else:
            values[name] = data[name]
    return values


def _problem(value, field) -> str | None:
    if field.kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            return "Must be an integer."
        if not 1 <= value <= MAX_CODE:
            return f"Must be between 1 and {MAX_CODE}."
        return None
    if field.kind is bool:
        return None if isinstance(value, bool) else "Must be true or false."
    if not isinstance(value, str):
        return "Must be a string."
    if (found := rules.forbidden_character(value)) is not None:
        return (
            f"Must not contain {found} (a control character or a direction override)."
        )
    try:
        value.encode()
    except UnicodeEncodeError:
        return "Must be valid Unicode text."
    if field.max_length is not None and len(value) > field.max_length:
        return f"At most {field.max_length} characters."
    if field.choices and value not in field.choices:
        return f"Use one of: {', '.join(field.choices)}."
    if field.is_email and value.strip():
        # As sent: spaces around an address are not part of it (the schema's
        # format: email says the same).
        if value != value.strip() or not rules.is_email(value):
            return "Enter a valid email address."
    if field.rule is not None:
        try:
            field.rule(value)
        except InvalidInput as error:
            return error.message
    return None
