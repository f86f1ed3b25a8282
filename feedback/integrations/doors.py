"""Which machine door a request came to, and how that door says no.

A refusal decided before any view runs (a malformed request, a server that cannot
answer) must still reach a machine client in the format it reads: JSON for the
intake API, GeoReport v2's error list for Open311. The site's own pages have no
such format; for them `door_refusal` returns None and the caller renders a page.
"""

from django.http import HttpResponse

API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"


def is_machine_door(path: str) -> bool:
    """A path of the intake API or Open311 (`request.path_info`)."""
    return path.startswith(API_PREFIX) or path.startswith(OPEN311_PREFIX)


def door_refusal(
    request, status: int, code: str, message: str, *, errors=None, open311_message=None
) -> HttpResponse | None:
    """The refusal in the format of the door `request` came to; None for a site page.

    `code` is the intake API's error code (`invalid`, `too_large`…); `errors`
    names the bad fields, {field: [messages]}, when the refusal is about fields;
    `open311_message`, if given, is what Open311 clients read instead of `message`.
    """
    # Imported here: both views import their own app, which imports this module.
    from feedback.integrations import api, open311

    path = request.path_info
    if path.startswith(API_PREFIX):
        extra = {"errors": errors} if errors else {}
        return api.error_response(status, code, message, **extra)
    if path.startswith(OPEN311_PREFIX):
        fmt = "xml" if path.endswith(".xml") else "json"
        descriptions = (
            [f"{name}: {text}" for name, texts in errors.items() for text in texts]
            if errors
            else [open311_message or message]
        )
        return open311.error(fmt, status, *descriptions)
    return None
