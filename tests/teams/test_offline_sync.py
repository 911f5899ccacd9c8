"""The team lead's offline queue, server side: the client UUID is an idempotency key."""

import uuid

from django.urls import reverse

from teams.models import Activity, Team
from tests.teams.test_activity_views import form_data, image


def sync(client, cast, **changes):
    return client.post(reverse("teams:activity_sync", args=[cast.team_x.pk]), form_data(**changes))


def test_the_same_entry_sent_twice_makes_one_activity(client, cast):
    client.force_login(cast.lead_x)
    key = str(uuid.uuid4())
    first = sync(client, cast, client_uuid=key, date="03/02/2026", photos=[image()])
    second = sync(client, cast, client_uuid=key, date="03/02/2026", photos=[image()])
    assert first.status_code == second.status_code == 200
    assert first.json()["ok"] and second.json()["ok"]
    assert first.json()["id"] == second.json()["id"]
    activity = Activity.objects.get(client_uuid=key)
    assert (activity.team, activity.created_by, activity.people_helped) == (cast.team_x, cast.lead_x, 25)
    assert activity.photos.count() == 1


def test_the_online_form_with_a_client_uuid_never_makes_a_duplicate(client, cast):
    client.force_login(cast.lead_x)
    url = reverse("teams:activity_add", args=[cast.team_x.pk])
    key = str(uuid.uuid4())
    first = client.post(url, form_data(client_uuid=key))
    second = client.post(url, form_data(client_uuid=key))
    activity = Activity.objects.get(client_uuid=key)
    assert first.status_code == 302
    assert second.status_code == 302 and second["Location"] == reverse("teams:activity_detail", args=[activity.pk])
    # Without a key the form behaves as before: each post is a new activity.
    client.post(url, form_data())
    client.post(url, form_data())
    assert Activity.objects.filter(team=cast.team_x, people_helped=25).count() == 3


def test_a_refused_entry_answers_its_vietnamese_messages_and_saves_nothing(client, cast):
    client.force_login(cast.lead_x)
    before = Activity.objects.count()
    response = sync(client, cast, client_uuid=str(uuid.uuid4()), people_helped="-3", kind="")
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert set(body["errors"]) == {"people_helped", "kind"}
    assert Activity.objects.count() == before


def test_a_dissolved_team_refuses_queued_entries(client, cast):
    Team.objects.filter(pk=cast.team_x.pk).update(status=Team.Status.DISSOLVED)
    client.force_login(cast.lead_x)
    response = sync(client, cast, client_uuid=str(uuid.uuid4()))
    assert response.status_code == 400
    assert "đã giải thể" in response.json()["errors"]["__all__"][0]


def test_another_users_key_is_never_taken_over(client, cast):
    key = str(uuid.uuid4())
    client.force_login(cast.lead_x)
    sync(client, cast, client_uuid=key)
    client.force_login(cast.official_x)
    response = sync(client, cast, client_uuid=key)
    assert response.status_code == 400
    assert Activity.objects.filter(client_uuid=key).get().created_by == cast.lead_x


def test_a_get_is_refused(client, cast):
    client.force_login(cast.lead_x)
    assert client.get(reverse("teams:activity_sync", args=[cast.team_x.pk])).status_code == 405


def test_out_of_scope_and_read_only_refusals_answer_in_json(client, cast):
    client.force_login(cast.official_y)
    response = sync(client, cast, client_uuid=str(uuid.uuid4()))
    assert (response.status_code, response.json()["ok"]) == (404, False)
    client.force_login(cast.staff_p)
    response = sync(client, cast, client_uuid=str(uuid.uuid4()))
    assert response.status_code == 403
    assert response.json()["errors"]["__all__"] == ["Tài khoản của bạn chỉ được xem, không được thay đổi mục này."]
