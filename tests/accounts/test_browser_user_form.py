"""The account form on a phone: only the pickers the role needs, and the communes of the province
chosen (accounts/static/accounts/user_form.js), under the portal's Content-Security-Policy."""

import pytest
from django.urls import reverse

from portal.models import Role, User
from teams.models import Commune
from tests.cast import PASSWORD, make_team

pytestmark = pytest.mark.browser

LISTEN = """() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective));
}"""


def visible(page, name):
    return page.locator(f"select[name={name}]").is_visible()


def options(page, name):
    return page.eval_on_selector(f"select[name={name}]", "s => Array.from(s.options, o => o.textContent.trim())")


def test_the_admin_sees_the_pickers_of_the_role_and_the_communes_of_the_province(cast, login_page, live_server):
    Commune.objects.create(province=cast.province_q, code=5, name="Phường Hoàn Kiếm", codename="hk", kind="phuong")
    _, team_z = make_team(cast.commune_z, "Tổ dân phố Ba Đình")
    page = login_page(cast.admin, PASSWORD, viewport={"width": 390, "height": 844})
    page.add_init_script(script=LISTEN.join(["(", ")()"]))
    page.goto(live_server.url + reverse("accounts:user_add"))

    page.select_option("select[name=role]", Role.COMMUNE)
    assert (visible(page, "province"), visible(page, "commune"), visible(page, "team")) == (True, True, False)
    page.select_option("select[name=province]", str(cast.province_p.pk))
    assert options(page, "commune")[0] == "— Chọn —"
    assert sorted(options(page, "commune")[1:]) == [
        "Phường Trần Hưng Đạo (Thành phố Hải Phòng)",
        "Xã Hà Tây (Thành phố Hải Phòng)",
    ]

    page.select_option("select[name=role]", Role.TEAM_LEAD)
    assert (visible(page, "province"), visible(page, "commune"), visible(page, "team")) == (True, True, True)
    assert sorted(options(page, "team")[1:]) == [
        "Tổ CNSCĐ Thôn Đông – Xã Hà Tây (Thành phố Hải Phòng)",
        "Tổ CNSCĐ Tổ dân phố số 1 – Phường Trần Hưng Đạo (Thành phố Hải Phòng)",
    ]
    page.select_option("select[name=commune]", str(cast.commune_y.pk))
    assert options(page, "team")[1:] == ["Tổ CNSCĐ Tổ dân phố số 1 – Phường Trần Hưng Đạo (Thành phố Hải Phòng)"]
    page.select_option("select[name=province]", str(cast.province_q.pk))
    assert sorted(options(page, "commune")[1:]) == [
        "Phường Ba Đình (Thành phố Hà Nội)",
        "Phường Hoàn Kiếm (Thành phố Hà Nội)",
    ]
    assert page.input_value("select[name=commune]") == ""  # Phường Trần Hưng Đạo is not in Hà Nội
    assert options(page, "team")[1:] == [f"{team_z.name} – Phường Ba Đình (Thành phố Hà Nội)"]

    page.select_option("select[name=role]", Role.PROVINCE)
    assert (visible(page, "province"), visible(page, "commune"), visible(page, "team")) == (True, False, False)
    page.select_option("select[name=role]", Role.ADMIN)
    assert (visible(page, "province"), visible(page, "commune"), visible(page, "team")) == (False, False, False)

    # What is left to choose is saved as chosen.
    page.select_option("select[name=role]", Role.COMMUNE)
    page.select_option("select[name=province]", str(cast.province_p.pk))
    page.select_option("select[name=commune]", str(cast.commune_x.pk))
    page.fill("input[name=username]", "xa.hatay.moi")
    page.fill("input[name=full_name]", "Nguyễn Văn Mới")
    assert page.evaluate("window.__cspViolations") == []
    with page.expect_navigation():
        page.click("button:text('Lưu')")
    account = User.objects.get(username="xa.hatay.moi")
    assert (account.role, account.province, account.commune) == (Role.COMMUNE, cast.province_p, cast.commune_x)
