"""Reading an uploaded .xlsx without letting the file take the server: every parsed spreadsheet uses it.

An .xlsx is a zip of XML files, and a few megabytes of zip can expand to gigabytes of XML (a run
of zeros or of whitespace compresses a thousandfold). So, before calamine sees the file:

1. its first bytes and the zip's table of contents are read (``zipfile.infolist``, nothing is
   extracted) and the file is refused when it is not a zip, holds another format calamine would
   read instead (.xls, .xlsb, .ods), has too many members, expands to more than
   MAX_UNCOMPRESSED_BYTES in total, or has a large member compressed more than MAX_RATIO times:
   real sheets compress 5 to 30 times;
2. every part the workbook names (20 MB at most, by 1.) is read with an XML parser for the extent
   of its cells: more than MAX_ROWS data rows, a row numbered past them, or a cell past column
   MAX_COLUMNS is refused. This matters: calamine lays the sheet out as a full rectangle, so a
   5 KB file with a cell in A1 and one in XFD5000 would take it 17 s and 3 GB, and one in
   XFD1048576 aborts the process. The parser sees the cells as calamine does: whatever the quotes
   around an attribute, the namespace prefix or the case of a cell's letters (an earlier check
   with regular expressions missed all three);
   The same pass adds up the characters its cells hold, a shared string counted once for every
   cell that names it: calamine copies it into each, so 990 KB of cells naming a few strings of
   2,000 characters would make 3 GB of Python strings. Over MAX_TEXT_CHARS is refused;
3. only then does calamine (Rust, ten times openpyxl's speed) read the sheet, and a cell longer
   than MAX_CELL_CHARS is refused.

The sizes the zip declares bound what Python's zipfile will inflate for each member (it stops at
the declared size), so a file lying about them gains nothing. Every message is in Vietnamese and
gives the limit.
"""

import io
import itertools
import posixpath
import re
import zipfile

from django.conf import settings
from lxml import etree

from portal.uploads import too_large
from portal.vietnamese import number

MAX_ZIP_MEMBERS = 200
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # for members over 1 MB once expanded; small ones may compress as they like
MAX_ROWS = 5000  # data rows, after the header
MAX_COLUMNS = 50
MAX_CELL_CHARS = 2000
# Text in all the cells of a sheet: 5,000 members of 12 columns are about a million characters.
MAX_TEXT_CHARS = 5_000_000

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


# calamine guesses a file's format by trying each reader in turn: .xls, .xlsx, .xlsb, then .ods.
# A file that another reader could take is refused, whatever its .xlsx parts say: an .xls document
# with a zip appended, or an .xlsx whose parts calamine cannot read next to an .ods or .xlsb
# workbook, which would be read, unchecked, in its place.
ZIP_START = b"PK\x03\x04"
OTHER_FORMATS = {"mimetype", "content.xml", "xl/workbook.bin"}


def check_zip(file):
    """Refuses a zip that would expand too much, or that holds another format than .xlsx, reading
    only its first bytes and its table of contents."""
    file.seek(0)
    if file.read(len(ZIP_START)) != ZIP_START:
        raise SpreadsheetError(NOT_XLSX)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetError(NOT_XLSX) from None
    if any(member.filename.lower() in OTHER_FORMATS for member in members):
        raise SpreadsheetError(NOT_XLSX)
    if not all(_plain_name(member.filename) for member in members):
        raise SpreadsheetError(UNREADABLE)
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


SAFE = {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False}
SAFE_XML = etree.XMLParser(**SAFE)


def _plain_name(name):
    """Whether a zip member's name is the one path it means: "xl/./worksheets/sheet1.xml" is the
    same sheet as "xl/worksheets/sheet1.xml" to the check, another member to calamine, and a real
    .xlsx never has such names (nor "..", "\\" or a leading "/")."""
    path = name[:-1] if name.endswith("/") else name
    return bool(path) and "\\" not in path and not path.startswith("/") and posixpath.normpath(path) == path


