"""Message texts: templates/notifications/<language>/<event>-<part>.txt.

Parts are `subject`, `body` (email) and `sms`. The row's language picks the folder;
a text missing in English falls back to Vietnamese, the language of record. The
context is what the row carried at queue time (a snapshot of the event) over what
can be read now about the petition.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation
from django.utils.dateparse import parse_datetime

from notifications.channels import PermanentFailure
from notifications.sealing import Unsealable, open_context

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str


def render(notification) -> Rendered:
    """Render one row's texts in its language; a missing template cannot be retried."""
    language = (
        notification.language
        if notification.language in LANGUAGES
        else DEFAULT_LANGUAGE
    )
    with translation.override(language):
        context = {
            "site_url": settings.SITE_URL.rstrip("/"),
            "language": language,
            **petition_facts(notification.petition_id),
            **_with_datetimes(_opened(notification.context)),
        }
        event = notification.event
        try:
            subject = _render(event, "subject", language, context)
        except TemplateDoesNotExist:
            raise PermanentFailure(
                f"No message template for event {event!r} "
                f"(templates/notifications/{language}/{event}-subject.txt)."
            ) from None
        body = _render(event, "body", language, context)
        try:
            sms = _render(event, "sms", language, context)
        except TemplateDoesNotExist:
            sms = subject
    return Rendered(
        subject=" ".join(subject.split()),
        body=re.sub(r"\n{3,}", "\n\n", body).strip() + "\n",
        sms=" ".join(sms.split()),
    )


def _opened(context):
    try:
        return open_context(context or {})
    except Unsealable as error:
        # Retrying cannot help: no key will open it later either.
        raise PermanentFailure(str(error)) from None


def _render(event, part, language, context) -> str:
    names = [f"notifications/{language}/{event}-{part}.txt"]
    if language != DEFAULT_LANGUAGE:
        names.append(f"notifications/{DEFAULT_LANGUAGE}/{event}-{part}.txt")
    # Plain text: HTML escaping would turn "Sở TN&MT" into "Sở TN&amp;MT".
    return select_template(names).template.render(Context(context, autoescape=False))


def _with_datetimes(context: dict) -> dict:
    """JSON keeps datetimes as ISO strings; templates format real datetimes.

    Lists of dicts (the petitions of a digest) are converted too.
    """

    def convert(key, value):
        if key.endswith("_at") and isinstance(value, str):
            return parse_datetime(value) or value
        if isinstance(value, list):
            return [_with_datetimes(v) if isinstance(v, dict) else v for v in value]
        return value

    return {key: convert(key, value) for key, value in (context or {}).items()}


# Reads what a message may say about its petition, now (read-only). The app that
# owns petitions provides it at start-up (workflow.apps): notifications is below
# workflow and imports nothing of it.
_petition_facts: Callable[[int], dict] | None = None


def provide_petition_facts(reader: Callable[[int], dict]) -> None:
    global _petition_facts
    _petition_facts = reader


def petition_facts(petition_id) -> dict:
    """What a message may say about its petition, read now, in the active language."""
    if petition_id is None or _petition_facts is None:
        return {}
    return _petition_facts(petition_id)
