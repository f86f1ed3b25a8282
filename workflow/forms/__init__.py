"""Staff forms, one module per page: the queue (queue.py), the case page's action
forms (case.py). The names the views use are
importable from here."""

from workflow.forms.case import ACTION_FORMS, ActionForm
from workflow.forms.queue import BulkAssignForm, BulkResult, QueueFilterForm

__all__ = [
    "ACTION_FORMS",
    "ActionForm",
    "BulkAssignForm",
    "BulkResult",
    "QueueFilterForm",
]
