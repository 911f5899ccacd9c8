"""Excel templates, import and export of the registry (openpyxl).

Import is all or nothing: ``parse_members`` reads every row and returns the rows it would
create with every error it found; the view creates nothing unless there is no error.
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from teams.forms import normalize_phone
from teams.models import Member, Team

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")

MEMBER_COLUMNS = [
    ("team", "Tổ"),
    ("full_name", "Họ và tên"),
    ("role", "Vai trò"),
    ("origin", "Thành phần"),
    ("phone", "Số điện thoại"),
    ("gender", "Giới tính"),
    ("birth_year", "Năm sinh"),
    ("trainings", "Số lần tập huấn"),
    ("joined_on", "Ngày tham gia"),
]
CODED = {"role": Member.Role, "origin": Member.Origin, "gender": Member.Gender}


class ExcelFileError(Exception):
    """The upload is not a usable .xlsx file; the message is for the user."""


def write_cell(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column, value=value)
    # A name typed as "=HYPERLINK(...)" or "-Nguyễn" must stay text in the export, never run.
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell


def workbook_bytes(title, headers, rows, validations=()):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for column, header in enumerate(headers, 1):
        write_cell(sheet, 1, column, header).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = max(14, len(header) + 4)
    for row_number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            write_cell(sheet, row_number, column, value)
    for column, labels in validations:
        letter = sheet.cell(row=1, column=column).column_letter
        # Excel caps an inline list at 255 characters, so the labels go to a hidden sheet.
        lists = book["DanhMuc"] if "DanhMuc" in book.sheetnames else book.create_sheet("DanhMuc")
        lists.sheet_state = "hidden"
        for index, label in enumerate(labels, 1):
            lists.cell(row=index, column=column, value=label)
        validation = DataValidation(type="list", formula1=f"=DanhMuc!${letter}$1:${letter}${len(labels)}")
        validation.error = "Hãy chọn một giá trị trong danh sách."
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}1000")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def member_template(commune):
    teams = [team.name for team in Team.objects.filter(commune=commune).active()]
    headers = [header for _, header in MEMBER_COLUMNS]
    validations = [(1, teams or ["(chưa có tổ)"])] + [
        (index, [label for _, label in CODED[key].choices])
        for index, (key, _) in enumerate(MEMBER_COLUMNS, 1)
        if key in CODED
    ]
    return workbook_bytes("Thành viên", headers, [], validations)


def member_rows(members):
    for m in members:
        yield [
            m.team.name,
            m.full_name,
            m.get_role_display(),
            m.get_origin_display(),
            m.phone,
            m.get_gender_display(),
            m.birth_year,
            m.trainings,
            m.joined_on,
        ]


def export_members(members):
    headers = [header for _, header in MEMBER_COLUMNS] + ["Ngày rời tổ"]
    rows = (row + [m.left_on] for row, m in zip(member_rows(members), members, strict=True))
    return workbook_bytes("Thành viên", headers, rows)


def read_rows(data):
    """The rows of the first sheet of an .xlsx upload (bytes), header included."""
    if len(data) > settings.MAX_UPLOAD_BYTES:
        limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ExcelFileError(f"Tệp quá lớn: tối đa {limit} MB.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExcelFileError("Tệp không phải Excel (.xlsx). Hãy tải mẫu về, nhập số liệu rồi tải lên lại.")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ExcelFileError("Không đọc được tệp Excel (.xlsx). Hãy lưu lại tệp bằng Excel rồi thử lại.") from error
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _label_lookup(choices):
    lookup = {}
    for code, label in choices.choices:
        lookup[code.lower()] = code
        lookup[label.lower()] = code
    return lookup


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _whole_number(value):
    text = _text(value).replace(",", ".")
    if not text:
        return None
    number = float(text)
    if not number.is_integer() or number < 0:
        raise ValueError
    return int(number)


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if not match:
        raise ValueError
    day, month, year = (int(part) for part in match.groups())
    return datetime.date(year, month, day)


@dataclass
class ImportResult:
    members: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)


def parse_members(commune, rows):
    """Members to create from the rows of a filled template, with every error and duplicate."""
    result = ImportResult()
    headers = [_text(cell) for cell in (rows[0] if rows else [])]
    expected = [header for _, header in MEMBER_COLUMNS]
    missing = [header for header in expected if header not in headers]
    if missing:
        result.errors.append(f"Dòng 1: thiếu cột {', '.join(missing)}. Hãy dùng tệp mẫu.")
        return result
    position = {key: headers.index(header) for key, header in MEMBER_COLUMNS}
    teams = {team.name.lower(): team for team in Team.objects.filter(commune=commune).active()}
    lookups = {key: _label_lookup(choices) for key, choices in CODED.items()}
    seen = {
        (name.lower(), phone)
        for name, phone in Member.objects.filter(team__commune=commune).values_list("full_name", "phone")
    }
    for number, row in enumerate(rows[1:], 2):
        values = {key: row[index] if index < len(row) else None for key, index in position.items()}
        if all(_text(value) == "" for value in values.values()):
            continue
        errors = []

        def error(key, reason, number=number, errors=errors):
            errors.append(f"Dòng {number}, cột {dict(MEMBER_COLUMNS)[key]}: {reason}")

        team = teams.get(_text(values["team"]).lower())
        if team is None:
            error("team", f"không có tổ «{_text(values['team'])}» đang hoạt động trong xã.")
        name = " ".join(_text(values["full_name"]).split())
        if not name:
            error("full_name", "chưa nhập họ và tên.")
        coded = {}
        for key, lookup in lookups.items():
            text = _text(values[key]).lower()
            if not text and key != "role" and key != "origin":
                coded[key] = ""
            elif text in lookup:
                coded[key] = lookup[text]
            elif not text:
                coded[key] = Member.Role.MEMBER if key == "role" else Member.Origin.VOLUNTEER
            else:
                error(key, f"giá trị «{_text(values[key])}» không có trong danh sách.")
        try:
            phone = normalize_phone(_text(values["phone"]))
        except ValidationError:
            phone = ""
            error("phone", "số điện thoại di động không hợp lệ (cần 10 số, ví dụ 0912345678).")
        parsed = {}
        for key, parse, reason in (
            ("birth_year", _whole_number, "năm sinh phải là số, ví dụ 1990."),
            ("trainings", _whole_number, "số lần tập huấn phải là số nguyên không âm."),
            ("joined_on", _date, "ngày phải có dạng ngày/tháng/năm, ví dụ 26/9/2025."),
        ):
            try:
                parsed[key] = parse(values[key])
            except (ValueError, TypeError):
                error(key, reason)
        if parsed.get("birth_year") is not None and not 1920 <= parsed["birth_year"] <= 2015:
            error("birth_year", "năm sinh không hợp lệ.")
        if errors:
            result.errors.extend(errors)
            continue
        if (name.lower(), phone) in seen:
            result.duplicates.append(f"Dòng {number}: {name} ({phone or 'không có số điện thoại'}) đã có, bỏ qua.")
            continue
        seen.add((name.lower(), phone))
        result.members.append(
            Member(
                team=team,
                full_name=name,
                phone=phone,
                trainings=parsed["trainings"] or 0,
                birth_year=parsed["birth_year"],
                joined_on=parsed["joined_on"],
                **coded,
            )
        )
    return result
