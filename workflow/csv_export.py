"""CSV downloads of the auditor tables (built by workflow.reports.exports).

UTF-8 with a byte-order mark, so that spreadsheet software opens Vietnamese names
correctly instead of guessing a legacy code page. Long lists are streamed. Text
that a spreadsheet would run as a formula is neutralised (safe_cell).
"""

import csv

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from workflow.deadlines import VIETNAM
from workflow.models import staff_name

BOM = "\ufeff"
# A cell starting with one of these is a formula to spreadsheet software (OWASP,
# "CSV injection"): =HYPERLINK(…) in a petition's title would run on an auditor's
# computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that would start a formula gets a leading apostrophe, which spreadsheet
    software shows as text and does not run; numbers and other text pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer."""

    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield BOM + writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def backdated_table(petitions) -> tuple[list[str], object]:
    """Back-dated staff entries: the receipt moment claimed beside the entry."""
    header = [
        _("Mã tra cứu"),
        _("Kênh tiếp nhận"),
        _("Thời điểm tiếp nhận khai báo"),
        _("Nhập lúc"),
        _("Nhập sau (giờ)"),
        _("Người nhập"),
        _("Đơn vị xử lý"),
    ]

    def local(moment):
        return moment.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M")

    def rows():
        for p in petitions.iterator(chunk_size=1000):
            user = p.entered_by
            yield [
                p.tracking_code,
                p.get_channel_display(),
                local(p.received_at),
                local(p.entered_at),
                f"{p.lag.total_seconds() / 3600:.1f}",
                staff_name(user) if user else "",
                p.agency.name if p.agency_id else "",
            ]

    return header, rows()


def petitions_table(rows) -> tuple[list[str], object]:
    """Every (petition, moment) of a drill-down list; moment: the event's, if any."""
    header = [
        _("Mã tra cứu"),
        _("Thời điểm"),
        _("Tiêu đề"),
        _("Trạng thái"),
        _("Đơn vị"),
        _("Tỉnh, thành phố"),
        _("Lĩnh vực"),
        _("Tiếp nhận lúc"),
        _("Hạn trả lời"),
        _("Trả lời lúc"),
        _("Quá hạn từ"),
    ]

    def local(moment):
        return moment.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M") if moment else ""

    lines = (
        [
            p.tracking_code,
            local(moment),
            p.title,
            p.get_state_display(),
            p.agency.name if p.agency else "",
            p.province.name,
            p.category.name,
            local(p.received_at),
            local(p.due_at),
            local(p.answered_at),
            local(p.breached_at),
        ]
        for p, moment in rows
    )
    return header, lines
