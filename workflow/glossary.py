"""The product's words: one name for each status and figure, used by every page.

Staff, auditors and citizens read the same word for the same thing: the queue's
badge, the case pages, the auditor's report and its CSV, the public statistics.
docs/staff.md lists these words; change one here, and every page follows.
"""

from django.utils.translation import gettext_lazy as _

from workflow.deadlines import AT_RISK, MET, OVERDUE, PAUSED
from workflow.deadlines import ON_TRACK as WITHIN_DEADLINE

# How a petition stands against its deadlines (workflow.sla.sla_status).
SLA_STATUS = {
    WITHIN_DEADLINE: _("Trong hạn"),
    AT_RISK: _("Sắp đến hạn"),
    OVERDUE: _("Quá hạn"),
    PAUSED: _("Tạm dừng, chờ bổ sung thông tin"),
    MET: _("Đúng hạn"),
}

# The report's columns, each with its number, label and definition, are
# workflow.reports.columns: the report, its exports, the drill-down and /stats/
# read them there.

# The auditor's report, as the menu and the page's title name it (the official name).
REPORT = _("Báo cáo tình hình tiếp nhận, giải quyết phản ánh, kiến nghị")


def sla_status_label(status: str) -> str:
    """The word for an SLA status (a status this module does not know reads as is)."""
    return str(SLA_STATUS.get(status, status))
