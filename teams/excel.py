"""Excel templates, imports and exports of the registry (openpyxl).

A sheet that can be imported (villages, members) is a list of columns, each with its
Vietnamese header and a parser that turns what a user typed into a value or raises CellError
with the reason. Import is all or nothing: ``parse`` reads every row and returns the objects
it would create with every error and duplicate it found; the view saves nothing unless there
is no error. Exports stream through portal/xlsx.py, which never writes a formula.
"""

import datetime
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from portal import spreadsheets, xlsx
from portal.text import clean_text
from portal.uploads import too_large
from portal.vietnamese import number, short_date
from teams.forms import normalize_phone
from teams.history import create_with_history
from teams.models import BIRTH_YEARS, Activity, Commune, Member, Team, Topic, Village

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The upload is not a usable .xlsx file, or is over a limit; the message is for the user.
ExcelFileError = spreadsheets.SpreadsheetError


class CellError(ValueError):
    """What is wrong with one cell, in Vietnamese, to follow "Dòng 3, cột Số hộ: "."""


@dataclass
class Column:
    key: str
    header: str
    parse: Callable
    labels: dict | None = None  # value -> label, offered as the template's drop-down list
    records: dict | None = None  # id -> record, for a column whose values are records (a team)

    def show(self, value):
        """The parsed value as the preview shows it."""
        if self.labels is not None:
            return self.labels.get(value, "")
        if isinstance(value, datetime.date):
            return short_date(value)
        if isinstance(value, int) and not self.key.endswith("year"):
            return number(value)  # 1.234 households; a birth year stays 1960, never 1.960
        return "" if value is None else str(value)


@dataclass
class Sheet:
    """What one kind of record looks like in Excel, for one commune."""

    title: str
    noun: str
    columns: list
    make: Callable  # parsed values -> an unsaved model instance
    key: Callable  # parsed values -> what makes two rows the same record
    describe: Callable  # parsed values -> how the duplicate message names the record
    existing: Callable  # () -> keys of the records the commune already has
    # parsed values -> [(header, reason)]: rules across columns, rows and the registry, asked once
    # per new record in the file's order (duplicates skipped), at preview and again at confirmation
    check: Callable | None = None

    @property
    def headers(self):
        return [column.header for column in self.columns]


PREVIEW_ROWS = 200  # a preview of thousands of rows helps nobody and takes seconds to draw


@dataclass
class ImportResult:
    headers: list
    values: list = field(default_factory=list)  # the parsed values of each record to create
    preview: list = field(default_factory=list)  # how the first PREVIEW_ROWS of them read
    errors: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)


# Reading what people type -------------------------------------------------------------


# How a .xlsx stores a character XML cannot hold (a control character typed or pasted in Excel).
OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescaped(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), str(value))


def _text(value):
    return " ".join(unicodedata.normalize("NFC", _unescaped(value)).split())


def _folded(text):
    return _text(text).casefold()


