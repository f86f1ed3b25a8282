"""What feedback adds to workflow's staff case page: the submitter's files.

The case page belongs to workflow, which does not know feedback's models; its
template loads this library for the part feedback owns.
"""

from django import template

from feedback import duplicates, queries, replies
from feedback.staff.replies import ReplyDocumentForm
from workflow.access import staff_actor
from workflow.models import Action
from workflow.permissions import StaffRoles, is_allowed
from workflow.privacy.sensitive import may_mark_sensitive

register = template.Library()


@register.inclusion_tag("feedback/_staff_attachments.html", takes_context=True)
def staff_attachments(context, petition):
    actor = staff_actor(context["request"])
    attachments, withheld = queries.staff_attachments(petition, actor)
    return {
        "petition": petition,
        "attachments": attachments,
        "withheld": withheld,
        "may_mark": may_mark_sensitive(actor, petition),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("feedback/_reply_documents.html", takes_context=True)
def reply_documents(context, petition):
    """The agency's official reply documents, and the form to attach one where
    the staff member may (feedback.replies)."""
    roles = StaffRoles.of(staff_actor(context["request"]))
    may_attach = is_allowed(roles, petition, Action.ATTACH_REPLY)
    return {
        "petition": petition,
        "documents": replies.reply_documents(petition),
        "form": ReplyDocumentForm(initial={"version": petition.version})
        if may_attach
        else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("feedback/_staff_similar.html", takes_context=True)
def similar_petitions(context, petition):
    """Open petitions like this one that the staff member may see, each with a
    one-step merge into it (the case page's own merge form, prefilled)."""
    request = context["request"]
    merge = next(
        (form for form, _ in context.get("forms", ()) if form.action == Action.MERGE),
        None,
    )
    similar = duplicates.similar_open_petitions(
        category=petition.category,
        commune=petition.commune,
        title=petition.title,
        content=petition.content,
        exclude_id=petition.pk,
        agency_ids=staff_actor(request).visible_agency_ids(),
    )
    return {
        "petition": petition,
        "similar": similar,
        "merge": merge,
        "csrf_token": context.get("csrf_token"),
    }
