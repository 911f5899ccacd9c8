"""Dates and times typed the Vietnamese way, whatever the browser's language (portal/widgets.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportRequest
from teams.models import Activity, Team
from tests.reports.matrix import request_data
from tests.teams.test_activity_views import form_data


def new_activity(cast):
    return Activity.objects.filter(team=cast.team_x).exclude(pk=cast.activity_x.pk).get()


@pytest.mark.parametrize("typed", ["01/12/2026", "1/12/2026", "01122026", "01-12-2026", "2026-12-01"])
def test_an_activity_date_is_read_day_first(client, cast, typed):
    client.force_login(cast.lead_x)
    response = client.post(reverse("teams:activity_add", args=[cast.team_x.pk]), form_data(date=typed))
    assert response.status_code == 302
    assert new_activity(cast).date == datetime.date(2026, 12, 1)


def test_the_activity_form_shows_a_text_date_in_day_month_year(client, cast):
    client.force_login(cast.lead_x)
    page = client.get(reverse("teams:activity_edit", args=[cast.activity_x.pk])).content.decode()
    assert 'type="date"' not in page
    assert 'name="date" value="15/01/2026"' in page and 'placeholder="dd/mm/yyyy"' in page


def test_a_date_that_is_not_one_is_refused_in_vietnamese_and_the_typing_kept(client, cast):
    client.force_login(cast.lead_x)
    response = client.post(reverse("teams:activity_add", args=[cast.team_x.pk]), form_data(date="31/02/2026"))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in page
        and 'value="31/02/2026"' in page
        and "Nhà văn hóa thôn" in page
    )


def test_a_deadline_is_a_day_first_date_and_a_24_hour_time(client, cast):
    client.force_login(cast.staff_p)
    data = {**request_data(cast), "deadline_0": "05/04/2026", "deadline_1": "1700", "letter_date": "01/03/2026"}
    assert client.post(reverse("reports:request_create"), data).status_code == 302
    deadline = ReportRequest.objects.get(letter_number="12/SKHCN-CNTT").deadline
    assert timezone.localtime(deadline).replace(tzinfo=None) == datetime.datetime(2026, 4, 5, 17, 0)
    page = client.get(reverse("reports:request_create")).content.decode()
    assert 'type="time"' not in page and 'placeholder="HH:MM"' in page


def test_a_refused_time_says_how_to_write_it(client, cast):
    client.force_login(cast.staff_p)
    response = client.post(reverse("reports:request_create"), {**request_data(cast), "deadline_1": "5 PM"})
    assert "Hãy nhập giờ theo dạng giờ:phút (24 giờ)" in response.content.decode()


def test_the_zalo_month_is_month_and_year(client, cast):
    client.force_login(cast.official_x)
    url = reverse("teams:team_edit", args=[cast.team_x.pk])
    data = {"name": cast.team_x.name, "level": "village", "village": cast.village_x.pk, "status": "active"}
    assert client.post(url, {**data, "zalo_url": "", "zalo_planned_month": "03/2026"}).status_code == 302
    assert Team.objects.get(pk=cast.team_x.pk).zalo_planned_month == datetime.date(2026, 3, 1)
    assert 'value="03/2026"' in client.get(url).content.decode()