def _sheet_parts(archive):
    """The zip members calamine may read as a sheet: every target of the workbook's relations that
    the zip holds, named both ways calamine resolves a relative target. Every one is checked, so
    that which sheet calamine takes for the first one does not matter."""
    try:
        relations = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), parser=SAFE_XML)
    except (KeyError, etree.XMLSyntaxError):
        raise SpreadsheetError(UNREADABLE) from None
    names, parts = set(archive.namelist()), set()
    for relation in relations.iter("{*}Relationship"):
        target = relation.get("Target") or ""
        for name in (target.lstrip("/"), target, f"xl/{target}", posixpath.normpath(f"xl/{target}")):
            if name in names:
                parts.add(name)
    return sorted(parts)


def _shared_string_lengths(archive, parts):
    """The length of each shared string by its index (what a cell of type "s" names), the longest
    that any part calamine may take for the shared strings gives it (``parts``: the workbook's)."""
    lengths = []
    for name in {"xl/sharedStrings.xml", *parts} & set(archive.namelist()):
        if not name.lower().endswith("sharedstrings.xml"):
            continue
        found = []
        try:
            for _, item in etree.iterparse(io.BytesIO(archive.read(name)), events=("end",), tag="{*}si", **SAFE):
                found.append(sum(len(text.text or "") for text in item.iter("{*}t")))
                item.clear()
        except etree.XMLSyntaxError:
            raise SpreadsheetError(UNREADABLE) from None
        lengths = [max(a, b) for a, b in itertools.zip_longest(lengths, found, fillvalue=0)]
    return lengths


def _text_of(cell, shared):
    """The characters calamine will make of a cell: its shared string's, its inline string's, or
    its value's."""
    kind = cell.get("t")
    if kind == "inlineStr":
        return sum(len(text.text or "") for text in cell.iter("{*}t"))
    value = next(cell.iter("{*}v"), None)
    text = (value.text or "") if value is not None else ""
    if kind == "s":
        index = int(text) if text.isascii() and text.isdigit() else -1
        return shared[index] if 0 <= index < len(shared) else 0
    return len(text)


def _extent(xml, shared=()):
    """(rows, furthest row, furthest column, characters) of the cells in a part's XML, as calamine
    lays them out and fills them (``shared``: the shared strings' lengths). An XML parser that
    matches local names, as calamine does, sees the cells calamine sees whatever the quotes around
    an attribute (r='XFD1'), the namespace prefix (x-y:c) or the case of a cell's letters (xfd1).
    A row or cell without ``r`` comes after the one before it; a cell outside a row, or a DTD, is
    never in a real .xlsx and is refused."""
    rows = row = furthest_row = furthest_column = characters = 0
    references = []  # of every cell that has one, checked at the end in a few calls of re
    elements = etree.iterparse(io.BytesIO(xml), events=("end",), tag=("{*}row", "{*}sheetData"), **SAFE)
    try:
        for _, element in elements:
            if rows == 0 and element.getroottree().docinfo.doctype:
                raise SpreadsheetError(UNREADABLE)
            if element.tag.rpartition("}")[2] == "sheetData":
                if next(element.iter("{*}c"), None) is not None:  # rows are emptied once read: a cell outside them
                    raise SpreadsheetError(UNREADABLE)
                continue
            rows += 1
            row = _row_number(element.get("r"), row + 1)
            furthest_row = max(furthest_row, row)
            cells = []
            for cell in element.iter("{*}c"):
                cells.append(cell.get("r"))
                characters += _text_of(cell, shared)
            if None in cells:
                furthest_column = max(furthest_column, _furthest_column(cells))
                cells = [reference for reference in cells if reference is not None]
            references += cells
            # What was read is dropped, so memory stays flat however long the sheet.
            element.clear()
            while (previous := element.getprevious()) is not None and previous.tag == element.tag:
                element.getparent().remove(previous)
    except etree.XMLSyntaxError:
        raise SpreadsheetError(UNREADABLE) from None
    text = " ".join(references)
    if references and not CELL_REFERENCES.fullmatch(text):
        raise SpreadsheetError(UNREADABLE)
    furthest_row = max([furthest_row, *map(int, DIGITS.findall(text))])
    furthest_column = max([furthest_column, *map(_column_number, set(LETTERS.findall(text)))])
    return rows, furthest_row, furthest_column, characters


