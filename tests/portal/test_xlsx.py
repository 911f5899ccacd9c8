import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import PASSWORD
from tests.dashboards.helpers import make_request


def read(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_commune_table_exports_with_headers_frozen_row_filters_and_values(client, cast):
    make_request(cast)
    client.login(username="staff_p", password=PASSWORD)
    url = reverse("dashboards:province_dashboard", args=[cast.province_p.pk])
    sheet = read(client.get(url, {"kind": "year", "year": 2026, "xuat": "xlsx"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Xã/phường" and rows[0][4] == "Số Tổ CNSCĐ"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I3"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Xã Hà Tây"][4:8] == (1, 1, 1, 12)
    assert by_name["Xã Hà Tây"][8] == "Chưa soạn"
    assert sheet["E2"].number_format == "#,##0"


def test_national_and_completeness_tables_export(client, cast):
    request = make_request(cast)
    client.login(username="admin", password=PASSWORD)
    sheet = read(client.get(reverse("dashboards:national_dashboard"), {"xuat": "xlsx"}))
    assert sheet["A1"].value == "Tỉnh/thành phố" and sheet.max_row == 3
    sheet = read(client.get(reverse("dashboards:completeness", args=[request.pk]), {"xuat": "xlsx"}))
    assert [c.value for c in sheet[1]] == ["Xã/phường", "Tình trạng", "Gửi lần đầu"]
    assert {sheet.cell(row, 2).value for row in (2, 3)} == {"Chưa soạn"}


def test_a_large_export_streams_from_a_write_only_workbook():
    from portal import xlsx

    columns = [xlsx.Column("Số", number_format=xlsx.INTEGER), xlsx.Column("Tên")]
    rows = ((i, f"Dòng {i}") for i in range(20000))
    sheet = load_workbook(xlsx.write(columns, rows), read_only=True).active
    read_back = list(sheet.iter_rows(values_only=True))
    assert len(read_back) == 20001
    assert read_back[-1] == (19999, "Dòng 19999")


def test_every_kind_of_value_keeps_its_type_and_format():
    """Numbers stay numbers, dates dates (in the column's format), text text; a text that looks
    like a formula is quoted text, an empty text or None an empty cell, a control character dropped."""
    import datetime
    from decimal import Decimal

    from django.utils.translation import gettext_lazy

    from portal import xlsx

    columns = [xlsx.Column("Giá trị"), xlsx.Column("Ngày", number_format=xlsx.DATE)]
    rows = [
        (1250, datetime.date(2026, 1, 5)),
        (Decimal("12.50"), datetime.datetime(2026, 1, 5, 8, 30)),
        (0.25, None),
        (True, None),
        ("", None),
        ("=HYPERLINK(1)", None),
        ("Tổ\x07 Một", None),
        (gettext_lazy("Thành viên"), None),
        (xlsx.Cell(7775, xlsx.INTEGER), None),
    ]
    sheet = load_workbook(xlsx.write(columns, rows)).active
    values = [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=2, max_row=len(rows) + 1)]
    assert values == [
        (1250, datetime.datetime(2026, 1, 5)),
        (12.5, datetime.datetime(2026, 1, 5, 8, 30)),
        (0.25, None),
        (True, None),
        (None, None),
        ("=HYPERLINK(1)", None),
        ("Tổ Một", None),
        ("Thành viên", None),
        (7775, None),
    ]
    assert sheet["A7"].data_type == "s" and sheet["A7"].quotePrefix
    assert sheet["B2"].number_format == xlsx.DATE and sheet["B3"].number_format == xlsx.DATE
    assert sheet["A10"].number_format == xlsx.INTEGER


def test_a_list_keeps_each_columns_type_and_format_and_its_texts_never_become_formulas():
    """write_list (rustpy-xlsxwriter): numbers and years stay numbers in their formats, dates
    dates, every text of a text column is quoted text; an empty text is an empty cell, a control
    character dropped, a translated label its text; the header is bold, frozen and filtered."""
    import datetime

    from django.utils.translation import gettext_lazy

    from portal import xlsx

    columns = [
        xlsx.Column("Tên", 24),
        xlsx.Column("Số", 10, xlsx.INTEGER),
        xlsx.Column("Năm sinh", 8, xlsx.YEAR),
        xlsx.Column("Ngày", 12, xlsx.DATE),
    ]
    rows = [
        ("=HYPERLINK(1)", 1250, 1990, datetime.date(2026, 1, 5)),
        ("0912345678", None, None, None),
        ("", 3, 2001, datetime.date(2025, 12, 31)),
        ("Tổ\x07 Một", 0, None, None),
        (gettext_lazy("Thành viên"), 7, None, None),
    ]
    sheet = load_workbook(xlsx.write_list(columns, iter(rows), "Danh sách")).active
    assert sheet.title == "Danh sách"
    assert [c.value for c in sheet[1]] == ["Tên", "Số", "Năm sinh", "Ngày"] and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D6"
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("=HYPERLINK(1)", 1250, 1990, datetime.datetime(2026, 1, 5)),
        ("0912345678", None, None, None),
        (None, 3, 2001, datetime.datetime(2025, 12, 31)),
        ("Tổ Một", 0, None, None),
        ("Thành viên", 7, None, None),
    ]
    for cell in ("A2", "A3", "A5", "A6"):
        assert sheet[cell].data_type == "s" and sheet[cell].quotePrefix
    assert (sheet["B2"].data_type, sheet["B2"].number_format, sheet["B2"].quotePrefix) == ("n", xlsx.INTEGER, False)
    assert (sheet["C2"].number_format, sheet["D2"].number_format) == (xlsx.YEAR, xlsx.DATE)
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width


def test_an_empty_list_still_has_its_header_and_a_short_row_is_refused():
    import pytest

    from portal import xlsx

    columns = [xlsx.Column("Tên"), xlsx.Column("Số", number_format=xlsx.INTEGER)]
    sheet = load_workbook(xlsx.write_list(columns, iter(()))).active
    assert list(sheet.iter_rows(values_only=True)) == [("Tên", "Số")]
    assert sheet.freeze_panes == "A2"
    with pytest.raises(ValueError, match="row 2 has 1 values for 2 columns"):
        xlsx.write_list(columns, iter([("Một", 1), ("Hai",)]))
