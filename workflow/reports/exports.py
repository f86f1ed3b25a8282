"""The report as files: CSV (one table) and .xlsx laid out like the official form.

The workbook follows the layout reporting officers fill by hand: a title, the
period, grouped column headings over numbered columns ((1), (2)… with the
formulas in the definitions), one row per agency (STT, name) and a total row.
Counts are numbers, the on-time rate a percentage, days a decimal; the last sheet
defines every column.
"""

import io

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from workflow.reports import columns
from workflow.reports.figures import DIMENSIONS, Report, Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def value(figures, column):
    """A column's value as a number (None when there is no rate or average)."""
    return getattr(figures, column.key)


def csv_table(table: Table) -> tuple[list[str], list[list]]:
    """One table as CSV rows: the numbered headings, a row per key, the total."""
    header = [str(table.label), *[column.numbered_label for column in columns.COLUMNS]]
    rows = [
        [row.name, *[_csv_value(row.figures, c) for c in columns.COLUMNS]]
        for row in table.rows
    ]
    rows.append(
        [_("Tổng cộng"), *[_csv_value(table.total, c) for c in columns.COLUMNS]]
    )
    return header, rows


def _csv_value(figures, column):
    number = value(figures, column)
    if column.kind == columns.RATE:
        return "" if number is None else f"{number:.2f}"
    if column.kind == columns.DAYS:
        return "" if number is None else f"{number:.1f}"
    return number


def status_line(report: Report) -> str:
    if report.closed is not None:
        closed_at = timezone.localtime(report.closed.closed_at)
        return _("Số liệu đã chốt lúc %(at)s.") % {
            "at": formats.date_format(closed_at, "d/m/Y H:i")
        }
    return _("Số liệu tính đến %(at)s (kỳ chưa chốt).") % {
        "at": formats.date_format(timezone.localtime(), "d/m/Y H:i")
    }


THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADING = PatternFill("solid", fgColor="E8ECF1")
BOLD = Font(bold=True)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def workbook(report: Report) -> bytes:
    """The whole report as an .xlsx: a sheet per dimension and the definitions."""
    book = Workbook()
    book.remove(book.active)
    for dimension in DIMENSIONS:
        table = report.tables[dimension]
        _table_sheet(book.create_sheet(str(table.label)[:31]), report, table)
    _definitions_sheet(book.create_sheet(_("Giải thích")))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table_sheet(sheet, report: Report, table: Table) -> None:
    width = 2 + len(columns.COLUMNS)
    period = report.period
    lines = [
        _("BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT PHẢN ÁNH, KIẾN NGHỊ"),
        _("Theo %(dimension)s") % {"dimension": str(table.label).lower()},
        _("Kỳ báo cáo: từ ngày %(start)s đến ngày %(end)s")
        % {
            "start": period.start_on.strftime("%d/%m/%Y"),
            "end": period.end_on.strftime("%d/%m/%Y"),
        },
        status_line(report),
    ]
    for row, text in enumerate(lines, start=1):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(horizontal="center")
        cell.font = Font(bold=row <= 2, size=14 if row == 1 else 11)
    top = len(lines) + 2  # a blank row, then three heading rows
    for index, label in ((1, _("STT")), (2, str(table.label))):
        sheet.merge_cells(
            start_row=top, start_column=index, end_row=top + 1, end_column=index
        )
        sheet.cell(row=top, column=index, value=label)
    sheet.cell(row=top + 2, column=1, value="A")
    sheet.cell(row=top + 2, column=2, value="B")
    first = 3
    for group, members in columns.groups():
        last = first + len(members) - 1
        if len(members) > 1:
            sheet.merge_cells(
                start_row=top, start_column=first, end_row=top, end_column=last
            )
            sheet.cell(row=top, column=first, value=str(group.label))
            for offset, column in enumerate(members):
                sheet.cell(row=top + 1, column=first + offset, value=str(column.label))
        else:
            sheet.merge_cells(
                start_row=top, start_column=first, end_row=top + 1, end_column=first
            )
            sheet.cell(row=top, column=first, value=str(members[0].label))
        for offset, column in enumerate(members):
            sheet.cell(row=top + 2, column=first + offset, value=f"({column.number})")
        first = last + 1
    for row in range(top, top + 3):
        for index in range(1, width + 1):
            cell = sheet.cell(row=row, column=index)
            cell.font, cell.alignment, cell.fill, cell.border = (
                BOLD,
                CENTRED,
                HEADING,
                BOX,
            )
    row = top + 3
    for number, entry in enumerate(table.rows, start=1):
        _figures_row(sheet, row, number, entry.name, entry.figures)
        row += 1
    _figures_row(sheet, row, None, _("Tổng cộng"), table.total, bold=True)
    sheet.freeze_panes = sheet.cell(row=top + 3, column=3)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 44
    for index in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 13
    sheet.row_dimensions[top + 1].height = 60


def _figures_row(sheet, row, number, name, figures, bold=False):
    sheet.cell(row=row, column=1, value=number)
    text_cell(sheet, row, 2, name)
    for offset, column in enumerate(columns.COLUMNS):
        cell = sheet.cell(row=row, column=3 + offset, value=value(figures, column))
        if column.kind == columns.RATE:
            if cell.value is not None:
                cell.value = cell.value / 100
            cell.number_format = "0.00%"
        elif column.kind == columns.DAYS:
            cell.number_format = "0.0"
        else:
            cell.number_format = "#,##0"
    for column in range(1, 3 + len(columns.COLUMNS)):
        cell = sheet.cell(row=row, column=column)
        cell.border = BOX
        if bold:
            cell.font = BOLD


def text_cell(sheet, row, column, text):
    """A cell that holds text, whatever it starts with: a unit named "=…" is shown
    as written, never run as a formula."""
    cell = sheet.cell(row=row, column=column, value=str(text))
    cell.data_type = "s"
    return cell


def _definitions_sheet(sheet) -> None:
    sheet.append([_("Cột"), _("Tên"), _("Nội dung")])
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, HEADING
    for column in columns.COLUMNS:
        sheet.append([f"({column.number})", str(column.label), str(column.definition)])
    sheet.append([])
    for note in columns.NOTES:
        sheet.append(["", "", str(note)])
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 110


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
