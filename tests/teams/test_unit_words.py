"""Labels follow the unit's kind: a ward (phường) keeps tổ dân phố, a commune (xã) thôn (issue 16)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Report
from teams.models import Commune, Village
from tests.cast import PASSWORD
from tests.reports.factories import make_request


def test_the_words_of_each_kind_of_unit(cast):
    assert (cast.commune_x.kind_word, cast.commune_x.village_word) == ("xã", "thôn")
    assert (cast.commune_y.kind_word, cast.commune_y.village_word) == ("phường", "tổ dân phố")
    special = Commune(name="Đặc khu Phú Quốc", kind=Commune.Kind.DAC_KHU)
    assert (special.kind_word, special.village_word) == ("đặc khu", "thôn")


def test_a_ward_adds_a_to_dan_pho_and_a_commune_a_thon(client, cast):
    client.force_login(cast.official_y)
    page = client.get(reverse("teams:village_list", args=[cast.commune_y.pk])).content.decode()
    assert "Thêm tổ dân phố" in page and "Thêm thôn" not in page
    assert "Tổ dân phố (" in page and "Thôn, tổ dân phố" not in page
    form = client.get(reverse("teams:village_add", args=[cast.commune_y.pk])).content.decode()
    assert "Thêm tổ dân phố" in form and "Thêm thôn" not in form
    assert '<option value="to_dan_pho" selected>' in form
    detail = client.get(reverse("teams:commune_detail", args=[cast.commune_y.pk])).content.decode()
    assert "Tỷ lệ tổ dân phố có Tổ" in detail and "Thôn, tổ dân phố" not in detail
    teams = client.get(reverse("teams:team_list", args=[cast.commune_y.pk])).content.decode()
    assert "<th>Tổ dân phố</th>" in teams

    client.force_login(cast.official_x)
    page = client.get(reverse("teams:village_list", args=[cast.commune_x.pk])).content.decode()
    assert "Thêm thôn" in page and "Thêm tổ dân phố" not in page
    form = client.get(reverse("teams:village_add", args=[cast.commune_x.pk])).content.decode()
    assert '<option value="thon" selected>' in form


def test_a_ward_saves_a_new_village_as_a_to_dan_pho_by_default(client, cast):
    client.force_login(cast.official_y)
    form = client.get(reverse("teams:village_add", args=[cast.commune_y.pk]))
    kind = form.context["form"]["kind"].value()
    client.post(
        reverse("teams:village_add", args=[cast.commune_y.pk]),
        {"name": "Tổ dân phố số 7", "kind": kind, "households": "120", "population": "480"},
    )
    assert Village.objects.get(commune=cast.commune_y, name="Tổ dân phố số 7").kind == Village.Kind.TO_DAN_PHO


def test_a_wards_report_is_sent_to_the_leaders_of_the_ward_committee(client, cast):
    report_request = make_request(cast)
    client.force_login(cast.official_y)
    client.post(reverse("reports:report_start", args=[report_request.pk]))
    report = Report.objects.get(request=report_request, commune=cast.commune_y)
    assert report.recipients.splitlines() == [
        "Sở Khoa học và Công nghệ thành phố (b/c)",
        "Lãnh đạo UBND phường",
        "Lưu: VT, VHXH",
    ]
    page = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    assert "Lãnh đạo UBND phường" in page and "UBND xã" not in page

    client.force_login(cast.official_x)
    client.post(reverse("reports:report_start", args=[report_request.pk]))
    assert "Lãnh đạo UBND xã" in Report.objects.get(request=report_request, commune=cast.commune_x).recipients


def test_the_navigation_bar_names_a_wards_units_in_the_query_that_loads_the_user(client, cast):
    """The menu's "Trang của phường" and "Tổ dân phố" come from the user's commune, loaded with the
    user (portal.backends.UserBackend), not from a query of their own on every page."""
    client.login(username="official_y", password=PASSWORD)
    page = client.get(reverse("teams:member_list", args=[cast.commune_y.pk])).content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert "Trang của phường" in nav and ">Tổ dân phố</a>" in nav
    assert "Trang của xã" not in nav and ">Thôn</a>" not in nav

    client.login(username="official_x", password=PASSWORD)
    nav = client.get(reverse("dashboards:home"), follow=True).content.decode()
    nav = nav[nav.index("<nav") : nav.index("</nav>")]
    assert "Trang của xã" in nav and ">Thôn</a>" in nav

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("teams:member_list", args=[cast.commune_x.pk]))
    loads_user = [q["sql"] for q in queries if q["sql"].startswith('SELECT "portal_user"')]
    assert len(loads_user) == 1 and 'JOIN "teams_commune"' in loads_user[0]
