"""Logs: JSON lines on stdout in production, one per request and one per event.

Every line logged while a request is served carries its request id (the proxy's
X-Request-ID when it sent a sane one, else a new one, echoed in the response), and
the request's own line its method, path, status, duration, actor and the
petition's tracking code when the request named or created one.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.urls import Resolver404, resolve
from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request id", default=None)
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
logger = logging.getLogger("pakn.request")


class RequestContextFilter(logging.Filter):
    """Adds the current request's id to every record logged while it is served
    (and to Django's own line about its answer, logged after the middleware)."""

    def filter(self, record):
        served = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            record.request_id = getattr(served, "request_id", None) or request_id.get()
        if hasattr(served, "path") and hasattr(served, "method"):
            # Django's lines about an answer carry the request, which a JSON line
            # would print whole, query string and all ("?q=an@example.vn"): the
            # method and path are what a log keeps (README, "Logs").
            record.request = f"{served.method} {served.path}"
        return True


class JsonLines(JsonFormatter):
    """python-json-logger with the fields an operator filters on."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "{asctime}{levelname}{name}{message}{request_id}")
        kwargs.setdefault("style", "{")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)


class RequestLogMiddleware:
    """One line per request, after its answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            if not logger.isEnabledFor(logging.INFO):
                # LOG_LEVEL=WARNING: no line, so no need to work out its fields
                # (the code of a created petition costs a URL resolution).
                return response
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "actor": _actor(request),
                    "petition": _petition_code(request, response),
                },
            )
            return response
        finally:
            request_id.reset(token)


def _actor(request) -> str | None:
    """The signed-in staff member, if the view looked them up (no extra query)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", None)
    if wrapped is None or wrapped is empty:  # the view never looked
        return None
    return wrapped.get_username() if wrapped.is_authenticated else None


def _petition_code(request, response) -> str | None:
    """The tracking code in the path, or in the Location of what was created."""
    match = getattr(request, "resolver_match", None)
    code = match.kwargs.get("tracking_code") if match else None
    location = response.get("Location", "") if response.status_code == 201 else ""
    if code is None and location.startswith("/"):
        try:
            code = resolve(location).kwargs.get("tracking_code")
        except Resolver404:
            code = None
    return code
