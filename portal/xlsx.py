"""Excel exports of dashboard tables and registry lists, written once for every export.

Rows are streamed into an openpyxl write-only workbook saved to a temporary file, so memory
stays bounded however many rows there are; the file is then sent with FileResponse.

A text that starts with =, +, - or @ (a name typed as "=HYPERLINK(...)") is written as text
with Excel's quote prefix, never as a formula: opening an export must not run what a user typed.
"""

import tempfile
from dataclasses import dataclass

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

INTEGER = "#,##0"
PERCENT = "0.00"
DECIMAL = "#,##0.00"
DATE = "dd/mm/yyyy"
FORMULA_STARTS = ("=", "+", "-", "@")


def keep_as_text(cell):
    """Make ``cell`` (of any workbook) text if its value looks like a formula; returns the cell."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


@dataclass
class Column:
    header: str
    width: int = 14
    number_format: str | None = None


def write(columns, rows, title="Bảng"):
    """A temporary file holding the workbook of ``rows`` (iterables of values, one per column)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    last = 1
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if column.number_format:
                cell.number_format = column.number_format
            cells.append(keep_as_text(cell))
        sheet.append(cells)
        last += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    # The file outlives this function: FileResponse closes it once sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


def response(columns, rows, filename, title="Bảng"):
    return FileResponse(
        write(columns, rows, title),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
