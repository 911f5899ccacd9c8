"""What the address bar can hold is never a server error: a NUL character anywhere in the path or
the query is refused with a Vietnamese 400 page before a view reads it (PostgreSQL refuses it in
text), and an id that is not plain digits names nothing (404, or the filter left out)."""

import pytest
from django.urls import reverse

from exports.models import Export
from reports.models import Indicator, Report
from tests.dashboards.helpers import make_request
from tests.exports import helpers

SEARCHES = [
    ("staff_p", "accounts:login_audit", False),
    ("admin", "reports:certificate_list", False),
    ("admin", "accounts:user_list", False),
    ("official_x", "teams:member_list", True),
]


@pytest.mark.parametrize(("user", "name", "of_commune"), SEARCHES)
@pytest.mark.parametrize("query", ["?q=%00", "?q=a%00b&trang=1", "?%00=1", "?q=1&q=%00"])
def test_a_nul_character_in_the_query_is_refused_in_vietnamese(client, cast, user, name, of_commune, query):
    client.force_login(cast.user(user))
    url = reverse(name, args=[cast.commune_x.pk] if of_commune else [])
    assert client.get(url + "?q=An").status_code == 200
    response = client.get(url + query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Địa chỉ của trang có ký tự không hợp lệ." in page and "Về trang chủ" in page
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_nul_character_in_the_path_is_refused(client, cast):
    client.force_login(cast.official_x)
    assert client.get("/bao-cao/a%00b/").status_code == 400


def test_a_province_that_is_not_a_number_is_not_found(client, cast):
    Indicator.objects.ensure_seed()
    indicator = Indicator.objects.filter(province__isnull=True).first()
    client.force_login(cast.admin)
    url = reverse("dashboards:indicator_trend", args=[indicator.pk])
    assert client.get(url, {"tinh": cast.province_p.pk}).status_code == 200
    for value in ("abc", "²", "1" * 40, "-1"):
        assert client.get(url, {"tinh": value}).status_code == 404


def test_a_commune_filter_that_is_not_plain_digits_is_left_out_of_a_province_list(client, cast):
    client.force_login(cast.staff_p)
    url = reverse("teams:province_member_export", args=[cast.province_p.pk])
    export = helpers.export_of(helpers.ask(client, url + "?xa=%C2%B2"))
    assert export.status == Export.Status.DONE and not export.error
    rows = list(helpers.sheet(client.get(reverse("exports:export_download", args=[export.pk]))).iter_rows())
    assert len(rows) == 1 + 2  # the header, then the members of both communes of P


def test_ticked_reports_that_are_not_ids_accept_nothing(client, cast):
    request = make_request(cast)
    client.force_login(cast.staff_p)
    url = reverse("reports:report_accept_many", args=[request.pk])
    response = client.post(url, {"reports": ["²", "x", ""]}, follow=True)
    assert response.status_code == 200
    assert not Report.objects.filter(status=Report.Status.ACCEPTED).exists()
