"""A filter typed wrong (a date that does not exist, text where a date goes) is not applied,
and the list says so beside the box and above the rows, instead of quietly showing everything."""

import datetime

from django.urls import reverse

from tests.cast import make_team
from tests.teams.test_activity_views import activity

INVALID_DATE = "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."


def not_applied(*labels):
    names = ", ".join(f"“{label}”" for label in labels)
    return f"Chưa lọc theo {names}: giá trị đã nhập không hợp lệ, danh sách dưới đây chưa áp dụng điều kiện này."


def test_a_bad_date_on_the_commune_list_is_shown_beside_its_box_and_not_applied(client, cast):
    _, west = make_team(cast.commune_x, "Thôn Tây")
    activity(west, datetime.date(2026, 3, 5), "meeting")
    client.force_login(cast.official_x)
    url = reverse("teams:activity_list", args=[cast.commune_x.pk])
    page = client.get(url, {"tu_ngay": "abc", "den_ngay": "31/02/2026"}).content.decode()
    assert page.count(INVALID_DATE) == 2
    assert 'value="abc"' in page and 'value="31/02/2026"' in page and "is-invalid" in page
    assert not_applied("Từ ngày", "Đến ngày") in page
    assert "Hoạt động (2)" in page  # both, unfiltered, as the note says
    # The filters that are right still apply.
    page = client.get(url, {"den_ngay": "31/02/2026", "kind": "meeting"}).content.decode()
    assert not_applied("Đến ngày") in page and "Hoạt động (1)" in page


def test_a_good_filter_shows_no_error(client, cast):
    client.force_login(cast.official_x)
    url = reverse("teams:activity_list", args=[cast.commune_x.pk])
    page = client.get(url, {"tu_ngay": "01/02/2026", "den_ngay": "28/02/2026"}).content.decode()
    assert "Hoạt động (0)" in page
    assert INVALID_DATE not in page and "Chưa lọc theo" not in page and "is-invalid" not in page


def test_a_bad_date_on_a_teams_list_is_shown_too(client, cast):
    client.force_login(cast.lead_x)
    page = client.get(reverse("teams:team_activity_list", args=[cast.team_x.pk]), {"den_ngay": "31/02/2026"})
    page = page.content.decode()
    assert INVALID_DATE in page and not_applied("Đến ngày") in page and 'value="31/02/2026"' in page


def test_an_export_with_a_bad_date_goes_back_to_the_list_that_shows_it(client, cast):
    client.force_login(cast.official_x)
    query = {"tu_ngay": "abc", "kind": "training"}
    response = client.get(reverse("teams:activity_export", args=[cast.commune_x.pk]), query, follow=True)
    list_url = reverse("teams:activity_list", args=[cast.commune_x.pk])
    assert response.redirect_chain == [(f"{list_url}?tu_ngay=abc&kind=training", 302)]
    page = response.content.decode()
    assert "Chưa xuất Excel: bộ lọc có giá trị không hợp lệ. Hãy sửa rồi xuất lại." in page
    assert INVALID_DATE in page
    client.force_login(cast.lead_x)
    response = client.get(reverse("teams:team_activity_export", args=[cast.team_x.pk]), {"den_ngay": "31/02/2026"})
    team_list = reverse("teams:team_activity_list", args=[cast.team_x.pk])
    assert (response.status_code, response["Location"]) == (302, f"{team_list}?den_ngay=31%2F02%2F2026")


def test_a_search_too_long_is_shown_and_not_applied(client, cast):
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:village_list", args=[cast.commune_x.pk]), {"q": "x" * 101}).content.decode()
    assert not_applied("Tìm") in page and "Thôn Đông" in page


def test_a_choice_that_does_not_exist_stays_quiet(client, cast):
    """A drop-down cannot show a value it does not have: it shows its default, which is applied."""
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:member_list", args=[cast.commune_x.pk]), {"role": "xyz"}).content.decode()
    assert "Chưa lọc theo" not in page and "is-invalid" not in page and "Nguyễn Văn An" in page
