import datetime

from django.urls import reverse

from teams.models import Village


def test_an_official_adds_a_village(client, cast):
    client.force_login(cast.official_x)
    data = {"name": "Thôn Nam", "kind": "thon", "households": "215", "population": "812"}
    assert client.post(reverse("teams:village_add", args=[cast.commune_x.pk]), data).status_code == 302
    village = Village.objects.get(name="Thôn Nam")
    assert (village.commune, village.households) == (cast.commune_x, 215)


def test_closing_a_village_keeps_it_but_takes_it_out_of_the_open_ones(client, cast):
    client.force_login(cast.official_x)
    response = client.post(reverse("teams:village_close", args=[cast.village_x.pk]), {"closed_on": "2026-07-01"})
    assert response.status_code == 302
    cast.village_x.refresh_from_db()
    assert cast.village_x.closed_on == datetime.date(2026, 7, 1)
    assert not Village.objects.filter(pk=cast.village_x.pk).open_on(datetime.date(2026, 7, 2)).exists()


def test_closing_is_post_only(client, cast):
    client.force_login(cast.official_x)
    assert client.get(reverse("teams:village_close", args=[cast.village_x.pk])).status_code == 405


def test_staff_read_only_and_other_communes_do_not_find_it(client, cast):
    url = reverse("teams:village_edit", args=[cast.village_x.pk])
    client.force_login(cast.staff_p)
    assert client.post(url, {"name": "X", "kind": "thon"}).status_code == 403
    client.force_login(cast.official_y)
    assert client.post(url, {"name": "X", "kind": "thon"}).status_code == 404
    cast.village_x.refresh_from_db()
    assert cast.village_x.name == "Thôn Đông"


def test_a_name_the_commune_already_has_is_refused_in_vietnamese_and_what_was_typed_is_kept(client, cast):
    client.force_login(cast.official_x)
    data = {"name": "thôn đông", "kind": "thon", "households": "120"}
    response = client.post(reverse("teams:village_add", args=[cast.commune_x.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xã/phường đã có “thôn đông” đang tồn tại" in page and 'value="120"' in page
    assert Village.objects.filter(commune=cast.commune_x).count() == 1


def test_renaming_a_village_to_another_open_ones_name_is_refused(client, cast):
    other = Village.objects.create(commune=cast.commune_x, name="Thôn Nam")
    client.force_login(cast.official_x)
    response = client.post(reverse("teams:village_edit", args=[other.pk]), {"name": "Thôn Đông", "kind": "thon"})
    assert "Xã/phường đã có “Thôn Đông” đang tồn tại" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Thôn Nam"


def test_a_closed_villages_name_and_another_communes_may_be_used_again(client, cast):
    cast.village_x.closed_on = datetime.date(2026, 7, 1)
    cast.village_x.save()
    client.force_login(cast.official_x)
    data = {"name": "Thôn Đông", "kind": "thon"}
    assert client.post(reverse("teams:village_add", args=[cast.commune_x.pk]), data).status_code == 302
    client.force_login(cast.official_y)
    assert client.post(reverse("teams:village_add", args=[cast.commune_y.pk]), data).status_code == 302


def test_closing_without_a_date_says_so_and_keeps_the_village_open(client, cast):
    client.force_login(cast.official_x)
    response = client.post(reverse("teams:village_close", args=[cast.village_x.pk]), {"closed_on": ""}, follow=True)
    assert "Hãy nhập ngày giải thể hoặc sáp nhập." in response.content.decode()
    cast.village_x.refresh_from_db()
    assert cast.village_x.closed_on is None
