"""An activity records what has happened: no path that writes one takes a day after today
(the local day in Việt Nam), while save() itself still does, for scripts and the demo data."""

import datetime
import uuid

import pytest
from django.urls import reverse

from teams.models import Activity, ActivityMonth
from tests.teams.test_activity_views import form_data

# 18:30 UTC on 10/3 is 01:30 on 11/3 in Việt Nam: "today" is the 11th.
NOW = datetime.datetime(2026, 3, 10, 18, 30, tzinfo=datetime.UTC)
REFUSAL = "Ngày hoạt động không thể sau hôm nay (11/03/2026)."


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_form_refuses_a_day_after_today_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.lead_x)
    url = reverse("teams:activity_add", args=[cast.team_x.pk])
    before = Activity.objects.count()
    for day in ("12/03/2026", "01/12/2027"):
        response = client.post(url, form_data(date=day, place="Nhà văn hóa thôn Đông"))
        page = response.content.decode()
        assert response.status_code == 200
        assert REFUSAL in page and "Đã ghi hoạt động" not in page
        assert f'value="{day}"' in page and "Nhà văn hóa thôn Đông" in page
    assert Activity.objects.count() == before
    assert not ActivityMonth.objects.filter(month__gte=datetime.date(2026, 3, 1)).exists()


def test_the_form_takes_today_in_vietnam_though_it_is_still_yesterday_in_utc(client, cast):
    client.force_login(cast.lead_x)
    response = client.post(reverse("teams:activity_add", args=[cast.team_x.pk]), form_data(date="11/03/2026"))
    assert response.status_code == 302
    assert Activity.objects.filter(team=cast.team_x, date=datetime.date(2026, 3, 11)).count() == 1


def test_editing_an_activity_into_the_future_is_refused(client, cast):
    client.force_login(cast.official_x)
    url = reverse("teams:activity_edit", args=[cast.activity_x.pk])
    response = client.post(url, form_data(date="12/03/2026"))
    assert response.status_code == 200 and REFUSAL in response.content.decode()
    cast.activity_x.refresh_from_db()
    assert cast.activity_x.date == datetime.date(2026, 1, 15)


def test_the_offline_sync_refuses_a_day_after_today_on_the_date_field(client, cast):
    client.force_login(cast.lead_x)
    key = str(uuid.uuid4())
    response = client.post(
        reverse("teams:activity_sync", args=[cast.team_x.pk]), form_data(date="12/03/2026", client_uuid=key)
    )
    assert response.status_code == 400
    assert response.json() == {"ok": False, "errors": {"date": [REFUSAL]}}
    assert not Activity.objects.filter(client_uuid=key).exists()


def test_the_admin_refuses_a_day_after_today(client, cast):
    client.force_login(cast.admin)
    data = {
        "team": cast.team_x.pk,
        "date": "2026-03-12",
        "kind": "training",
        "topics": "1",
        "place": "",
        "people_helped": "3",
        "households_reached": "0",
        "accounts_created": "0",
        "notes": "",
    }
    response = client.post(reverse("admin:teams_activity_add"), data)
    assert response.status_code == 200 and REFUSAL in response.content.decode()
    assert not Activity.objects.filter(date=datetime.date(2026, 3, 12)).exists()


def test_save_itself_still_writes_any_day(cast):
    """Scripts and the demo data write activities directly; only what people type is checked."""
    later = Activity.objects.create(team=cast.team_x, date=datetime.date(2027, 12, 1), kind="meeting")
    assert Activity.objects.filter(pk=later.pk).exists()
