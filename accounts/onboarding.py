"""Onboarding a province's accounts from Excel, with the registry's import machinery (teams/excel.py).

One row per account: commune (a drop-down of the province's communes), role, full name,
phone, e-mail, and the team for a team lead. The login is generated from the commune and
the name unless typed. All or nothing: a single bad row creates no account.
"""

import re
import unicodedata

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts import managing
from portal.models import User
from portal.roles import Role
from teams import excel

USERNAME = "Tên đăng nhập (để trống: tự đặt)"
TEAM = "Tổ CNSCĐ (với tổ trưởng)"


def ascii_slug(text):
    """'Nguyễn Văn Đức' -> 'nguyenvanduc'."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def email(value):
    typed = "".join(str(value if value is not None else "").split())
    if not typed:
        return ""
    try:
        validate_email(typed)
    except ValidationError:
        raise excel.CellError(f"“{typed}” không phải địa chỉ thư điện tử.") from None
    return typed.lower()


def username_taken(name, batch):
    return name.casefold() in batch or User.objects.filter(username__iexact=name).exists()


def onboarding_sheet(province, manager):
    communes = {c: c.name for c in managing.communes_for(manager).filter(province=province)}
    teams = {t: f"{t.name} – {t.commune.name}" for t in managing.teams_for(manager).filter(commune__province=province)}
    roles = {value: label for value, label in Role.choices if value in (Role.COMMUNE, Role.TEAM_LEAD)}
    roles = {value: label for value, label in roles.items() if value in managing.managed_roles(manager)}
    batch = set()  # logins given to earlier rows of this file

    def check(values):
        problems = []
        role, commune, team = values["role"], values["commune"], values["team"]
        if role == Role.TEAM_LEAD and not team:
            problems.append((TEAM, "tổ trưởng cần chọn tổ."))
        elif role == Role.TEAM_LEAD and team.commune_id != commune.pk:
            problems.append((TEAM, f"tổ “{team.name}” không thuộc {commune.name}."))
        elif role == Role.COMMUNE and team:
            problems.append((TEAM, "cán bộ xã/phường không gắn với tổ; để trống ô này."))
        if values["username"]:
            try:
                UnicodeUsernameValidator()(values["username"])
            except ValidationError:
                problems.append((USERNAME, "chỉ dùng chữ cái, số và các dấu . _ - @ +, không có dấu cách."))
            else:
                same_person = User.objects.filter(
                    username__iexact=values["username"],
                    commune=commune,
                    full_name__iexact=values["full_name"],
                    phone=values["phone"],
                )
                # The same person again is a duplicate row (skipped), not a clash.
                if username_taken(values["username"], batch) and not same_person.exists():
                    problems.append((USERNAME, f"“{values['username']}” đã có người dùng."))
        return problems

    def make(values):
        commune = values["commune"]
        login = values["username"]
        if not login:
            stem = f"{ascii_slug(commune.codename)}.{ascii_slug(values['full_name']) or 'canbo'}"[:140]
            login, number = stem, 1
            while username_taken(login, batch):
                number += 1
                login = f"{stem}{number}"
        batch.add(login.casefold())
        user = User(
            username=login,
            full_name=values["full_name"],
            role=values["role"],
            province=province,
            commune=commune,
            team=values["team"] or None,
            phone=values["phone"],
            email=values["email"],
        )
        user.set_unusable_password()
        return user

    return excel.Sheet(
        title="Tài khoản",
        noun="tài khoản",
        columns=[
            excel.Column(
                "commune",
                "Xã/phường",
                excel.choice(communes, missing=f"không có xã/phường “{{}}” trong {province.name}."),
                communes,
            ),
            excel.Column("role", "Vai trò", excel.choice(roles), roles),
            excel.Column("full_name", "Họ và tên", excel.text(150, required=True)),
            excel.Column("phone", "Số điện thoại", excel.phone),
            excel.Column("email", "Thư điện tử", email),
            excel.Column(
                "team",
                TEAM,
                excel.choice(teams, default="", missing="không có tổ “{}” trong tỉnh."),
                teams or {None: "(chưa có tổ)"},
            ),
            excel.Column("username", USERNAME, excel.text(150)),
        ],
        make=make,
        key=lambda values: (values["commune"].pk, values["full_name"].casefold(), values["phone"]),
        describe=lambda values: f"{values['full_name']} ({values['commune'].name})",
        existing=lambda: {
            (commune_id, name.casefold(), phone)
            for commune_id, name, phone in User.objects.filter(province=province).values_list(
                "commune_id", "full_name", "phone"
            )
        },
        check=check,
    )


def parse(province, manager, data):
    """excel.parse of an upload: (result, the unsaved accounts), each row's login (typed or
    generated) shown in the preview."""
    sheet = onboarding_sheet(province, manager)
    result = excel.parse(sheet, excel.read_rows(data))
    accounts = [sheet.make(values) for values in result.values]
    column = sheet.headers.index(USERNAME)
    for row, user in zip(result.preview, accounts, strict=False):
        row[column] = user.username
    return result, accounts
