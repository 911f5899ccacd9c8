import datetime
import random

import pytest
from django.urls import reverse

from dashboards import figures as dashboards
from reports.models import Report
from teams.models import Activity, Commune, Member, Team, Topic, Village
from tests.cast import PASSWORD
from tests.dashboards.helpers import make_request

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def add_communes(cast, count, seed=1):
    """``count`` more communes of province P, each with villages, teams, members and activities."""
    rng = random.Random(seed)
    for index in range(count):
        commune = Commune.objects.create(
            province=cast.province_p,
            code=90000 + seed * 1000 + index,
            name=f"Xã Thử {seed}-{index}",
            codename="x",
            kind="xa",
        )
        for v in range(rng.randint(1, 3)):
            village = Village.objects.create(commune=commune, name=f"Thôn {v}")
            if rng.random() < 0.7:
                team = Team.objects.create(commune=commune, village=village, name=f"Tổ {v}")
                for m in range(rng.randint(1, 4)):
                    Member.objects.create(
                        team=team,
                        full_name=f"Người {m}",
                        gender=rng.choice(["male", "female", ""]),
                        trainings=rng.randint(0, 2),
                    )
                for _ in range(rng.randint(0, 3)):
                    Activity.objects.create(
                        team=team,
                        date=datetime.date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                        kind=rng.choice(Activity.Kind.values),
                        topics=rng.randint(0, 511),
                        people_helped=rng.randint(0, 50),
                    )


@pytest.fixture
def staff(client, cast):
    client.login(username="staff_p", password=PASSWORD)
    return client


# A year and a month come from the monthly counts alone, a custom period from them and the
# activities of the days around its whole months, a few days from the activities alone.
PERIODS = [
    (START, END),
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
    (datetime.date(2026, 2, 15), datetime.date(2026, 5, 10)),
    (datetime.date(2026, 3, 5), datetime.date(2026, 3, 20)),
]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_province_figures_match_the_rows_counted_in_python(cast, start, end):
    add_communes(cast, 6)
    data = dashboards.province_dashboard(cast.province_p, start, end)
    communes = list(Commune.objects.filter(province=cast.province_p))
    teams = [t for t in Team.objects.all() if t.commune.province_id == cast.province_p.pk and t.status == "active"]
    members = [m for m in Member.objects.all() if m.team in teams and m.left_on is None]
    activities = [
        a for a in Activity.objects.all() if a.commune.province_id == cast.province_p.pk and start <= a.date <= end
    ]
    assert data["communes"] == len(communes)
    assert data["communes_with_teams"] == len({t.commune_id for t in teams})
    assert data["teams"] == len(teams)
    assert data["villages_covered"] == len({t.village_id for t in teams})
    assert data["members"]["total"] == len(members)
    assert data["members"]["female"] == sum(1 for m in members if m.gender == "female")
    assert data["members"]["trained"] == sum(1 for m in members if m.trainings > 0)
    assert data["activities"]["count"] == len(activities)
    assert data["activities"]["people"] == sum(a.people_helped for a in activities)
    for topic, (label, count) in zip(Topic, data["activities"]["by_topic"], strict=True):
        assert (label, count) == (topic.label, sum(1 for a in activities if a.topics & topic))
    trend = {month.month: (count, people) for month, count, people in data["activities"]["trend"]}
    for month in range(1, 13):
        in_month = [a for a in activities if a.date.month == month]
        assert trend.get(month, (0, 0)) == (len(in_month), sum(a.people_helped for a in in_month))
    for row in data["rows"]:
        of_commune = [a for a in activities if a.commune_id == row["id"]]
        assert (row["activities"], row["people"]) == (len(of_commune), sum(a.people_helped for a in of_commune))
    for (kind, label), row in zip(Activity.Kind.choices, data["activities"]["by_kind"], strict=True):
        of_kind = [a for a in activities if a.kind == kind]
        assert row == (label, len(of_kind), sum(a.people_helped for a in of_kind))
    row = next(r for r in data["rows"] if r["id"] == cast.commune_x.pk)
    of_x = [a for a in activities if a.commune_id == cast.commune_x.pk]
    assert (row["teams"], row["members"], row["activities"], row["people"]) == (1, 1, len(of_x), 12 if of_x else 0)


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_national_view_totals_each_province(cast, start, end):
    add_communes(cast, 3)
    Member.objects.filter(team__commune__province=cast.province_p).first().delete()  # counts follow the rows
    data = dashboards.national_dashboard(start, end)
    by_name = {r["name"]: r for r in data["rows"]}
    p = by_name[cast.province_p.name]
    teams = [t for t in Team.objects.all() if t.commune.province_id == cast.province_p.pk and t.status == "active"]
    activities = [
        a for a in Activity.objects.all() if a.commune.province_id == cast.province_p.pk and start <= a.date <= end
    ]
    assert p["communes"] == Commune.objects.filter(province=cast.province_p).count()
    assert p["teams"] == len(teams)
    assert p["communes_with_teams"] == len({t.commune_id for t in teams})
    assert p["members"] == sum(1 for m in Member.objects.all() if m.team in teams and m.left_on is None)
    assert (p["activities"], p["people"]) == (len(activities), sum(a.people_helped for a in activities))
    assert (by_name[cast.province_q.name]["teams"], by_name[cast.province_q.name]["communes"]) == (0, 1)
    assert data["totals"]["activities"] == Activity.objects.filter(date__range=(start, end)).count()


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_a_closed_commune_leaves_the_national_row_as_it_leaves_its_province_dashboard(cast, start, end):
    """A province's national row adds up its own dashboard: communes open on the day, their teams,
    members and activities, for a period of whole months (the provinces' kept monthly totals) as
    for days around them (the activities)."""
    add_communes(cast, 4, seed=5)
    team = Team.objects.filter(commune__province=cast.province_p, commune__name__startswith="Xã Thử").first()
    Activity.objects.create(team=team, date=start, kind=Activity.Kind.MEETING, people_helped=7)
    Activity.objects.create(team=team, date=end, kind=Activity.Kind.TRAINING, people_helped=3)
    closing = team.commune
    closing.closed_on = datetime.date.today() - datetime.timedelta(days=1)
    closing.save()
    province = dashboards.province_dashboard(cast.province_p, start, end)
    national = next(r for r in dashboards.national_dashboard(start, end)["rows"] if r["id"] == cast.province_p.pk)
    assert (national["communes"], national["communes_with_teams"]) == (
        province["communes"],
        province["communes_with_teams"],
    )
    assert (national["teams"], national["members"]) == (province["teams"], province["members"]["total"])
    assert (national["activities"], national["people"]) == (
        province["activities"]["count"],
        province["activities"]["people"],
    )
    open_ids = set(Commune.objects.filter(province=cast.province_p).open_on().values_list("pk", flat=True))
    assert closing.pk not in open_ids
    assert national["activities"] == Activity.objects.filter(commune_id__in=open_ids, date__range=(start, end)).count()


