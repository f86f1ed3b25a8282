"""What reaches a view from outside: a whole body, and text that is UTF-8 without NUL.

Django decodes query strings and form bodies leniently: bytes that are not UTF-8
become U+FFFD, and a form body that is not UTF-8 as a whole is read as Latin-1.
Two different values can then arrive as the same text (two client ids collapse
into one petition), text is stored changed, and a NUL reaches PostgreSQL, which
refuses it with a 500. So every request is checked here, before any view, and
refused with 400 naming the parameter, in the format of the door it came to
(feedback.integrations.doors): the intake API's JSON, Open311's error list, or
the site's 400 page.

The check decodes exactly as Django does (same splitting, same multipart
parser) but with a codec that keeps undecodable bytes as lone surrogates
(surrogateescape) instead of replacing them: valid UTF-8 never decodes to a lone
surrogate, so any one found marks bytes that were not UTF-8. What passes decodes
to the same text under Django's own UTF-8 decoding, which the views then read.

A body sent with `Transfer-Encoding: chunked` has no Content-Length, and Django
reads such a body as empty. `WholeBodies` (WSGI, config/wsgi.py) reads it whole
when the server has de-chunked it (gunicorn says so with `wsgi.input_terminated`);
one that still arrives chunked (a server that cannot de-chunk) gets 411.
"""

import codecs
import io
import re
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError

from config.errors import page

# Undecodable bytes and NUL, as they appear in text decoded with KEEP_UNDECODABLE.
_UNDECODABLE = re.compile("[\ud800-\udfff]")
_NUL = "\x00"

KEEP_UNDECODABLE = "utf-8-keep-undecodable"


def _keep_undecodable(name):
    if name.replace("-", "_") != KEEP_UNDECODABLE.replace("-", "_"):
        return None

    def decode(data, errors="strict"):
        # Whatever the caller asks (Django asks "replace"), bad bytes stay visible.
        return codecs.utf_8_decode(data, "surrogateescape", True)

    return codecs.CodecInfo(codecs.utf_8_encode, decode, name=KEEP_UNDECODABLE)


codecs.register(_keep_undecodable)


