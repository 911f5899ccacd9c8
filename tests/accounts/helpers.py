import io

from openpyxl import Workbook, load_workbook

from accounts.onboarding import TEAM, USERNAME

HEADERS = ["Xã/phường", "Vai trò", "Họ và tên", "Số điện thoại", "Thư điện tử", TEAM, USERNAME]


def onboarding_file(rows, headers=HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "tai-khoan.xlsx"
    return out


def read_template(data):
    book = load_workbook(io.BytesIO(data))
    return book.worksheets[0], book["DanhMuc"]