def _plain(text):
    """'Tổ trưởng' -> 'to truong': what a user without a Vietnamese keyboard types."""
    decomposed = unicodedata.normalize("NFD", _folded(text).replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def text(max_length, required=False):
    def parse(value):
        try:
            # The forms' rule (portal/text.py): NFC, and no control characters.
            clean_text(_unescaped(value))
        except ValidationError:
            raise CellError("có ký tự điều khiển không nhìn thấy được; hãy gõ lại nội dung ô này.") from None
        result = _text(value)
        if required and not result:
            raise CellError("chưa nhập.")
        if len(result) > max_length:
            raise CellError(f"dài quá {max_length} ký tự.")
        return result

    return parse


def choice(options, default=None, missing=None):
    """A parser for one of ``options`` (value -> label), given by its label or its code, in
    any case, with or without diacritics; an empty cell is ``default`` (or an error when None)."""
    exact, plain = {}, {}
    for value, label in options.items():
        for name in (label, str(value) if isinstance(value, str) else label):
            exact[_folded(name)] = value
            plain.setdefault(_plain(name), set()).add(value)
    unambiguous = {name: values.pop() for name, values in plain.items() if len(values) == 1}

    def parse(cell):
        typed = _text(cell)
        if not typed:
            if default is None:
                raise CellError("chưa chọn giá trị.")
            return default
        if _folded(typed) in exact:
            return exact[_folded(typed)]
        if _plain(typed) in unambiguous:
            return unambiguous[_plain(typed)]
        raise CellError(missing.format(typed) if missing else f"giá trị “{typed}” không có trong danh sách.")

    return parse


def coded(key, header, choices, default):
    """A column of a model's TextChoices, picked from a drop-down in the template."""
    labels = dict(choices.choices)
    return Column(key, header, choice(labels, default), labels)


def whole_number(low=0, high=None, reason=None):
    """Counts as people type them: 1250, 1.250 or 1 250 (thousands), 2,0 (a comma decimal)."""
    reason = reason or "phải là số nguyên không âm, ví dụ 1.250."

    def parse(value):
        if isinstance(value, bool):
            raise CellError(reason)
        if isinstance(value, int | float):
            amount = value
        else:
            typed = re.sub(r"\s", "", _text(value))
            if not typed:
                return None
            if re.fullmatch(r"\d{1,3}(\.\d{3})+(,0*)?", typed):
                typed = typed.split(",")[0].replace(".", "")
            try:
                amount = float(typed.replace(",", "."))
            except ValueError:
                raise CellError(reason) from None
        if not float(amount).is_integer() or amount < low or (high is not None and amount > high):
            raise CellError(reason)
        return int(amount)

    return parse


def date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    typed = _text(value)
    if not typed:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", typed)
    reason = "ngày phải có dạng ngày/tháng/năm, ví dụ 26/09/2025."
    if not match:
        raise CellError(reason)
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(reason) from None


def phone(value):
    try:
        return normalize_phone(_text(value))
    except ValidationError:
        raise CellError("số điện thoại di động không hợp lệ (cần 10 số, ví dụ 0912345678).") from None


# The sheets -----------------------------------------------------------------------------


def village_sheet(commune):
    def make(values):
        return Village(
            commune=commune,
            name=values["name"],
            kind=values["kind"],
            households=values["households"],
            population=values["population"],
        )

    return Sheet(
        title="Thôn, tổ dân phố",
        noun="thôn, tổ dân phố",
        columns=[
            Column("name", "Tên", text(100, required=True)),
            coded("kind", "Loại", Village.Kind, Village.Kind.THON),
            Column("households", "Số hộ", whole_number()),
            Column("population", "Số nhân khẩu", whole_number()),
        ],
        make=make,
        key=lambda values: values["name"].casefold(),
        describe=lambda values: values["name"],
        existing=lambda: {
            name.casefold() for name in Village.objects.filter(commune=commune).open_on().values_list("name", flat=True)
        },
    )


def member_sheet(commune):
    teams = {team: team.name for team in Team.objects.filter(commune=commune).active()}
    # team id -> the name of its Tổ trưởng who has not left, in the registry (one query) and then as
    # the file's earlier rows give them
    leads = dict(
        Member.objects.current_leads().filter(team__in=teams).order_by("-pk").values_list("team_id", "full_name")
    )
    registry_leads = set(leads)

    def make(values):
        return Member(**{**values, "trainings": values["trainings"] or 0})

    def check(values):
        """A team has one Tổ trưởng who has not left: none in the registry, one in the file."""
        if values["role"] != Member.Role.LEAD:
            return []
        team = values["team"]
        if team.pk in registry_leads:
            reason = f"{team.name} đã có Tổ trưởng: {leads[team.pk]}. Hãy đổi vai trò của người đó trước."
            return [("Vai trò", reason)]
        if team.pk in leads:
            reason = f"tệp đã ghi {leads[team.pk]} là Tổ trưởng của {team.name}; mỗi tổ chỉ có một Tổ trưởng."
            return [("Vai trò", reason)]
        leads[team.pk] = values["full_name"]
        return []

    return Sheet(
        title="Thành viên",
        noun="thành viên",
        columns=[
            Column(
                "team",
                "Tổ",
                choice(teams, missing="không có tổ “{}” đang hoạt động trong xã."),
                teams or {None: "(chưa có tổ)"},
                {team.pk: team for team in teams},
            ),
            Column("full_name", "Họ và tên", text(150, required=True)),
            coded("role", "Vai trò", Member.Role, Member.Role.MEMBER),
            coded("origin", "Thành phần", Member.Origin, Member.Origin.VOLUNTEER),
            Column("phone", "Số điện thoại", phone),
            coded("gender", "Giới tính", Member.Gender, ""),
            Column("birth_year", "Năm sinh", whole_number(*BIRTH_YEARS, "năm sinh không hợp lệ, ví dụ 1990.")),
            Column("trainings", "Số lần tập huấn", whole_number()),
            Column("joined_on", "Ngày tham gia", date),
        ],
        make=make,
        key=lambda values: (values["full_name"].casefold(), values["phone"]),
        describe=lambda values: f"{values['full_name']} ({values['phone'] or 'không có số điện thoại'})",
        existing=lambda: {
            (name.casefold(), number)
            for name, number in Member.objects.filter(team__commune=commune).values_list("full_name", "phone")
        },
        check=check,
    )


# Templates and imports ------------------------------------------------------------------


TEXT_COLUMNS = {"phone"}


def template(sheet):
    """An empty workbook with the sheet's headers and a drop-down list for each coded column."""
    book = Workbook()
    main = book.active
    main.title = sheet.title[:31]
    lists = None
    for index, column in enumerate(sheet.columns, 1):
        cell = main.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        main.column_dimensions[cell.column_letter].width = max(16, len(column.header) + 4)
        if column.key in TEXT_COLUMNS:
            # Typed as text, so that Excel keeps a phone number's leading 0.
            main.column_dimensions[cell.column_letter].number_format = "@"
        if column.labels is None:
            continue
        # Excel caps an inline list at 255 characters, so the labels go to a hidden sheet.
        if lists is None:
            lists = book.create_sheet("DanhMuc")
            lists.sheet_state = "hidden"
        for row, label in enumerate(column.labels.values(), 1):
            xlsx.keep_as_text(lists.cell(row=row, column=index, value=label))
        letter = cell.column_letter
        validation = DataValidation(type="list", formula1=f"DanhMuc!${letter}$1:${letter}${len(column.labels)}")
        # Excel refuses a value typed outside the list, and says why; an empty cell is left to the
        # import, which names the row of a required value that is missing.
        validation.showErrorMessage = True
        validation.errorTitle = "Giá trị không có trong danh sách"
        validation.error = "Hãy chọn một giá trị trong danh sách."
        validation.allow_blank = True
        main.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}1000")
    main.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_rows(data):
    """The rows of the first sheet of an .xlsx upload (bytes), header included, read within the
    limits of portal/spreadsheets.py (zip bombs, rows, cell lengths)."""
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise ExcelFileError(too_large())
    return spreadsheets.read_rows(io.BytesIO(data))


