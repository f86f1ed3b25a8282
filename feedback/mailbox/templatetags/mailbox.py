"""The triage queue's line about e-mails waiting (workflow's page, this app's data)."""

from django import template

from feedback.mailbox.queries import pending_drafts

register = template.Library()


@register.inclusion_tag("feedback/mailbox/_waiting.html")
def mailbox_waiting():
    drafts = pending_drafts()
    return {"count": drafts.count(), "oldest": drafts.first()}
