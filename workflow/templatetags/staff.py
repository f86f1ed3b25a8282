"""How templates name staff: {{ petition.handler|staff_name }} (workflow.models)."""

from django import template

from workflow.models import staff_name

register = template.Library()

register.filter("staff_name", staff_name)