def parse(sheet, rows):
    """The records to create from the rows of a filled template, with every error and duplicate."""
    result = ImportResult(headers=sheet.headers)
    headers = [_folded(cell) for cell in (rows[0] if rows else [])]
    missing = [column.header for column in sheet.columns if _folded(column.header) not in headers]
    if missing:
        result.errors.append(f"Dòng 1: thiếu cột {', '.join(missing)}. Hãy dùng tệp mẫu.")
        return result
    position = {column.key: headers.index(_folded(column.header)) for column in sheet.columns}
    seen = sheet.existing()
    for row_number, row in enumerate(rows[1:], 2):
        cells = {key: row[index] if index < len(row) else None for key, index in position.items()}
        if all(_text(cell) == "" for cell in cells.values()):
            continue
        values, errors = {}, []
        for column in sheet.columns:
            try:
                values[column.key] = column.parse(cells[column.key])
            except CellError as error:
                errors.append(f"Dòng {row_number}, cột {column.header}: {error}")
        if errors:
            result.errors.extend(errors)
            continue
        key = sheet.key(values)
        if key in seen:
            result.duplicates.append(f"Dòng {row_number}: {sheet.describe(values)} đã có, bỏ qua.")
            continue
        if sheet.check:
            errors = [f"Dòng {row_number}, cột {header}: {reason}" for header, reason in sheet.check(values)]
            if errors:
                result.errors.extend(errors)
                continue
        seen.add(key)
        result.values.append(values)
        if len(result.preview) < PREVIEW_ROWS:
            result.preview.append([column.show(values[column.key]) for column in sheet.columns])
    return result


