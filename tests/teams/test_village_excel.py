import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from teams.models import Village

HEADERS = ["Tên", "Loại", "Số hộ", "Số nhân khẩu"]


def xlsx(*rows, headers=HEADERS):
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    for row in book.active.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"  # what someone typed, as Excel stores it: text, not a formula
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("thon.xlsx", out.getvalue())


def upload(client, cast, file, commune=None):
    commune = commune or cast.commune_x
    return client.post(reverse("teams:village_import", args=[commune.pk]), {"file": file})


def confirm(client, cast):
    return client.post(reverse("teams:village_import_confirm", args=[cast.commune_x.pk]))


def export(client, commune, **params):
    response = client.get(reverse("teams:village_export", args=[commune.pk]), params)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_template_has_vietnamese_headers_and_a_drop_down_of_kinds(client, cast):
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:village_template", args=[cast.commune_x.pk]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Thôn, tổ dân phố"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    (validation,) = sheet.data_validations.dataValidation
    assert (str(validation.sqref), validation.formula1) == ("B2:B1000", "DanhMuc!$B$1:$B$5")
    assert [c.value for c in book["DanhMuc"]["B"]] == ["Thôn", "Bản", "Tổ dân phố", "Khu dân cư", "Ấp"]
    assert book["DanhMuc"].sheet_state == "hidden"


def test_a_valid_file_is_previewed_then_imported_as_people_typed_it(client, cast):
    client.force_login(cast.official_x)
    rows = [
        ["Thôn Nam", "Thôn", "1.250", "4.812"],  # Vietnamese thousands
        ["  Tổ dân phố  số 3 ", "to dan pho", "215,0", 812],  # no diacritics, comma decimal, a number cell
        ["Ấp Bình An", "ẤP", "1 020", None],  # spaces as thousands; population left empty
        ["Bản Mường", "", 30.0, "120"],  # an empty kind is a thôn
    ]
    response = upload(client, cast, xlsx(*rows))
    page = response.content.decode()
    assert "Sẽ nhập 4 thôn, tổ dân phố" in page
    assert "<td>Tổ dân phố số 3</td><td>Tổ dân phố</td><td>215</td><td>812</td>" in page
    assert "<td>Thôn Nam</td><td>Thôn</td><td>1.250</td><td>4.812</td>" in page
    assert Village.objects.filter(commune=cast.commune_x).count() == 1  # the preview saves nothing
    assert confirm(client, cast).status_code == 302
    got = {
        v.name: (v.kind, v.households, v.population)
        for v in Village.objects.filter(commune=cast.commune_x).exclude(pk=cast.village_x.pk)
    }
    assert got == {
        "Thôn Nam": ("thon", 1250, 4812),
        "Tổ dân phố số 3": ("to_dan_pho", 215, 812),
        "Ấp Bình An": ("ap", 1020, None),
        "Bản Mường": ("thon", 30, 120),
    }


def test_one_bad_row_imports_nothing_and_every_error_names_its_row_and_column(client, cast):
    client.force_login(cast.official_x)
    rows = [["Thôn Nam", "Thôn", "120", "400"], ["Thôn Bắc", "Xóm", "12,5", "400"], ["", "Thôn", "5", "9"]]
    page = upload(client, cast, xlsx(*rows)).content.decode()
    assert "Tệp có 3 lỗi, chưa nhập thôn, tổ dân phố nào." in page
    assert "Dòng 3, cột Loại: giá trị “Xóm” không có trong danh sách." in page
    assert "Dòng 3, cột Số hộ: phải là số nguyên không âm, ví dụ 1.250." in page
    assert "Dòng 4, cột Tên: chưa nhập." in page
    assert "Xác nhận nhập" not in page
    assert confirm(client, cast).status_code == 302  # the file with errors is refused again
    assert not Village.objects.filter(name="Thôn Nam").exists()
    assert f"village_import_{cast.commune_x.pk}" not in client.session  # nor kept


def test_a_file_with_errors_replaces_a_good_one_waiting_for_confirmation(client, cast):
    client.force_login(cast.official_x)
    upload(client, cast, xlsx(["Thôn Nam", "Thôn", "120", "400"]))
    upload(client, cast, xlsx(["Thôn Bắc", "Xóm", "12", "400"]))
    response = confirm(client, cast)
    assert response.url == reverse("teams:village_import", args=[cast.commune_x.pk])
    assert not Village.objects.filter(name__in=["Thôn Nam", "Thôn Bắc"]).exists()


def test_a_village_already_in_the_commune_is_reported_not_doubled(client, cast):
    client.force_login(cast.official_x)
    rows = [["thôn đông", "Thôn", "10", "40"], ["Thôn Tây", "Thôn", "10", "40"], ["Thôn Tây", "Thôn", "11", "41"]]
    page = upload(client, cast, xlsx(*rows)).content.decode()
    assert "Dòng 2: thôn đông đã có, bỏ qua." in page
    assert "Dòng 4: Thôn Tây đã có, bỏ qua." in page
    confirm(client, cast)
    assert sorted(Village.objects.filter(commune=cast.commune_x).values_list("name", flat=True)) == [
        "Thôn Tây",
        "Thôn Đông",
    ]


