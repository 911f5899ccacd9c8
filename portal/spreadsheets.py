"""Reading an uploaded .xlsx without letting the file take the server: every parsed spreadsheet uses it.

An .xlsx is a zip of XML files, and a few megabytes of zip can expand to gigabytes of XML (a run
of zeros or of whitespace compresses a thousandfold). So, before openpyxl sees the file:

1. the zip's table of contents is read (``zipfile.infolist``, nothing is extracted) and the file is
   refused when it has too many members, expands to more than MAX_UNCOMPRESSED_BYTES in total, or
   has a large member compressed more than MAX_RATIO times: real sheets compress 5 to 30 times;
2. the first sheet's XML (20 MB at most, by 1.) is scanned with regular expressions for its extent:
   more than MAX_ROWS data rows, a row numbered past them, or a cell past column MAX_COLUMNS is
   refused. This matters: calamine (below) lays the sheet out as a full rectangle, so a 1 KB file
   with a cell in A1 and one in XFD5000 would take it 30 s and 3 GB;
3. only then does calamine (Rust, ten times openpyxl's speed) read the sheet, and a cell longer
   than MAX_CELL_CHARS is refused.

The sizes the zip declares bound what Python's zipfile will inflate for each member (it stops at
the declared size), so a file lying about them gains nothing. Every message is in Vietnamese and
gives the limit.
"""

import re
import zipfile

from django.conf import settings

from portal.uploads import too_large
from portal.vietnamese import number

MAX_ZIP_MEMBERS = 200
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # for members over 1 MB once expanded; small ones may compress as they like
MAX_ROWS = 5000  # data rows, after the header
MAX_COLUMNS = 50
MAX_CELL_CHARS = 2000

NOT_XLSX = "Tệp không phải Excel (.xlsx). Hãy tải mẫu về, nhập số liệu rồi tải lên lại."
UNREADABLE = "Không đọc được tệp Excel (.xlsx). Hãy lưu lại tệp bằng Excel rồi thử lại."


class SpreadsheetError(Exception):
    """The upload is not a usable .xlsx file, or is over a limit; the message is for the user."""


def read_upload(upload):
    """The bytes of an uploaded file, refused by its size before anything is read."""
    if upload is None:
        raise SpreadsheetError("Hãy chọn tệp Excel (.xlsx) để tải lên.")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise SpreadsheetError(too_large())
    upload.seek(0)
    data = upload.read(settings.MAX_UPLOAD_BYTES + 1)
    if len(data) > settings.MAX_UPLOAD_BYTES:  # a size that lied
        raise SpreadsheetError(too_large())
    if not data:
        raise SpreadsheetError("Hãy chọn tệp Excel (.xlsx) để tải lên.")
    return data


def check_zip(file):
    """Refuses a zip that would expand too much, reading only its table of contents."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetError(NOT_XLSX) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise SpreadsheetError(f"Tệp Excel có quá nhiều thành phần (tối đa {number(MAX_ZIP_MEMBERS)}). {UNREADABLE}")
    total = sum(member.file_size for member in members)
    bombs = [m for m in members if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)]
    if total > MAX_UNCOMPRESSED_BYTES or bombs:
        limit = number(MAX_UNCOMPRESSED_BYTES / 1024 / 1024)
        raise SpreadsheetError(
            f"Tệp Excel này khi giải nén lớn bất thường (quá {limit} MB dữ liệu hoặc nén hơn "
            f"{number(MAX_RATIO)} lần) nên không được đọc. Hãy tải tệp mẫu về, nhập số liệu rồi tải lên lại."
        )


def _first_sheet(archive):
    """The zip member name of the workbook's first sheet, read from workbook.xml and its relations."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    sheet = ElementTree.fromstring(archive.read("xl/workbook.xml")).find(f"{main}sheets/{main}sheet")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == sheet.get(relation))
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]+)\d+\"")


def _column_number(letters):
    number_ = 0
    for letter in letters:
        number_ = number_ * 26 + letter - 64
    return number_


def check_extent(xml, max_rows):
    """Refuses a sheet (its XML) with more rows than ``max_rows`` + a header, or cells past them or
    past column MAX_COLUMNS, counted or numbered."""
    too_many_rows = SpreadsheetError(
        f"Tệp có hơn {number(max_rows)} dòng số liệu; mỗi lần nhập tối đa {number(max_rows)} dòng. "
        "Hãy chia thành nhiều tệp rồi nhập lần lượt."
    )
    rows = len(ROW.findall(xml))
    if rows > max_rows + 1 or max((int(n) for n in ROW_NUMBER.findall(xml)), default=0) > max_rows + 1:
        raise too_many_rows
    widest = max((len(CELL.findall(row)) for row in ROW.split(xml)[1:]), default=0)
    columns = set(CELL_COLUMN.findall(xml))
    widest = max([widest, *(_column_number(c) for c in columns)])
    if widest > MAX_COLUMNS:
        raise SpreadsheetError(
            f"Tệp có số liệu ở cột thứ {number(widest)}; mỗi dòng tối đa {number(MAX_COLUMNS)} cột. "
            "Hãy xóa các cột thừa hoặc dùng tệp mẫu."
        )


def read_rows(file, max_rows=MAX_ROWS):
    """The rows (lists of values, "" for an empty cell) of the first sheet of an .xlsx file, header
    included. ``file`` is a binary file object (an upload, or io.BytesIO). SpreadsheetError, with
    the limit in its message, for anything that is not a reasonable spreadsheet."""
    from python_calamine import CalamineWorkbook

    check_zip(file)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            xml = archive.read(_first_sheet(archive))
    except Exception:
        raise SpreadsheetError(UNREADABLE) from None
    check_extent(xml, max_rows)
    del xml
    file.seek(0)
    try:
        # calamine (Rust) reads 5,000 rows in a tenth of openpyxl's time; an empty cell is "".
        rows = CalamineWorkbook.from_filelike(file).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # a broken file raises many kinds
        raise SpreadsheetError(UNREADABLE) from error
    for row_number, row in enumerate(rows, 1):
        for column, value in enumerate(row, 1):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise SpreadsheetError(
                    f"Dòng {row_number}, cột {_column_letter(column)}: ô có hơn {number(MAX_CELL_CHARS)} ký tự; "
                    f"mỗi ô tối đa {number(MAX_CELL_CHARS)} ký tự."
                )
    return rows


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