# Between preview and confirmation: the parsed values, not the file ---------------------


def kept_values(result):
    """The parsed rows of ``result`` as JSON bytes: records by their id, dates in ISO form.
    The confirmation rebuilds the records from them instead of reading the file again."""

    def plain(value):
        if isinstance(value, models.Model):
            return value.pk
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    rows = [{key: plain(value) for key, value in values.items()} for values in result.values]
    return json.dumps({"rows": rows, "duplicates": len(result.duplicates)}).encode()


def restored_values(sheet, data):
    """(parsed rows, duplicates skipped at preview) from kept_values()'s bytes, with records as
    the sheet offers them now: ExcelFileError if one is gone (a team no longer active)."""
    kept = json.loads(data)
    restorers = {}
    for column in sheet.columns:
        if column.parse is date:
            restorers[column.key] = lambda value: value and datetime.date.fromisoformat(value)
        elif column.records is not None:

            def restore(pk, records=column.records, column=column):
                if pk not in records:
                    raise ExcelFileError(f"Cột {column.header}: một giá trị không còn dùng được. Hãy tải tệp lên lại.")
                return records[pk]

            restorers[column.key] = restore
    rows = [
        {key: restorers[key](value) if key in restorers else value for key, value in row.items()}
        for row in kept["rows"]
    ]
    return rows, kept["duplicates"]


def save_rows(commune, sheet, rows, user):
    """Create the records of ``rows`` in the commune, in bulk, with their history rows in bulk;
    rows the registry got since the preview are skipped. Returns (created, skipped). A row the
    sheet's check now refuses (the registry changed since the preview) raises ExcelFileError:
    nothing is created. Called in a transaction."""
    # Two confirmations at once (two tabs, two officials) would each read the registry before the
    # other's rows are in, and both create them: the second waits here for the first to commit.
    Commune.objects.lock([commune.pk])
    seen = sheet.existing()
    records = []
    for values in rows:
        key = sheet.key(values)
        if key in seen:
            continue
        refusals = sheet.check(values) if sheet.check else []
        if refusals:
            header, reason = refusals[0]
            raise ExcelFileError(f"{sheet.describe(values)}, cột {header}: {reason}")
        seen.add(key)
        records.append(sheet.make(values))
    if records:
        create_with_history(records, user)
    return len(records), len(rows) - len(records)


# Exports --------------------------------------------------------------------------------


@dataclass
class Export:
    """A list as an .xlsx file: each column with the field (of ``values_list``) it shows and,
    for a coded field, how its value reads. Rows are tuples, not model instances: a province's
    25,000 members are written in about a second."""

    title: str
    columns: list  # (xlsx.Column, field lookup, value -> shown value, or None to show as is)
    commune_field: str = "commune__name"  # the commune's name, added to a province-wide export

    def rows(self, records, columns):
        fields = [field for _, field, _ in columns]
        converters = [(index, convert) for index, (_, _, convert) in enumerate(columns) if convert]
        for values in records.values_list(*fields).iterator(chunk_size=2000):
            if converters:
                values = list(values)
                for index, convert in converters:
                    values[index] = convert(values[index])
            yield values

    def write(self, records, province_wide=False):
        """A temporary file holding every record of the queryset ``records``, written as they
        are read (bounded memory); a province-wide list ends each row with its commune."""
        columns = self.columns
        if province_wide:
            columns = [*columns, (xlsx.Column("Xã/phường", 28), self.commune_field, None)]
        headers = [column for column, _, _ in columns]
        return xlsx.write_list(headers, self.rows(records, columns), self.title)

    def response(self, records, filename):
        return FileResponse(self.write(records), as_attachment=True, filename=filename, content_type=xlsx.XLSX_TYPE)