def _row_number(reference, following):
    if reference is None:
        return following
    if not ROW_REFERENCE.fullmatch(reference):
        raise SpreadsheetError(UNREADABLE)
    return int(reference)


def _furthest_column(references):
    """The furthest column of a row's cells, some without a reference: each after the one before."""
    column = furthest = 0
    for reference in references:
        if reference is None:
            column += 1
        elif match := CELL_REFERENCE.fullmatch(reference):
            column = _column_number(match[1])
        else:
            raise SpreadsheetError(UNREADABLE)
        furthest = max(furthest, column)
    return furthest


ROW_REFERENCE = re.compile(r"[0-9]{1,9}")
CELL_REFERENCE = re.compile(r"([A-Za-z]{1,9})([0-9]{1,9})")
CELL_REFERENCES = re.compile(r"[A-Za-z]{1,9}[0-9]{1,9}(?: [A-Za-z]{1,9}[0-9]{1,9})*")
LETTERS = re.compile(r"[A-Za-z]+")
DIGITS = re.compile(r"[0-9]+")


def _column_number(letters):
    number_ = 0
    for letter in letters.upper():
        number_ = number_ * 26 + ord(letter) - 64
    return number_


def check_extent(xml, max_rows, shared=()):
    """Refuses a part (its XML) with more rows than ``max_rows`` + a header, cells past them or
    past column MAX_COLUMNS, counted or numbered, or more than MAX_TEXT_CHARS characters in its
    cells (``shared``: the lengths of the shared strings they may name)."""
    rows, furthest_row, furthest_column, characters = _extent(xml, shared)
    if rows > max_rows + 1 or furthest_row > max_rows + 1:
        raise SpreadsheetError(
            f"Tệp có hơn {number(max_rows)} dòng số liệu; mỗi lần nhập tối đa {number(max_rows)} dòng. "
            "Hãy chia thành nhiều tệp rồi nhập lần lượt."
        )
    if furthest_column > MAX_COLUMNS:
        raise SpreadsheetError(
            f"Tệp có số liệu ở cột thứ {number(furthest_column)}; mỗi dòng tối đa {number(MAX_COLUMNS)} cột. "
            "Hãy xóa các cột thừa hoặc dùng tệp mẫu."
        )
    if characters > MAX_TEXT_CHARS:
        raise SpreadsheetError(
            f"Các ô của tệp có tổng cộng hơn {number(MAX_TEXT_CHARS)} ký tự, quá nhiều cho một lần nhập. "
            "Hãy chia thành nhiều tệp rồi nhập lần lượt."
        )


def read_rows(file, max_rows=MAX_ROWS):
    """The rows (lists of values, "" for an empty cell) of the first sheet of an .xlsx file, header
    included. ``file`` is a binary file object (an upload, or io.BytesIO). SpreadsheetError, with
    the limit in its message, for anything that is not a reasonable spreadsheet."""
    from python_calamine import CalamineWorkbook

    check_zip(file)
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        parts = _sheet_parts(archive)
        shared = _shared_string_lengths(archive, parts)
        for part in parts:
            check_extent(archive.read(part), max_rows, shared)
    file.seek(0)
    try:
        # calamine (Rust) reads 5,000 rows in a tenth of openpyxl's time; an empty cell is "".
        rows = CalamineWorkbook.from_filelike(file).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except BaseException as error:  # a broken file raises many kinds; a panic in Rust is no Exception
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
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
