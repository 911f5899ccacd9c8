"""Data blocks read from the registry: activities of the period by kind and topic, members by origin."""

import datetime

from reports import figures
from teams.models import Activity, Member, Topic


def test_activities_of_the_period_are_counted_by_kind_and_topic(cast, django_assert_num_queries):
    """Two queries whatever the number of activities: one grouped by kind, one for every topic."""
    Activity.objects.create(
        team=cast.team_x,
        date=datetime.date(2026, 2, 1),
        kind=Activity.Kind.TRAINING,
        topics=Topic.VNEID | Topic.CASHLESS,
        people_helped=40,
        households_reached=10,
        accounts_created=5,
    )
    Activity.objects.create(team=cast.team_x, date=datetime.date(2025, 12, 31), kind=Activity.Kind.TRAINING)
    with django_assert_num_queries(2):
        data = figures.activities(cast.commune_x, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert data["kinds"] == [
        {"label": "Hướng dẫn tận nhà", "count": 1, "people": 12, "households": 0, "accounts": 0},
        {"label": "Lớp tập huấn", "count": 1, "people": 40, "households": 10, "accounts": 5},
    ]
    assert data["totals"] == {"count": 2, "people": 52, "households": 10, "accounts": 5}
    assert data["topics"] == [
        {"label": "VNeID", "count": 2, "people": 52},
        {"label": "Thanh toán không dùng tiền mặt", "count": 1, "people": 40},
    ]


def test_members_are_counted_by_origin_and_training_without_those_who_left(cast):
    Member.objects.create(team=cast.team_x, full_name="A", origin=Member.Origin.POLICE, trainings=2, gender="female")
    Member.objects.create(team=cast.team_x, full_name="B", origin=Member.Origin.POLICE)
    Member.objects.create(
        team=cast.team_x, full_name="C", origin=Member.Origin.TEACHER, left_on=datetime.date(2026, 1, 1)
    )
    data = figures.members(cast.commune_x, datetime.date(2026, 2, 1))
    assert data["origins"] == [
        {"label": "Công an", "count": 2, "trained": 1},
        {"label": "Người dân tình nguyện", "count": 1, "trained": 0},
    ]
    assert (data["total"], data["trained"], data["women"]) == (3, 1, 1)


def test_a_report_sent_after_its_period_gives_the_registry_as_it_was_when_the_period_ended(client, cast, time_machine):
    """Period January 2026, sent in March: members who left in February and March still count, one
    who joined in March does not, nor a decision signed in March; the document says which day."""
    from django.urls import reverse

    from reports import workflow
    from reports.models import ReportVersion
    from teams.models import Decision
    from tests.reports.factories import make_request

    time_machine.move_to(datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
    request = make_request(cast)  # the status report's outline
    request.period_start, request.period_end = datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)
    request.save()
    Member.objects.create(team=cast.team_x, full_name="Lê Văn Rời", left_on=datetime.date(2026, 2, 15))
    Member.objects.create(team=cast.team_x, full_name="Lê Thị Rời", left_on=datetime.date(2026, 3, 1))
    Member.objects.create(team=cast.team_x, full_name="Phạm Thị Mới", joined_on=datetime.date(2026, 3, 1))
    Decision.objects.create(
        commune=cast.commune_x, number="15/QĐ-UBND", signed_on=datetime.date(2025, 9, 1), issuer="UBND xã Hà Tây"
    )
    Decision.objects.create(
        commune=cast.commune_x, number="31/QĐ-UBND", signed_on=datetime.date(2026, 3, 2), issuer="UBND xã Hà Tây"
    )
    report = workflow.start(request, cast.commune_x, cast.official_x)
    workflow.submit(report, cast.official_x)
    content = ReportVersion.objects.get(report=report).content
    general = next(s["data"] for s in content["sections"] if s["kind"] == "general")
    assert content["figures_on"] == "2026-01-31" and general["on"] == "2026-01-31"
    assert general["members"] == 3  # member_x and the two who left after January; not the newcomer
    assert [d["number"] for d in general["decisions"]] == ["15/QĐ-UBND"]
    client.force_login(cast.official_x)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "Số liệu tính đến ngày 31/01/2026:" in page


def test_a_team_dissolved_after_the_period_still_counts_in_its_report(cast, time_machine):
    """Period January 2026, sent in March: a team dissolved in February counts, with its village
    and its members; one dissolved in December 2025 does not, nor one whose day was never kept."""
    from reports import figures
    from teams.models import Team, Village
    from teams.stats import commune_summary

    time_machine.move_to(datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
    end = datetime.date(2026, 1, 31)
    before = commune_summary(cast.commune_x, end)
    teams = {}
    dissolved = (("Tổ Đông", datetime.date(2026, 2, 10)), ("Tổ Bắc", datetime.date(2025, 12, 1)), ("Tổ Nam", None))
    for name, day in dissolved:
        village = Village.objects.create(commune=cast.commune_x, name=name.replace("Tổ", "Xóm"))
        teams[name] = Team.objects.create(
            commune=cast.commune_x, village=village, name=name, status=Team.Status.DISSOLVED, dissolved_on=day
        )
        Member.objects.create(team=teams[name], full_name=f"Thành viên {name}", joined_on=datetime.date(2025, 6, 1))
    after = commune_summary(cast.commune_x, end)
    assert after["teams"] == before["teams"] + 1
    assert after["villages"] == before["villages"] + 3 and after["villages_covered"] == before["villages_covered"] + 1
    assert after["members"] == before["members"] + 1
    assert figures.members(cast.commune_x, end)["total"] == after["members"]
    today = commune_summary(cast.commune_x)  # the commune's page: dissolved teams count no more
    assert today["teams"] == before["teams"] and today["members"] == before["members"]


def test_a_team_counts_until_the_day_before_its_dissolution_and_its_replacement_from_then(cast, time_machine):
    """Dissolved on 1 February: it counts on 31 January, not on 1 February. The team entered in March
    to replace it in its village counts as any active team does, but never together with it: on 31
    January the village had one team. January's figures (teams, villages, members, Zalo groups, what the indicators are
    pre-filled with) are what they were before both events."""
    from reports import figures
    from teams.models import Team
    from teams.stats import commune_summary

    time_machine.move_to(datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
    january, february = datetime.date(2026, 1, 31), datetime.date(2026, 2, 1)
    kept = ("teams", "commune_teams", "villages_covered", "members", "zalo_groups")

    def as_of(day):
        general = figures.general(cast.commune_x, day)
        registry = figures.registry_figures(cast.commune_x, datetime.date(2026, 1, 1), day, day)
        return {key: general[key] for key in kept} | {"registry": (registry["teams"], registry["members"])}

    before = as_of(january)
    cast.team_x.status, cast.team_x.dissolved_on = Team.Status.DISSOLVED, february
    cast.team_x.save()
    replacement = Team.objects.create(
        commune=cast.commune_x, village=cast.village_x, name="Tổ CNSCĐ mới", zalo_url="https://zalo.me/g/moi"
    )
    Member.objects.create(team=replacement, full_name="Người Mới", joined_on=datetime.date(2025, 1, 1))

    assert as_of(january) == before
    in_the_village = Team.objects.filter(village=cast.village_x)
    assert list(in_the_village.active_on(january)) == [cast.team_x]
    assert list(in_the_village.active_on(february)) == [replacement]  # an active team counts, late entered or not
    today = commune_summary(cast.commune_x)
    assert (today["teams"], today["villages_covered"]) == (before["teams"], before["villages_covered"])
