"""Staff forms, one module per page: the queue (queue.py), the case page's action
forms (case.py) and the auditor reports (reports.py). The names the views use are
importable from here."""

from workflow.forms.case import ACTION_FORMS, ActionForm
from workflow.forms.queue import BulkAssignForm, BulkResult, QueueFilterForm
from workflow.forms.reports import BackdatedForm, DrillDownForm, PeriodForm

__all__ = [
    "ACTION_FORMS",
    "ActionForm",
    "BackdatedForm",
    "BulkAssignForm",
    "BulkResult",
    "DrillDownForm",
    "PeriodForm",
    "QueueFilterForm",
]
