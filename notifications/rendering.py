"""Message texts: templates/notifications/<language>/<event>-<part>.txt.

Parts are `subject`, `body` (email) and `sms`. The row's language picks the folder;
a text missing in English falls back to Vietnamese, the language of record. The
context is what the row carried at queue time (a snapshot of the event) over what
can be read now about the petition.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation
from django.utils.dateparse import parse_datetime

from notifications.channels import PermanentFailure

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
            **_with_datetimes(notification.context),
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


def petition_facts(petition_id) -> dict:
    """What a message may say about its petition, read now (read-only).

    The model is looked up through the app registry at call time: workflow imports
    notifications, never the other way round at import time.
    """
    if petition_id is None:
        return {}
    petition_model = apps.get_model("workflow", "Petition")
    petition = (
        petition_model.objects.select_related("agency").filter(pk=petition_id).first()
    )
    if petition is None:
        return {}
    return {
        "tracking_code": petition.tracking_code,
        "title": petition.title,
        "submitter_name": petition.submitter_name,
        "state": petition.state,
        "state_label": str(petition.get_state_display()),
        "due_at": petition.due_at,
        "answer": petition.answer,
        "rejection_reason": petition.rejection_reason,
        "redirect_hint": petition.redirect_hint,
        "agency_name": petition.agency.name if petition.agency_id else "",
    }
