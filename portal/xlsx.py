"""Excel exports of dashboard tables and registry lists, written once for every export.

Two writers, one for each kind of sheet:

- ``write()``: a table (a dashboard's communes, a summary's appendix; hundreds of rows), with
  XlsxWriter, which gives a cell a format of its own (``Cell``) and a total row below the filter.
- ``write_list()``: a registry list (a province's 25,000 members), with rustpy-xlsxwriter, the
  Python binding of rust_xlsxwriter (XlsxWriter's own author's Rust port, in constant-memory
  mode): the same workbook eight times as fast (bench/README.md), because each cell is written
  by compiled code instead of XlsxWriter's Python.

For ``write()``, rows are streamed into an XlsxWriter workbook in constant-memory mode (each
row goes to a temporary file as soon as the next one starts), saved to a temporary file, and sent
with FileResponse: memory stays flat however many rows there are. XlsxWriter took half the time of
openpyxl's write-only mode (which needs a cell object for every value), and a tenth less again
once each value goes straight to the writer for its type (_write_rows).

Formats live on the columns (numbers 1.234, dates dd/mm/yyyy), so a value is written without
one of its own; Excel applies a column's format to every cell of it that has none.

A text that starts with =, +, - or @ (a name typed as "=HYPERLINK(...)") is written as text
with Excel's quote prefix, never as a formula: opening an export must not run what a user typed.
"""

import datetime
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

import rustpy_xlsxwriter
import xlsxwriter
from django.http import FileResponse
from django.utils.functional import Promise

from portal.text import strip_text

INTEGER = "#,##0"
YEAR = "0"
PERCENT = "0.00"
DECIMAL = "#,##0.00"
DATE = "dd/mm/yyyy"
FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = "#DDEBF7"  # the header row's light blue, in both writers
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def keep_as_text(cell):
    """Make an openpyxl ``cell`` text if its value looks like a formula; returns the cell."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


@dataclass
class Column:
    header: str
    width: int = 14
    number_format: str | None = None


@dataclass(frozen=True)
class Cell:
    """A value with its own number format, in a column whose rows count different things
    (households on one row, a rate's denominator in đơn vị on the next)."""

    value: object
    number_format: str


def write(columns, rows, title="Bảng", total_row=False):
    """A temporary file holding the workbook of ``rows`` (iterables of values, one per column).

    With ``total_row`` the last row is a total ("Tổng cộng"): the filter stops above it, so
    sorting the communes never moves the total among them."""
    # The file outlives this function: FileResponse closes it once sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    book = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            # What users typed stays text: never a formula, a number or a link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": DATE,
            "remove_timezone": True,
        },
    )
    sheet = book.add_worksheet(title[:31])
    formats = {}

    def write_cell(ws, row, col, cell, fmt=None):
        number_format = formats.setdefault(cell.number_format, book.add_format({"num_format": cell.number_format}))
        if cell.value is None:
            return ws.write_blank(row, col, None, number_format)
        return ws.write(row, col, cell.value, number_format)

    sheet.add_write_handler(Cell, write_cell)
    for index, column in enumerate(columns):
        number_format = None
        if column.number_format:
            number_format = formats.setdefault(
                column.number_format, book.add_format({"num_format": column.number_format})
            )
        sheet.set_column(index, index, column.width, number_format)
    header = book.add_format({"bold": True, "bg_color": HEADER_FILL, "pattern": 1})
    sheet.write_row(0, 0, [str(column.header) for column in columns], header)
    sheet.freeze_panes(1, 0)
    last = _write_rows(sheet, rows, len(columns), book.add_format({"quote_prefix": True}))
    sheet.autofilter(0, 0, last - 1 if total_row and last > 1 else last, len(columns) - 1)
    book.close()
    output.seek(0)
    return output


def _write_rows(sheet, rows, width, quoted):
    """Writes ``rows`` from the sheet's second row on; returns the number of the last one.

    Each value goes straight to XlsxWriter's writer for its type. These are the undecorated
    writers XlsxWriter's own write() and write_row() end in (XlsxWriter is pinned in
    requirements.txt): the public write_string() first tries to read an "A1" cell name from its
    arguments, and write() tries a dozen types in turn.
    Anything else (a Cell, a boolean) takes write() and its handler for Cell.
    """
    write_string, write_number, write_date, write = (
        sheet._write_string,
        sheet._write_number,
        sheet._write_datetime,
        sheet._write,
    )
    number = 0
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValueError(f"row {number} has {len(row)} values for {width} columns")
        for index, value in enumerate(row):
            kind = value.__class__
            if kind is str:
                # A control character stored before portal/text.py refused them must not break the file.
                value = strip_text(value)
                if value:  # an empty text is an empty cell
                    write_string(number, index, value, quoted if value.startswith(FORMULA_STARTS) else None)
            elif kind is int or kind is Decimal or kind is float:
                write_number(number, index, value)
            elif kind is datetime.date or kind is datetime.datetime:
                write_date(number, index, value)
            elif value is None:
                continue
            elif isinstance(value, Promise):  # a translated label is text too
                value = strip_text(str(value))
                write_string(number, index, value, quoted if value.startswith(FORMULA_STARTS) else None)
            else:
                write(number, index, value)
    return number


def write_list(columns, rows, title="Bảng"):
    """A temporary file holding the workbook of a long list: ``rows`` (iterables of values, one
    per column) under a frozen header with filters, written by rustpy-xlsxwriter as they come.

    Memory grows with the compressed file only (about twice its size: 5 MB for 25,000 members),
    never with the rows. A column without a number format holds text, and carries Excel's quote
    prefix: a text that looks like a formula ("=HYPERLINK(...)", "+84 ...") stays text even once
    its cell is edited in Excel, and a phone number keeps its leading zero."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:  # rustpy-xlsxwriter takes the header from the first row: none, no header
        return write(columns, [], title)
    headers = [str(column.header) for column in columns]
    if len(set(headers)) != len(headers):
        raise ValueError(f"two columns have one header: {headers}")
    formats = {}
    for column in columns:
        if column.number_format:
            formats[str(column.header)] = rustpy_xlsxwriter.Format().set_num_format(column.number_format)
        else:
            formats[str(column.header)] = rustpy_xlsxwriter.Format().set_quote_prefix()
    # The file outlives this function: FileResponse closes it once sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    rustpy_xlsxwriter.write_worksheet(
        _records(headers, chain([first], rows)),
        output,
        sheet_name=title[:31],
        freeze_row=1,
        datetime_format=DATE,
        column_widths=[column.width for column in columns],
        column_formats=formats,
        header_format=rustpy_xlsxwriter.Format().set_bold().set_background_color(HEADER_FILL),
        autofilter=True,
    )
    output.seek(0)
    return output


def _records(headers, rows):
    """``rows`` as the dicts rustpy-xlsxwriter takes: texts cleaned, an empty text an empty cell."""
    width = len(headers)
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValueError(f"row {number} has {len(row)} values for {width} columns")
        values = list(row)
        for index, value in enumerate(values):
            if isinstance(value, (str, Promise)):
                # A control character stored before portal/text.py refused them is dropped.
                values[index] = strip_text(str(value)) or None
        yield dict(zip(headers, values, strict=True))


def response(columns, rows, filename, title="Bảng", total_row=False):
    output = write(columns, rows, title, total_row)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