def test_province_figures_take_nine_queries_whatever_the_number_of_communes(cast, django_assert_num_queries):
    """Communes with their villages and kept counts of teams and members, the villages with an
    active team, the kept counts of members by origin, the members dated after today, the
    year's monthly counts by commune and by month and kind, the latest request, the communes
    it asked and its reports: nine GROUP BYs or lists, the same for 2 communes as for 12 (or
    168 in bench/run.py)."""
    make_request(cast)
    with django_assert_num_queries(9):
        dashboards.province_dashboard(cast.province_p, START, END)
    add_communes(cast, 10, seed=3)
    with django_assert_num_queries(9):
        data = dashboards.province_dashboard(cast.province_p, START, END)
    assert data["communes"] == 12


def test_province_dashboard_queries_do_not_grow_with_communes(staff, cast, django_assert_num_queries):
    """Fourteen queries for 2 communes as for 12: session, user, the province, the requests
    with indicators, the nine of the figures (above), and the navigation's province."""
    url = reverse("dashboards:province_dashboard", args=[cast.province_p.pk])
    make_request(cast)
    staff.get(url)  # warm the session and content types
    with django_assert_num_queries(14):
        assert staff.get(url).status_code == 200
    add_communes(cast, 10, seed=2)
    with django_assert_num_queries(14):
        response = staff.get(url)
    assert len(response.context["d"]["rows"]) == 12


def test_national_view_queries_do_not_grow_with_communes(client, cast, django_assert_num_queries):
    """Session and user, then five queries whatever the size of the country: open provinces
    with their open communes' kept counts, the members dated after today, the provinces' monthly
    activity totals and those of closed communes, and the national catalogue's indicators."""
    client.login(username="admin", password=PASSWORD)
    with django_assert_num_queries(7):
        assert client.get(reverse("dashboards:national_dashboard")).status_code == 200
    add_communes(cast, 8)
    with django_assert_num_queries(7):
        assert client.get(reverse("dashboards:national_dashboard")).status_code == 200


def test_commune_table_sorts_by_any_column(staff, cast):
    add_communes(cast, 5)
    url = reverse("dashboards:province_dashboard", args=[cast.province_p.pk])
    rows = staff.get(url, {"sap_xep": "-members"}).context["d"]["rows"]
    assert [r["members"] for r in rows] == sorted((r["members"] for r in rows), reverse=True)
    rows = staff.get(url, {"sap_xep": "teams"}).context["d"]["rows"]
    assert [r["teams"] for r in rows] == sorted(r["teams"] for r in rows)


def test_commune_table_lists_names_in_vietnamese_order_and_statuses_from_accepted_to_not_started(staff, cast):
    for name in ("Xã Ân Thi", "Phường Đông Hải", "Xã Yên Lãng", "Phường Dương Kinh"):
        Commune.objects.create(province=cast.province_p, code=70000 + len(name), name=name, codename="x", kind="xa")
    url = reverse("dashboards:province_dashboard", args=[cast.province_p.pk])
    names = [r["name"] for r in staff.get(url).context["d"]["rows"]]
    assert names == [
        "Phường Dương Kinh",
        "Phường Đông Hải",
        "Phường Trần Hưng Đạo",
        "Xã Ân Thi",
        "Xã Hà Tây",
        "Xã Yên Lãng",
    ]
    request = make_request(cast)
    Report.objects.create(request=request, commune=cast.commune_x, status=Report.Status.ACCEPTED)
    response = staff.get(url, {"sap_xep": "status"})
    statuses = [r["status"] for r in response.context["d"]["rows"]]
    # The four communes the request never asked come last, and say so.
    assert statuses == ["accepted", "not_started"] + ["not_asked"] * 4
    assert "Không được yêu cầu" in response.content.decode()


