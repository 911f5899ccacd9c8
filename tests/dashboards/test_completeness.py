import datetime

import pytest
from django.core import mail
from django.urls import reverse

from dashboards.completeness import completeness
from portal.models import ReminderLog
from reports.models import Report
from teams.models import Commune
from tests.cast import PASSWORD
from tests.dashboards.helpers import DEADLINE, make_request

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def six(cast):
    """A request to six communes of P, one in each state, around DEADLINE."""
    extra = [
        Commune.objects.create(province=cast.province_p, code=20000 + i, name=f"Xã Số {i}", codename="s", kind="xa")
        for i in range(4)
    ]
    communes = [cast.commune_x, cast.commune_y, *extra]
    request = make_request(cast, communes)
    Report.objects.create(request=request, commune=extra[0], status="accepted", first_submitted_at=DEADLINE - HOUR)
    Report.objects.create(request=request, commune=extra[1], status="submitted", first_submitted_at=DEADLINE - HOUR)
    Report.objects.create(request=request, commune=extra[2], status="submitted", first_submitted_at=DEADLINE + HOUR)
    Report.objects.create(request=request, commune=extra[3], status="returned", first_submitted_at=DEADLINE - HOUR)
    Report.objects.create(request=request, commune=cast.commune_x, status="draft")
    return request, extra


def test_completeness_sorts_every_commune_into_one_status(cast, six):
    request, extra = six
    state = completeness(request, now=DEADLINE - datetime.timedelta(days=3))
    groups = {key: [item["commune"] for item in items] for key, _, items in state["groups"]}
    assert groups == {
        "accepted": [extra[0]],
        "on_time": [extra[1]],
        "late": [extra[2]],
        "returned": [extra[3]],
        "draft": [cast.commune_x],
        "not_started": [cast.commune_y],
    }
    assert state["total"] == 6
    assert set(state["missing"]) == {extra[3], cast.commune_x, cast.commune_y}


@pytest.mark.parametrize(
    ("now", "days", "phrase"),
    [
        (DEADLINE - datetime.timedelta(days=3), 3, "hạn nộp còn 3 ngày"),
        (DEADLINE - datetime.timedelta(days=2, hours=5), 2, "hạn nộp còn 2 ngày"),  # 08/02 at 12:00
        (DEADLINE - datetime.timedelta(hours=18), 1, "hạn nộp còn 1 ngày"),  # 09/02 at 23:00
        (DEADLINE - datetime.timedelta(hours=8), 0, "hôm nay là hạn nộp (trước 17:00)"),  # 10/02 at 09:00
        (DEADLINE + HOUR, 0, "đã hết hạn nộp lúc 17:00 hôm nay"),
        (DEADLINE + datetime.timedelta(hours=7), -1, "đã quá hạn nộp 1 ngày"),  # 11/02 at 00:00
        (DEADLINE + datetime.timedelta(days=4), -4, "đã quá hạn nộp 4 ngày"),
    ],
)
def test_days_to_the_deadline_are_calendar_days_in_vietnam(cast, six, now, days, phrase):
    """DEADLINE is 10/02/2026 at 17:00 in Vietnam."""
    state = completeness(six[0], now=now)
    assert (state["days_left"], state["deadline_phrase"]) == (days, phrase)


def test_completeness_page_shows_counts_lists_and_a_fixed_number_of_queries(
    client, cast, six, django_assert_max_num_queries
):
    """Two queries for the lists (communes, reports) plus session, user, request and reminder log."""
    client.login(username="staff_p", password=PASSWORD)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("dashboards:completeness", args=[six[0].pk]))
    html = response.content.decode()
    assert 'data-count="late">1<' in html
    assert 'data-count="not_started">1<' in html
    assert cast.commune_y.name in html


def test_reminder_mails_users_of_missing_communes_and_is_recorded(client, cast, six):
    cast.official_x.email = "x@example.vn"
    cast.official_x.save()
    cast.official_y.email = "y@example.vn"
    cast.official_y.save()
    client.login(username="staff_p", password=PASSWORD)
    response = client.post(reverse("dashboards:send_reminder", args=[six[0].pk]))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["x@example.vn", "y@example.vn"]
    assert "Nhắc nộp báo cáo" in mail.outbox[0].subject
    assert "hạn nộp" in mail.outbox[0].body.lower() or "quá hạn" in mail.outbox[0].body
    log = ReminderLog.objects.get()
    assert (log.communes, log.recipients, log.sent_by) == (3, 2, cast.staff_p)
    page = client.get(reverse("dashboards:completeness", args=[six[0].pk])).content.decode()
    assert "Lần nhắc gần nhất" in page


