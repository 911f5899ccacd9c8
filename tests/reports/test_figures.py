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