def test_the_same_name_in_another_commune_is_not_a_duplicate(client, cast):
    client.force_login(cast.official_x)
    upload(client, cast, xlsx([cast.village_y.name, "Tổ dân phố", "", ""]))
    confirm(client, cast)
    assert Village.objects.filter(commune=cast.commune_x, name=cast.village_y.name).exists()


def test_a_file_that_is_not_excel_is_refused_with_a_clear_message(client, cast):
    client.force_login(cast.official_x)
    page = upload(client, cast, SimpleUploadedFile("thon.xlsx", b"Ten;Loai\nThon Nam;Thon\n")).content.decode()
    assert "Tệp không phải Excel (.xlsx)" in page
    assert "Xác nhận nhập" not in page


def test_a_broken_xlsx_is_refused_with_a_clear_message(client, cast):
    client.force_login(cast.official_x)
    broken = xlsx(["Thôn Nam", "Thôn", "1", "2"]).read()[:600]  # a zip cut short
    page = upload(client, cast, SimpleUploadedFile("thon.xlsx", broken)).content.decode()
    assert "Tệp không phải Excel (.xlsx)" in page or "Không đọc được tệp Excel" in page


def test_a_file_without_the_template_columns_is_refused(client, cast):
    client.force_login(cast.official_x)
    page = upload(client, cast, xlsx(["Thôn Nam"], headers=["Tên thôn"])).content.decode()
    assert "Dòng 1: thiếu cột Tên, Loại, Số hộ, Số nhân khẩu. Hãy dùng tệp mẫu." in page


def test_an_over_size_file_is_refused(client, cast, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    client.force_login(cast.official_x)
    page = upload(client, cast, xlsx(["Thôn Nam", "Thôn", "1", "2"])).content.decode()
    assert "Tệp quá lớn" in page
    assert not Village.objects.filter(name="Thôn Nam").exists()


def test_a_formula_like_name_is_imported_as_typed_and_exported_as_text(client, cast):
    client.force_login(cast.official_x)
    formula = '=HYPERLINK("http://x.example","bấm")'
    upload(client, cast, xlsx([formula, "Thôn", "1", "2"], ["+84 xóm", "Thôn", "1", "2"]))
    confirm(client, cast)
    assert Village.objects.filter(name=formula).exists()
    sheet = export(client, cast.commune_x)
    cells = {row[0].value: (row[0].data_type, row[0].quotePrefix) for row in sheet.iter_rows(min_row=2)}
    assert cells[formula] == ("s", True)
    assert cells["+84 xóm"] == ("s", True)
    # A list's text columns are text through and through: an ordinary name is quoted too, so an
    # edit in Excel never turns it into a formula or a number.
    assert cells["Thôn Đông"] == ("s", True)
    numbers = {row[0].value: (row[2].data_type, row[2].quotePrefix) for row in sheet.iter_rows(min_row=2)}
    assert numbers[formula] == ("n", False)


def test_the_export_honours_the_lists_filters(client, cast):
    Village.objects.create(commune=cast.commune_x, name="Thôn Nam", kind="thon", households=300)
    Village.objects.create(commune=cast.commune_x, name="Tổ dân phố 2", kind="to_dan_pho", households=90)
    Village.objects.create(commune=cast.commune_x, name="Thôn Cũ", kind="thon", closed_on="2025-01-01")
    client.force_login(cast.staff_p)
    sheet = export(client, cast.commune_x, kind="thon", sap_xep="so-ho")
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Tên", "Loại", "Số hộ", "Số nhân khẩu", "Có Tổ CNSCĐ", "Ngày giải thể/sáp nhập")
    assert [row[:3] for row in rows[1:]] == [("Thôn Nam", "Thôn", 300), ("Thôn Đông", "Thôn", None)]
    assert rows[2][4] == "Có"
    everything = export(client, cast.commune_x, trang_thai="tat-ca")
    assert everything.max_row == 5


@pytest.mark.parametrize("user", ["official_y", "staff_q", "lead_x"])
def test_another_communes_users_get_404_on_template_import_confirm_and_export(client, cast, user):
    client.force_login(cast.user(user))
    commune = cast.commune_x.pk
    assert client.get(reverse("teams:village_template", args=[commune])).status_code == 404
    assert client.get(reverse("teams:village_export", args=[commune])).status_code == 404
    assert upload(client, cast, xlsx(["Thôn Lạ", "Thôn", "1", "2"])).status_code == 404
    assert confirm(client, cast).status_code == 404
    assert not Village.objects.filter(name="Thôn Lạ").exists()


def test_staff_of_the_province_may_export_but_not_import(client, cast):
    client.force_login(cast.staff_p)
    assert export(client, cast.commune_x).max_row == 2
    assert upload(client, cast, xlsx(["Thôn Lạ", "Thôn", "1", "2"])).status_code == 403


def test_an_upload_for_one_commune_cannot_be_confirmed_into_another(client, cast):
    client.force_login(cast.admin)
    upload(client, cast, xlsx(["Thôn Lạ", "Thôn", "1", "2"]), commune=cast.commune_y)
    assert confirm(client, cast).status_code == 302  # commune X has no upload waiting
    assert not Village.objects.filter(name="Thôn Lạ").exists()