def test_reminder_refuses_get(client, cast, six):
    client.login(username="staff_p", password=PASSWORD)
    assert client.get(reverse("dashboards:send_reminder", args=[six[0].pk])).status_code == 405
    assert not ReminderLog.objects.exists()


def test_reminder_refused_to_other_province_and_to_communes(client, cast, six):
    client.login(username="staff_q", password=PASSWORD)
    assert client.post(reverse("dashboards:send_reminder", args=[six[0].pk])).status_code == 404
    client.login(username="official_x", password=PASSWORD)
    assert client.post(reverse("dashboards:send_reminder", args=[six[0].pk])).status_code == 403
    assert not ReminderLog.objects.exists() and not mail.outbox


def test_commune_home_page_shows_days_left_and_returned_reports(client, cast, six, time_machine):
    time_machine.move_to(DEADLINE - datetime.timedelta(days=3), tick=False)
    client.login(username="official_y", password=PASSWORD)
    html = client.get(reverse("teams:commune_detail", args=[cast.commune_y.pk])).content.decode()
    assert "Hạn nộp còn 3 ngày" in html
    time_machine.move_to(DEADLINE + datetime.timedelta(days=2), tick=False)
    html = client.get(reverse("teams:commune_detail", args=[cast.commune_y.pk])).content.decode()
    assert "Đã quá hạn nộp 2 ngày" in html
    returned = Report.objects.get(status="returned")
    client.login(username="admin", password=PASSWORD)
    html = client.get(reverse("teams:commune_detail", args=[returned.commune_id])).content.decode()
    assert "Báo cáo bị trả lại" in html


def test_staff_home_lists_open_requests_with_waiting_reports(client, cast, six, time_machine):
    time_machine.move_to(DEADLINE - datetime.timedelta(days=3), tick=False)
    client.login(username="staff_p", password=PASSWORD)
    html = client.get(reverse("dashboards:home")).content.decode()
    assert reverse("dashboards:province_dashboard", args=[cast.province_p.pk]) in html
    assert reverse("dashboards:completeness", args=[six[0].pk]) in html
    assert "data-waiting>2<" in html
    client.login(username="staff_q", password=PASSWORD)
    assert (
        reverse("dashboards:completeness", args=[six[0].pk])
        not in client.get(reverse("dashboards:home")).content.decode()
    )


def test_completeness_queries_do_not_grow_with_communes(client, cast, six, django_assert_max_num_queries):
    """The lists come from two queries (communes, reports) however many communes were asked."""
    request = six[0]
    more = [
        Commune.objects.create(
            province=cast.province_p, code=30000 + i, name=f"Phường Mới {i}", codename="m", kind="phuong"
        )
        for i in range(20)
    ]
    request.communes.add(*more)
    client.login(username="staff_p", password=PASSWORD)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("dashboards:completeness", args=[request.pk]))
    assert response.context["s"]["counts"]["not_started"] == 21


def test_staff_home_keeps_an_old_request_while_reports_wait(client, cast, six, time_machine):
    time_machine.move_to(DEADLINE + datetime.timedelta(days=90), tick=False)
    client.login(username="staff_p", password=PASSWORD)
    completeness_url = reverse("dashboards:completeness", args=[six[0].pk])
    assert completeness_url in client.get(reverse("dashboards:home")).content.decode()
    Report.objects.filter(request=six[0], status="submitted").update(status="accepted")
    assert completeness_url not in client.get(reverse("dashboards:home")).content.decode()


def test_the_completeness_page_gives_the_deadline_in_vietnam_and_the_days_overdue(client, cast, six, time_machine):
    request, _ = six
    request.deadline = datetime.datetime(2026, 2, 9, 17, 30, tzinfo=datetime.UTC)  # 00:30 on 10/02 in Vietnam
    request.save()
    time_machine.move_to(datetime.datetime(2026, 2, 11, 12, 0, tzinfo=datetime.UTC), tick=False)
    client.login(username="staff_p", password=PASSWORD)
    response = client.get(reverse("dashboards:completeness", args=[request.pk]))
    html = response.content.decode()
    assert "Hạn nộp: 00:30 ngày 10/02/2026 – đã quá hạn nộp 1 ngày." in html  # on 11/02 at 19:00


def test_a_commune_with_a_report_links_to_its_report_the_others_to_their_registry(client, cast):
    from reports import workflow
    from tests.reports.factories import make_request

    request = make_request(cast)
    report = workflow.start(request, cast.commune_x, cast.official_x)
    client.force_login(cast.staff_p)
    page = client.get(reverse("dashboards:completeness", args=[request.pk])).content.decode()
    assert f'href="{reverse("reports:report_detail", args=[report.pk])}">Xã Hà Tây</a>' in page
    assert f'href="{reverse("teams:commune_detail", args=[cast.commune_y.pk])}">Phường Trần Hưng Đạo</a>' in page
