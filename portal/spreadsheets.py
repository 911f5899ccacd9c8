"""Reading an uploaded .xlsx without letting the file take the server: every parsed spreadsheet uses it.

An .xlsx is a zip of XML files, and a few megabytes of zip can expand to gigabytes of XML (a run
of zeros or of whitespace compresses a thousandfold). So, before openpyxl sees the file:

1. the zip's table of contents is read (``zipfile.infolist``, nothing is extracted) and the file is
   refused when it has too many members, expands to more than MAX_UNCOMPRESSED_BYTES in total, or
   has a large member compressed more than MAX_RATIO times: real sheets compress 5 to 30 times;
2. the rows of the first sheet are counted in its XML as zlib inflates it (milliseconds), and a
   sheet with more than MAX_ROWS data rows is refused;
3. the sheet is then read in openpyxl's streaming (read-only) mode, row by row, and reading
   stops at the first row past MAX_ROWS or the first cell longer than MAX_CELL_CHARS.

The sizes the zip declares bound what Python's zipfile will inflate for each member (it stops at
the declared size), so a file lying about them gains nothing. Every message is in Vietnamese and
gives the limit.
"""

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


def count_rows(file, stop_after):
    """Rows of the first sheet, counted in its XML as zlib inflates it, up to ``stop_after + 1``.

    Much faster than openpyxl, so a sheet with far too many rows is refused in milliseconds; the
    count is only a first look (openpyxl still stops at the limit), and None when it cannot tell.
    """
    try:
        with zipfile.ZipFile(file) as archive, archive.open(_first_sheet(archive)) as sheet:
            count, tail = 0, b""
            while chunk := sheet.read(1024 * 1024):
                data = tail + chunk
                count += data.count(b"<row ") + data.count(b"<row>") + data.count(b":row ")
                if count > stop_after:
                    return count
                tail = data[-5:]
                count -= tail.count(b"<row ") + tail.count(b"<row>") + tail.count(b":row ")
            return count
    except Exception:  # a broken or unusual file: openpyxl will say what is wrong
        return None


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def read_rows(file, max_rows=MAX_ROWS):
    """The rows (lists of values) of the first sheet of an .xlsx file, header included.

    ``file`` is a binary file object (an upload, or io.BytesIO). SpreadsheetError, with the limit
    in its message, for anything that is not a reasonable spreadsheet.
    """
    from openpyxl import load_workbook

    check_zip(file)
    too_many_rows = SpreadsheetError(
        f"Tệp có hơn {number(max_rows)} dòng số liệu; mỗi lần nhập tối đa {number(max_rows)} dòng. "
        "Hãy chia thành nhiều tệp rồi nhập lần lượt."
    )
    file.seek(0)
    if (count_rows(file, max_rows + 1) or 0) > max_rows + 1:
        raise too_many_rows
    file.seek(0)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError(UNREADABLE) from error
    rows = []
    try:
        for row_number, row in enumerate(book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
            if row_number > max_rows + 1:
                raise too_many_rows
            for column, value in enumerate(row, 1):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise SpreadsheetError(
                        f"Dòng {row_number}, cột {_column_letter(column)}: ô có hơn {number(MAX_CELL_CHARS)} ký tự; "
                        f"mỗi ô tối đa {number(MAX_CELL_CHARS)} ký tự."
                    )
            rows.append(list(row))
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(UNREADABLE) from error
    finally:
        book.close()
    # Rows that are empty at the end (a sheet formatted far down) are not data.
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    return rows
