"""The account form (/tai-khoan/them/, /tai-khoan/<id>/): its unit pickers carry what the page's
script needs to narrow them, one message per problem, and an invalid e-mail said in words."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Role, User
from teams.models import Commune
from tests.cast import make_team

ONE_PER_PROBLEM = "Vai trò này cần chọn đơn vị."


def add(client, **data):
    return client.post(reverse("accounts:user_add"), {"full_name": "Nguyễn Văn Mới", "phone": "", "email": "", **data})


def option(page, select, value):
    body = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', page, re.S)[1]
    return re.search(rf'<option value="{value}"[^>]*>', body)[0]


def test_the_pickers_say_which_roles_need_them_and_their_options_whose_units_they_are(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("accounts:user_add")).content.decode()
    assert re.search(r'<select name="province"[^>]*data-roles="province commune team_lead"', page)
    assert re.search(r'<select name="commune"[^>]*data-roles="commune team_lead"', page)
    assert re.search(r'<select name="team"[^>]*data-roles="team_lead"', page)
    assert f'data-province="{cast.province_p.pk}"' in option(page, "commune", cast.commune_x.pk)
    assert f'data-province="{cast.province_q.pk}"' in option(page, "commune", cast.commune_z.pk)
    team = option(page, "team", cast.team_y.pk)
    assert f'data-commune="{cast.commune_y.pk}"' in team and f'data-province="{cast.province_p.pk}"' in team
    assert "/static/accounts/user_form.js" in page
    # Without the script every picker is there, with every unit the manager may choose.
    for name in ("Phường Ba Đình (Thành phố Hà Nội)", "Xã Hà Tây (Thành phố Hải Phòng)", "Tổ CNSCĐ Thôn Đông"):
        assert name in page


def test_each_option_names_its_units_without_a_query_per_option(client, cast):
    client.force_login(cast.admin)
    url = reverse("accounts:user_edit", args=[cast.lead_x.pk])

    def get():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    _, before = get()
    teams = [
        make_team(
            Commune.objects.create(
                province=cast.province_q, code=code, name=f"Xã {code}", codename=f"{code}", kind="xa"
            ),
            f"Thôn {code}",
        )[1]
        for code in range(100, 120)
    ]
    page, after = get()
    assert after == before
    for team in teams:
        assert f'data-province="{cast.province_q.pk}"' in option(page, "commune", team.commune_id)
        assert f'data-commune="{team.commune_id}"' in option(page, "team", team.pk)


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"role": Role.COMMUNE, "province": "P"}, "Cán bộ xã/phường cần chọn xã/phường.", "commune"),
        ({"role": Role.PROVINCE}, "Cán bộ Sở cần chọn tỉnh/thành phố.", "province"),
        ({"role": Role.TEAM_LEAD}, "Tổ trưởng cần chọn Tổ CNSCĐ.", "team"),
        ({"role": Role.TEAM_LEAD, "commune": "Y", "team": "x"}, "Tổ CNSCĐ Thôn Đông không thuộc Phường Trần", "team"),
        ({"role": Role.COMMUNE, "commune": "999999"}, "Hãy chọn một lựa chọn hợp lệ", "commune"),
    ],
)
def test_a_missing_or_wrong_unit_is_said_once(client, cast, data, message, field):
    units = {"P": cast.province_p.pk, "Y": cast.commune_y.pk, "x": cast.team_x.pk}
    client.force_login(cast.admin)
    response = add(client, username="moi", **{key: units.get(value, value) for key, value in data.items()})
    page = response.content.decode()
    assert response.status_code == 200 and not User.objects.filter(username="moi").exists()
    assert page.count(message) == 1
    assert len(response.context["form"].errors[field]) == 1
    assert ONE_PER_PROBLEM not in page and "cần chọn" not in page.replace(message, "")


def test_an_invalid_email_is_called_invalid_not_missing(client, cast):
    client.force_login(cast.staff_p)
    response = add(client, username="moi", role=Role.COMMUNE, commune=cast.commune_x.pk, email="moi@example")
    page = response.content.decode()
    assert "Địa chỉ thư điện tử không hợp lệ." in page and "Nhập địa chỉ email" not in page
    assert not User.objects.filter(username="moi").exists()
    data = {"username": "lead_x", "full_name": "Lead", "role": Role.TEAM_LEAD, "team": cast.team_x.pk}
    response = client.post(reverse("accounts:user_edit", args=[cast.lead_x.pk]), {**data, "email": "a b@c.vn"})
    page = response.content.decode()
    assert "Địa chỉ thư điện tử không hợp lệ." in page and "Nhập địa chỉ email" not in page
    cast.lead_x.refresh_from_db()
    assert cast.lead_x.email == ""
