import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from teams.models import Member

HEADERS = [
    "Tổ",
    "Họ và tên",
    "Vai trò",
    "Thành phần",
    "Số điện thoại",
    "Giới tính",
    "Năm sinh",
    "Số lần tập huấn",
    "Ngày tham gia",
]


def xlsx(*rows):
    book = Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tv.xlsx", out.getvalue())


def good_row(name="Phạm Thị Lan", phone="+84 912.000.111"):
    return ["Tổ CNSCĐ Thôn Đông", name, "Tổ phó", "Hội Phụ nữ", phone, "Nữ", "1988", "2,0", "26/9/2025"]


def upload(client, cast, file):
    return client.post(reverse("teams:member_import", args=[cast.commune_x.pk]), {"file": file})


def confirm(client, cast):
    return client.post(reverse("teams:member_import_confirm", args=[cast.commune_x.pk]))


def test_a_valid_file_is_previewed_then_imported_on_confirmation(client, cast):
    client.force_login(cast.official_x)
    response = upload(client, cast, xlsx(good_row(), good_row("Đỗ Văn Hùng", "0987000222")))
    assert "Sẽ nhập 2 thành viên" in response.content.decode()
    assert Member.objects.count() == 2  # the preview saves nothing
    assert confirm(client, cast).status_code == 302
    lan = Member.objects.get(full_name="Phạm Thị Lan")
    assert (lan.team, lan.role, lan.gender, lan.phone, lan.trainings) == (
        cast.team_x,
        "deputy",
        "female",
        "0912000111",
        2,
    )


def test_one_bad_row_imports_nothing_and_the_error_names_its_row_and_column(client, cast):
    client.force_login(cast.official_x)
    bad = good_row("Đỗ Văn Hùng", "12345")
    response = upload(client, cast, xlsx(good_row(), bad))
    page = response.content.decode()
    assert "Dòng 3, cột Số điện thoại: số điện thoại di động không hợp lệ" in page
    assert "Xác nhận nhập" not in page
    confirm(client, cast)
    assert Member.objects.count() == 2


def test_a_member_already_in_the_commune_is_reported_not_doubled(client, cast):
    client.force_login(cast.official_x)
    again = good_row(cast.member_x.full_name, cast.member_x.phone)
    response = upload(client, cast, xlsx(again, good_row()))
    assert "Dòng 2: Nguyễn Văn An (0912345678) đã có, bỏ qua." in response.content.decode()
    confirm(client, cast)
    assert Member.objects.filter(full_name=cast.member_x.full_name).count() == 1
    assert Member.objects.count() == 3


def test_a_file_that_is_not_excel_is_refused_with_a_clear_message(client, cast):
    client.force_login(cast.official_x)
    response = upload(client, cast, SimpleUploadedFile("tv.xlsx", b"Ho va ten;So dien thoai\n"))
    assert "Tệp không phải Excel (.xlsx)" in response.content.decode()