class Refusal(Exception):
    """A request refused before any view: its status, the API's error code, why."""

    def __init__(self, status, code, message, errors=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors  # {parameter: [problem]} when it is about parameters


class RefuseMalformedRequests:
    """Middleware: refuse what a view must never see (see the module docstring).

    Placed after the locale middleware, so that the site's 400 page is in the
    visitor's language, and before anything that reads parameters or the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except Refusal as refusal:
            return refusal_response(request, refusal)
        return self.get_response(request)


def check_request(request) -> None:
    """Raise Refusal when the request cannot be read faithfully."""
    if "HTTP_TRANSFER_ENCODING" in request.META:
        raise Refusal(
            411,
            "length_required",
            "Send the body with a Content-Length header: this server cannot "
            "read a body sent with Transfer-Encoding.",
        )
    # Django keeps the path's undecodable bytes percent-encoded (never U+FFFD),
    # so only a NUL can hurt there.
    if _NUL in request.path_info:
        raise Refusal(
            400,
            "invalid",
            "The path is not valid.",
            {"path": ["must not contain NUL characters."]},
        )
    charset = request.content_params.get("charset")
    if charset is not None and not _is_utf8(charset):
        raise Refusal(
            400,
            "invalid",
            "Send UTF-8 text.",
            {"charset": [f"{charset!r} is not accepted: send charset=utf-8."]},
        )
    query = _wsgi_bytes(request.META.get("QUERY_STRING", ""))
    errors = _field_problems(
        _parsed(lambda: QueryDict(query, encoding=KEEP_UNDECODABLE))
    )
    if request.method == "POST":
        errors.update(_body_problems(request))
    if errors:
        raise Refusal(400, "invalid", "Some parameters are not valid text.", errors)


def refusal_response(request, refusal):
    from feedback.integrations.doors import door_refusal

    return door_refusal(
        request,
        refusal.status,
        refusal.code,
        refusal.message,
        errors=refusal.errors,
    ) or page(request, refusal.status)


def _body_problems(request) -> dict:
    if request.content_type == "application/x-www-form-urlencoded":
        body = _parsed(lambda: request.body)
        return _field_problems(
            _parsed(lambda: QueryDict(body, encoding=KEEP_UNDECODABLE))
        )
    if request.content_type == "multipart/form-data":
        header_errors = _part_header_problems(request)  # before the body is parsed
        # Django's multipart parser decodes with the request's encoding; parsed
        # here once, the views read the same, already parsed, fields.
        request.encoding = KEEP_UNDECODABLE
        fields = _parsed(lambda: request.POST)
        files = _parsed(lambda: request.FILES)
        names = {name: [u.name or "" for u in ups] for name, ups in files.lists()}
        return {
            **_field_problems(fields),
            **_field_problems(names),
            **header_errors,
        }
    return {}


def _part_header_problems(request) -> dict:
    """Parts whose headers are not UTF-8: Django would skip them unread.

    Checked for a body kept in memory (up to DATA_UPLOAD_MAX_MEMORY_SIZE); a
    larger one carries files (the citizen form's attachments) and is streamed.
    """
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    length = request.META.get("CONTENT_LENGTH") or "0"
    boundary = request.content_params.get("boundary", "").encode("latin-1")
    if not boundary or not length.isascii() or not length.isdecimal():
        return {}
    if limit is not None and int(length) > limit:
        return {}
    errors = {}
    for part in _parsed(lambda: request.body).split(b"--" + boundary)[1:]:
        headers = part.partition(b"\r\n\r\n")[0]
        problem = _problem(headers.decode(KEEP_UNDECODABLE))
        if problem:
            name = re.search(rb'name="([^"]*)"', headers)
            label = _as_sent(name.group(1).decode(KEEP_UNDECODABLE)) if name else "?"
            errors[label] = [problem]
    return errors


def _parsed(read):
    """What `read` returns, or the Refusal for a body Django cannot read."""
    try:
        return read()
    except RequestDataTooBig:
        raise Refusal(413, "too_large", "The request body is too large.") from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise Refusal(400, "invalid", "Too many parameters or files.") from None
    except (MultiPartParserError, BadRequest, UnicodeDecodeError) as error:
        raise Refusal(400, "invalid", f"Malformed form body: {error}") from None


def _field_problems(fields) -> dict[str, list[str]]:
    errors = {}
    items = fields.lists() if hasattr(fields, "lists") else fields.items()
    for name, values in items:
        problems = [p for p in (_problem(name), *map(_problem, values)) if p]
        if problems:
            errors[_as_sent(name)] = problems[:1]
    return errors


def _problem(text: str) -> str | None:
    if _UNDECODABLE.search(text):
        return "not valid UTF-8 text."
    if _NUL in text:
        return "must not contain NUL characters."
    return None


def _as_sent(name: str) -> str:
    """A parameter name for a message: undecodable bytes and NUL percent-encoded."""
    raw = name.encode("utf-8", "surrogateescape")
    return quote(raw, safe="".join(chr(c) for c in range(0x21, 0x7F) if c != 0x25))


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


def _wsgi_bytes(value: str) -> bytes:
    # WSGI hands bytes over as Latin-1 text (PEP 3333).
    return value.encode("iso-8859-1")


class WholeBodies:
    """WSGI middleware: hand Django a chunked body whole, with its Content-Length.

    Only when the server says it de-chunked the body and ends it where the body
    ends (`wsgi.input_terminated`, set by gunicorn). At most the in-memory body
    limit (DATA_UPLOAD_MAX_MEMORY_SIZE) plus one byte is read: a longer body
    then counts as too large, as one with a Content-Length would.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and environ.get("wsgi.input_terminated"):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            body = environ["wsgi.input"].read(-1 if limit is None else limit + 1)
            environ = {
                **environ,
                "wsgi.input": io.BytesIO(body),
                "CONTENT_LENGTH": str(len(body)),
            }
            del environ["HTTP_TRANSFER_ENCODING"]
        return self.application(environ, start_response)
