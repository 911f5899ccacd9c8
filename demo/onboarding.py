"""A filled onboarding file for the Hải Phòng department to try (accounts/onboarding.py)."""

import io

from django.conf import settings
from openpyxl import load_workbook

from accounts.onboarding import onboarding_sheet
from demo import registry as teams_demo
from portal.models import User
from teams import excel
from teams.models import Commune, Province

# One new official for each of three communes of the demo, and a team lead for Hà Tây.
PEOPLE = [
    ("Nguyễn Thị Lan", "0912000101", "lan.hatay@example.vn"),
    ("Vũ Văn Hưng", "0912000102", ""),
    ("Đỗ Thị Mai", "0912000103", ""),
]


def write_onboarding_file():
    """Writes MEDIA_ROOT/demo/tai-khoan-hai-phong.xlsx (the province's template, filled); returns its path."""
    province = Province.objects.get(code=teams_demo.HAI_PHONG)
    manager = User.objects.get(username="so.haiphong")
    communes = list(
        Commune.objects.filter(code__in=[teams_demo.HA_TAY, teams_demo.TRAN_HUNG_DAO, teams_demo.THUONG_HONG])
    )
    book = load_workbook(io.BytesIO(excel.template(onboarding_sheet(province, manager))))
    sheet = book.worksheets[0]
    for commune, (name, phone, email) in zip(communes, PEOPLE, strict=True):
        sheet.append([commune.name, "Cán bộ UBND xã/phường", name, phone, email, "", ""])
    path = settings.MEDIA_ROOT / "demo" / "tai-khoan-hai-phong.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path, province