def test_an_over_size_file_is_refused(client, cast, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    client.force_login(cast.official_x)
    response = upload(client, cast, xlsx(good_row()))
    assert "Tệp quá lớn" in response.content.decode()
    assert Member.objects.count() == 2


def test_a_formula_like_name_is_exported_as_text(client, cast):
    Member.objects.filter(pk=cast.member_x.pk).update(full_name='=HYPERLINK("http://x","y")')
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:member_export", args=[cast.commune_x.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = {row[1].value: row[1].data_type for row in sheet.iter_rows(min_row=2)}
    assert names == {'=HYPERLINK("http://x","y")': "s"}


def test_another_communes_official_can_neither_export_nor_import(client, cast):
    client.force_login(cast.official_y)
    assert client.get(reverse("teams:member_export", args=[cast.commune_x.pk])).status_code == 404
    assert upload(client, cast, xlsx(good_row())).status_code == 404
    assert Member.objects.count() == 2


def test_the_template_has_vietnamese_headers_and_drop_downs_for_coded_columns(client, cast):
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:member_template", args=[cast.commune_x.pk]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Thành viên"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    ranges = {str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert {"A2:A1000", "C2:C1000", "D2:D1000", "F2:F1000"} <= ranges
    assert "Tổ trưởng" in [c.value for c in book["DanhMuc"]["C"]]


def test_labels_are_accepted_as_people_type_them(client, cast):
    # The team's Tổ trưởng has left, so the row may name the next one.
    Member.objects.filter(pk=cast.member_x.pk).update(left_on="2026-01-31")
    client.force_login(cast.official_x)
    row = ["tổ cnscđ thôn đông", " Lê  Văn Tám ", "to truong", "HỘI NÔNG DÂN", "912000333", "nu", 1979.0, "", ""]
    page = upload(client, cast, xlsx(row)).content.decode()
    assert "<td>Tổ CNSCĐ Thôn Đông</td><td>Lê Văn Tám</td><td>Tổ trưởng</td><td>Hội Nông dân</td>" in page
    confirm(client, cast)
    tam = Member.objects.get(full_name="Lê Văn Tám")
    assert (tam.role, tam.origin, tam.gender, tam.phone, tam.birth_year, tam.trainings) == (
        "lead",
        "farmers_union",
        "female",
        "0912000333",
        1979,
        0,
    )


def test_a_team_of_another_commune_is_an_error_of_its_row(client, cast):
    client.force_login(cast.official_x)
    row = [cast.team_y.name, *good_row()[1:]]
    page = upload(client, cast, xlsx(row)).content.decode()
    assert f"Dòng 2, cột Tổ: không có tổ “{cast.team_y.name}” đang hoạt động trong xã." in page
    confirm(client, cast)
    assert Member.objects.count() == 2


def test_a_formula_like_name_is_imported_as_typed_and_exported_as_text(client, cast):
    client.force_login(cast.official_x)
    file = xlsx(good_row("-Phạm Lan"), good_row("@Hùng", "0987000222"))
    upload(client, cast, file)
    confirm(client, cast)
    response = client.get(reverse("teams:member_export", args=[cast.commune_x.pk]), {"sap_xep": "ten"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {row[1].value: (row[1].data_type, row[1].quotePrefix) for row in sheet.iter_rows(min_row=2)}
    assert cells["-Phạm Lan"] == ("s", True) and cells["@Hùng"] == ("s", True)


def test_a_file_already_imported_says_there_is_nothing_new(client, cast):
    client.force_login(cast.official_x)
    upload(client, cast, xlsx(good_row()))
    confirm(client, cast)
    page = upload(client, cast, xlsx(good_row())).content.decode()
    assert "Không có thành viên mới để nhập" in page
    assert "Sẽ nhập 0" not in page and "Xác nhận nhập" not in page


def test_the_template_keeps_phones_as_text_and_refuses_values_outside_its_lists(client, cast):
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:member_template", args=[cast.commune_x.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    phone = next(cell.column_letter for cell in sheet[1] if cell.value == "Số điện thoại")
    assert sheet.column_dimensions[phone].number_format == "@"
    validations = sheet.data_validations.dataValidation
    assert validations and all(v.showErrorMessage and v.error and v.allow_blank for v in validations)


def test_a_communes_export_imports_back_into_the_same_members(client, cast):
    """The export's first nine columns are the template's: the file a commune downloads, with its
    quoted texts, numbers and dates, brings back every member it lists."""
    client.force_login(cast.official_x)
    upload(client, cast, xlsx(good_row(), good_row("=Đỗ Văn Hùng", "0987000222")))
    confirm(client, cast)
    fields = ("team_id", "full_name", "role", "origin", "phone", "gender", "birth_year", "trainings", "joined_on")
    members = Member.objects.filter(team__commune=cast.commune_x)
    before = sorted(members.values_list(*fields))
    response = client.get(reverse("teams:member_export", args=[cast.commune_x.pk]))
    exported = SimpleUploadedFile("xuat.xlsx", b"".join(response.streaming_content))
    members.delete()
    page = upload(client, cast, exported).content.decode()
    assert f"Sẽ nhập {len(before)} thành viên" in page
    confirm(client, cast)
    assert sorted(members.values_list(*fields)) == before
