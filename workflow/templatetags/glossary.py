"""The glossary's words in templates (workflow.glossary)."""

from django import template

from workflow import glossary

register = template.Library()

register.filter("sla_status_label", glossary.sla_status_label)


@register.simple_tag
def term(name: str) -> str:
    """One of the glossary's named words: {% term "REPORT" %}."""
    return str(getattr(glossary, name))
