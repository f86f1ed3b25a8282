"""The report's columns: number, heading, group and definition, in one place.

The auditor tables, the CSV and .xlsx exports and /stats/ all print these; the
definitions are printed under every table and repeated in docs/staff.md.
"""

from dataclasses import dataclass
from html import escape

from django.utils.formats import get_format, number_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.charts import percent

COUNT, RATE, DAYS = "count", "rate", "days"


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise


@dataclass(frozen=True)
class Column:
    key: str  # a Figures attribute
    number: int
    label: str | Promise
    group: Group
    definition: str | Promise
    kind: str = COUNT
    # The drill-down measure behind the figure; None when it is derived.
    listed: bool = True

    @property
    def numbered_label(self) -> str:
        return f"({self.number}) {self.label}"


TO_HANDLE = Group("to_handle", _("Số phải giải quyết trong kỳ"))
NOT_ACCEPTED = Group("not_accepted", _("Không tiếp nhận"))
RESOLVED = Group("resolved", _("Đã giải quyết trong kỳ"))
ENDED = Group("ended", _("Kết thúc khác"))
OPEN_AT_END = Group("open", _("Đang giải quyết cuối kỳ"))
BREACHES = Group("breaches", _("Vi phạm thời hạn trong kỳ"))

COLUMNS = (
    Column(
        "carried_over",
        1,
        _("Kỳ trước chuyển sang"),
        TO_HANDLE,
        _(
            "Phản ánh còn đang giải quyết lúc 00:00 ngày đầu kỳ: chưa trả lời, "
            "chưa kết thúc; tính cho đơn vị đang giữ lúc đó."
        ),
    ),
    Column(
        "received",
        2,
        pgettext_lazy("report column", "Tiếp nhận trong kỳ"),
        TO_HANDLE,
        _(
            "Phản ánh được ghi nhận vào hệ thống trong kỳ, tính cho đơn vị được "
            "phân công ngay khi tiếp nhận (hoặc hàng chờ phân loại)."
        ),
    ),
    Column(
        "reopened",
        3,
        _("Mở lại"),
        TO_HANDLE,
        _(
            "Phản ánh đã trả lời được người gửi mở lại trong kỳ: một chu kỳ giải "
            "quyết mới, với hạn giải quyết mới."
        ),
    ),
    Column(
        "moved_in",
        4,
        _("Chuyển đến"),
        TO_HANDLE,
        _(
            "Phản ánh đang giải quyết được chuyển đến từ đơn vị khác (phân loại, "
            "chuyển đơn vị có thẩm quyền, trả về phân loại). Chỉ có ở bảng theo "
            "đơn vị: tỉnh, lĩnh vực và kênh của phản ánh không đổi."
        ),
    ),
    Column(
        "moved_out",
        5,
        _("Chuyển đi"),
        TO_HANDLE,
        _("Phản ánh đang giải quyết được chuyển sang đơn vị khác."),
    ),
    Column(
        "to_handle",
        6,
        _("Tổng số phải giải quyết"),
        TO_HANDLE,
        _("(1) + (2) + (3) + (4) − (5) = (7) + (8) + (9) + (12) + (13) + (14) + (15)."),
        listed=False,
    ),
    Column(
        "not_accepted",
        7,
        _("Không tiếp nhận"),
        NOT_ACCEPTED,
        _(
            "Phản ánh bị từ chối trong kỳ: ngoài phạm vi (khiếu nại, tố cáo có thủ "
            "tục riêng), trùng, không đủ điều kiện."
        ),
    ),
    Column(
        "resolved_on_time",
        8,
        pgettext_lazy("resolved", "Đúng hạn"),
        RESOLVED,
        _(
            "Câu trả lời được gửi trong kỳ, không muộn hơn hạn giải quyết của chu kỳ "
            "đó (kể cả gia hạn đã duyệt). Mỗi chu kỳ được đánh giá một lần, khi trả "
            "lời; tính cho đơn vị trả lời."
        ),
    ),
    Column(
        "resolved_late",
        9,
        pgettext_lazy("resolved", "Quá hạn"),
        RESOLVED,
        _("Câu trả lời được gửi trong kỳ, sau hạn giải quyết của chu kỳ đó."),
    ),
    Column(
        "on_time_rate",
        10,
        _("Tỷ lệ đúng hạn"),
        RESOLVED,
        _("(8) ÷ ((8) + (9)): giải quyết đúng hạn trên số đã giải quyết."),
        kind=RATE,
        listed=False,
    ),
    Column(
        "average_working_days",
        11,
        _("Thời gian trung bình (ngày làm việc)"),
        RESOLVED,
        _(
            "Số ngày làm việc từ đầu chu kỳ (tiếp nhận hoặc mở lại) đến khi trả lời, "
            "không tính ngày bắt đầu, theo lịch làm việc quốc gia; trung bình trên "
            "(8) + (9)."
        ),
        kind=DAYS,
        listed=False,
    ),
    Column(
        "ended_otherwise",
        12,
        _("Kết thúc khác"),
        ENDED,
        _(
            "Người gửi rút, gộp vào phản ánh khác, hoặc đóng vì người gửi không bổ "
            "sung thông tin đúng hạn."
        ),
    ),
    Column(
        "open_within",
        13,
        pgettext_lazy("still open", "Trong hạn"),
        OPEN_AT_END,
        _(
            "Còn đang giải quyết lúc 24:00 ngày cuối kỳ, chưa quá hạn giải quyết; "
            "tính cho đơn vị đang giữ lúc đó."
        ),
    ),
    Column(
        "open_overdue",
        14,
        pgettext_lazy("still open", "Quá hạn"),
        OPEN_AT_END,
        _(
            "Còn đang giải quyết lúc 24:00 ngày cuối kỳ và đã quá hạn giải quyết. "
            "Chỉ xét hạn giải quyết; hạn của từng bước nằm ở các cột (16)–(19)."
        ),
    ),
    Column(
        "open_waiting",
        15,
        _("Chờ người gửi bổ sung"),
        OPEN_AT_END,
        _(
            "Còn đang giải quyết, đang tạm dừng chờ người gửi bổ sung thông tin, "
            "chưa quá hạn khi tạm dừng."
        ),
    ),
    Column(
        "case_breaches",
        16,
        _("Hạn giải quyết"),
        BREACHES,
        _(
            "Số lần hạn giải quyết bị vượt trong kỳ, tính cho đơn vị đang giữ phản "
            "ánh khi quá hạn (kể cả khi sau đó chuyển đơn vị)."
        ),
    ),
    Column(
        "triage_breaches",
        17,
        _("Hạn phân loại"),
        BREACHES,
        _("Chưa được chuyển đến đơn vị có thẩm quyền trong thời hạn phân loại."),
    ),
    Column(
        "accept_breaches",
        18,
        _("Hạn tiếp nhận xử lý"),
        BREACHES,
        _(
            "Đơn vị được giao chưa nhận xử lý trong thời hạn tiếp nhận; tính cho "
            "đơn vị đó."
        ),
    ),
    Column(
        "reply_lapses",
        19,
        _("Người gửi không bổ sung đúng hạn"),
        BREACHES,
        _(
            "Phản ánh đóng trong kỳ vì người gửi không trả lời yêu cầu bổ sung "
            "thông tin trong thời hạn."
        ),
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}


@dataclass(frozen=True)
class Cell:
    column: Column
    value: int | float | None
    href: str = ""  # the petitions behind the figure, where there are any

    @property
    def text(self) -> str:
        """As people read it: "99,82 %" in Vietnamese, "99.82 %" in English."""
        if self.value is None:
            return "—"
        if self.column.kind == RATE:
            return percent(self.value)
        if self.column.kind == DAYS:
            return number_format(round(self.value, 1), 1)
        return grouped(int(self.value))


def grouped(count: int) -> str:
    """A count with the language's thousands separator ("12.345" / "12,345")."""
    if -1000 < count < 1000:
        return str(count)
    return f"{count:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def cells(figures, shown=None, link="", unlisted=()) -> list[Cell]:
    """A row's cells, for every column or those shown; with `link` (a drill-down
    URL lacking only its measure) each figure links to the petitions behind it,
    but those of `unlisted` columns (a sum no single list holds)."""
    found = []
    for column in shown or COLUMNS:
        value = getattr(figures, column.key)
        listed = column.listed and column.key not in unlisted
        href = f"{link}&measure={column.key}" if link and listed and value else ""
        found.append(Cell(column, value, href))
    return found


def groups() -> list[tuple[Group, list[Column]]]:
    """The columns under their group headings, in order."""
    grouped: list[tuple[Group, list[Column]]] = []
    for column in COLUMNS:
        if grouped and grouped[-1][0] == column.group:
            grouped[-1][1].append(column)
        else:
            grouped.append((column.group, [column]))
    return grouped


# What the numbers mean as a whole, printed above the definitions.
NOTES = (
    _(
        "Số liệu của một kỳ là những gì hệ thống đã ghi nhận đến hết ngày cuối kỳ "
        "(giờ Hà Nội): một bước ghi sau đó không làm thay đổi kỳ đã qua."
    ),
    _(
        "Phản ánh chuyển đơn vị: câu trả lời tính cho đơn vị trả lời, lần quá hạn "
        "tính cho đơn vị đang giữ khi quá hạn."
    ),
    _(
        "Đúng hạn chỉ xét hạn giải quyết (hạn trả lời) của từng chu kỳ; hạn của "
        "các bước (phân loại, tiếp nhận xử lý, người gửi bổ sung) được thống kê riêng."
    ),
)


def row_html(name, row_cells) -> SafeString:
    """One table row: the name, then a cell per column, each figure linking to the
    petitions behind it. Built here rather than in the template: a national report
    has thousands of cells, which the template language renders ten times slower."""
    parts = [f'<th scope="row">{escape(str(name))}</th>']
    for cell in row_cells:
        # A cell's text is digits, separators, "%" or "—": nothing to escape.
        if cell.href:
            href = escape(cell.href)
            parts.append(f'<td class="num"><a href="{href}">{cell.text}</a></td>')
        else:
            parts.append(f'<td class="num">{cell.text}</td>')
    return mark_safe("".join(parts))  # noqa: S308 (names and links are escaped)


def header_html(label) -> SafeString:
    """The table head: the row label's column, the group headings over their
    columns, the column headings, the column numbers (as on the paper form)."""
    grouped = groups()
    top = [f'<th scope="col" rowspan="3">{escape(str(label))}</th>']
    below = []
    for group, members in grouped:
        if len(members) > 1:
            top.append(
                f'<th scope="colgroup" colspan="{len(members)}">'
                f"{escape(str(group.label))}</th>"
            )
            below += [f'<th scope="col">{escape(str(c.label))}</th>' for c in members]
        else:
            top.append(
                f'<th scope="col" rowspan="2">{escape(str(members[0].label))}</th>'
            )
    numbers = [f'<th scope="col">({c.number})</th>' for c in COLUMNS]
    return mark_safe(  # noqa: S308 (every text is escaped)
        f"<tr>{''.join(top)}</tr><tr>{''.join(below)}</tr>"
        f'<tr class="column-numbers">{"".join(numbers)}</tr>'
    )
