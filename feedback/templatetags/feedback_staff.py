"""What feedback adds to workflow's staff case page: the submitter's files.

The case page belongs to workflow, which does not know feedback's models; its
template loads this library for the part feedback owns.
"""

from django import template

from feedback import queries

register = template.Library()


@register.inclusion_tag("feedback/_staff_attachments.html")
def staff_attachments(petition):
    return {"petition": petition, "attachments": queries.petition_attachments(petition)}