def test_sorting_keeps_the_period_and_the_chosen_indicator_request(staff, cast):
    url = reverse("dashboards:province_dashboard", args=[cast.province_p.pk])
    html = staff.get(url, {"kind": "month", "year": "2026", "month": "3", "chi_tieu": "7"}).content.decode()
    assert 'href="?kind=month&amp;year=2026&amp;month=3&amp;chi_tieu=7&amp;sap_xep=teams"' in html
    assert 'href="?kind=month&amp;year=2026&amp;month=3&amp;chi_tieu=7&amp;sap_xep=-name"' in html


def test_commune_table_shows_each_report_status_and_drills_down(staff, cast):
    make_request(cast)
    response = staff.get(reverse("dashboards:province_dashboard", args=[cast.province_p.pk]))
    html = response.content.decode()
    assert reverse("teams:commune_detail", args=[cast.commune_x.pk]) in html
    assert {r["status"] for r in response.context["d"]["rows"]} == {"not_started"}
    assert "Chưa soạn" in html


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ({"kind": "month", "year": 2026, "month": 2}, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        ({"kind": "quarter", "year": 2026, "quarter": 3}, datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        ({"kind": "year", "year": 2025}, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        (
            {"kind": "custom", "start": "05/01/2026", "end": "20/01/2026"},
            datetime.date(2026, 1, 5),
            datetime.date(2026, 1, 20),
        ),
    ],
)
def test_period_filter_chooses_the_dates(staff, cast, query, start, end):
    d = staff.get(reverse("dashboards:province_dashboard", args=[cast.province_p.pk]), query).context["d"]
    assert (d["start"], d["end"]) == (start, end)
    assert (
        d["activities"]["count"]
        == Activity.objects.filter(commune__province=cast.province_p, date__range=(start, end)).count()
    )


def test_period_filter_explains_bad_input_in_vietnamese(staff, cast):
    url = reverse("dashboards:province_dashboard", args=[cast.province_p.pk])
    response = staff.get(url, {"kind": "custom", "start": "20/01/2026", "end": "05/01/2026"})
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    response = staff.get(url, {"kind": "month", "year": 2026})
    assert "Vui lòng nhập trường này" in response.content.decode()
    assert 'value="2026"' in response.content.decode()


def test_dashboard_passes_chart_data_and_the_same_numbers_in_a_table(staff, cast):
    html = staff.get(
        reverse("dashboards:province_dashboard", args=[cast.province_p.pk]), {"kind": "year", "year": 2026}
    ).content.decode()
    assert 'id="trend-data"' in html and "chart-4.6.1.umd.min.js" in html
    assert "01/2026" in html
    assert "Tháng 01 năm 2026" in html or "tháng 01 năm 2026" in html.lower()


def test_national_view_lists_the_national_indicators_linked_to_their_trend_across_provinces(client, cast):
    from reports.models import Indicator

    Indicator.objects.ensure_seed()
    own = Indicator.objects.create(
        code="rieng-hp",
        name="Chỉ tiêu riêng của Hải Phòng",
        province=cast.province_p,
        numerator_label="hộ",
        denominator_label="hộ",
    )
    client.login(username="admin", password=PASSWORD)
    html = client.get(reverse("dashboards:national_dashboard")).content.decode()
    national = Indicator.objects.filter(province__isnull=True, active=True)
    assert national.count() >= 6
    for indicator in national:
        assert reverse("dashboards:indicator_trend", args=[indicator.pk]) in html
    assert own.name not in html
    trend = client.get(reverse("dashboards:indicator_trend", args=[national.first().pk]))
    assert trend.status_code == 200


def test_a_closed_village_leaves_the_villages_and_their_coverage_on_the_day_it_closes(cast):
    def row_of_x(day):
        rows = dashboards.province_dashboard(cast.province_p, START, END, day)["rows"]
        return next((r["villages"], r["covered"], r["teams"]) for r in rows if r["id"] == cast.commune_x.pk)

    day = datetime.date(2026, 3, 10)
    Village.objects.filter(pk=cast.village_x.pk).update(closed_on=day)  # with its active team
    later = Village.objects.create(commune=cast.commune_x, name="Thôn Nam", closed_on=day + datetime.timedelta(days=1))
    Team.objects.create(commune=cast.commune_x, village=later, name="Tổ CNSCĐ Thôn Nam")
    Village.objects.create(commune=cast.commune_x, name="Thôn Bắc")
    assert row_of_x(day) == (2, 1, 2)  # Thôn Nam and Thôn Bắc; Thôn Nam's team
    assert row_of_x(later.closed_on) == (1, 0, 2)
