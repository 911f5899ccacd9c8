import datetime

import pytest
from django.urls import reverse

from teams.models import Activity, Team
from tests.cast import make_team


@pytest.fixture
def frozen_today(time_machine):
    day = datetime.date(2026, 1, 20)
    time_machine.move_to(datetime.datetime(2026, 1, 20, 5, 0, tzinfo=datetime.UTC), tick=False)  # noon in Vietnam
    return day


def test_the_home_page_counts_activities_and_people_helped_this_month_and_this_year(client, cast, frozen_today):
    Activity.objects.create(team=cast.team_x, date=datetime.date(2025, 12, 30), kind="meeting", people_helped=100)
    Activity.objects.create(team=cast.team_x, date=datetime.date(2026, 1, 2), kind="training", people_helped=5)
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:commune_detail", args=[cast.commune_x.pk])).content.decode()
    # 15/1 (12 people, from the cast) and 2/1 (5 people); last year's meeting and commune Y's training do not count.
    assert 'data-figure="activities-month">2<' in page
    assert 'data-figure="people-month">17<' in page
    assert 'data-figure="people-year">17<' in page


def test_the_home_page_needs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    """Counts are aggregates, so the page costs the same for 14 villages or 1,400: session,
    user, the commune, villages, villages listed, teams, members, the month's and the year's
    activities, the province, and the reports to write."""
    client.force_login(cast.official_x)
    url = reverse("teams:commune_detail", args=[cast.commune_x.pk])
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200
    for n in range(5):
        make_team(cast.commune_x, f"Thôn {n}")
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_team_list_needs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    """Member counts come from one annotated query, not one query per team; the paginator
    adds one COUNT."""
    for n in range(10):
        make_team(cast.commune_x, f"Thôn {n}")
    Team.objects.filter(name="Tổ CNSCĐ Thôn 0").update(status="dissolved", dissolved_on=datetime.date(2025, 10, 31))
    client.force_login(cast.official_x)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("teams:team_list", args=[cast.commune_x.pk]))
    assert response.content.decode().count("Tổ CNSCĐ Thôn") == 11