def shown(choices):
    """value -> label of a model's choices (empty when not set)."""
    labels = dict(choices.choices)
    return lambda value: labels.get(value, "")


def topic_labels(mask):
    return ", ".join(topic.label for topic in Topic.split(mask or 0))


VILLAGES = Export(
    "Thôn, tổ dân phố",
    [
        (xlsx.Column("Tên", 28), "name", None),
        (xlsx.Column("Loại", 14), "kind", shown(Village.Kind)),
        (xlsx.Column("Số hộ", 12, xlsx.INTEGER), "households", None),
        (xlsx.Column("Số nhân khẩu", 14, xlsx.INTEGER), "population", None),
        (xlsx.Column("Có Tổ CNSCĐ", 12), "has_team", lambda has_team: "Có" if has_team else "Chưa"),
        (xlsx.Column("Ngày giải thể/sáp nhập", 16, xlsx.DATE), "closed_on", None),
    ],
)

TEAMS = Export(
    "Tổ CNSCĐ",
    [
        (xlsx.Column("Tên tổ", 32), "name", None),
        (xlsx.Column("Cấp", 10), "level", shown(Team.Level)),
        (xlsx.Column("Thôn, tổ dân phố", 24), "village__name", lambda name: name or ""),
        (xlsx.Column("Trạng thái", 16), "status", shown(Team.Status)),
        (xlsx.Column("Ngày giải thể", 14, xlsx.DATE), "dissolved_on", None),
        (xlsx.Column("Số thành viên", 12, xlsx.INTEGER), "active_members", None),
        (xlsx.Column("Nhóm Zalo", 30), "zalo_url", None),
    ],
)

# The first nine headers are the import template's, so an export can be filled and imported.
MEMBERS = Export(
    "Thành viên",
    [
        (xlsx.Column("Tổ", 28), "team__name", None),
        (xlsx.Column("Họ và tên", 24), "full_name", None),
        (xlsx.Column("Vai trò", 12), "role", shown(Member.Role)),
        (xlsx.Column("Thành phần", 22), "origin", shown(Member.Origin)),
        (xlsx.Column("Số điện thoại", 14), "phone", None),
        (xlsx.Column("Giới tính", 10), "gender", shown(Member.Gender)),
        (xlsx.Column("Năm sinh", 10, xlsx.YEAR), "birth_year", None),
        (xlsx.Column("Số lần tập huấn", 14, xlsx.INTEGER), "trainings", None),
        (xlsx.Column("Ngày tham gia", 14, xlsx.DATE), "joined_on", None),
        (xlsx.Column("Ngày rời tổ", 14, xlsx.DATE), "left_on", None),
    ],
    commune_field="team__commune__name",
)

ACTIVITIES = Export(
    "Hoạt động",
    [
        (xlsx.Column("Ngày", 12, xlsx.DATE), "date", None),
        (xlsx.Column("Tổ", 28), "team__name", None),
        (xlsx.Column("Hình thức", 24), "kind", shown(Activity.Kind)),
        (xlsx.Column("Nội dung", 36), "topics", topic_labels),
        (xlsx.Column("Địa điểm", 24), "place", None),
        (xlsx.Column("Số người được hỗ trợ", 14, xlsx.INTEGER), "people_helped", None),
        (xlsx.Column("Số hộ được tiếp cận", 14, xlsx.INTEGER), "households_reached", None),
        (xlsx.Column("Số tài khoản được tạo", 14, xlsx.INTEGER), "accounts_created", None),
        (xlsx.Column("Ghi chú", 40), "notes", None),
    ],
)
