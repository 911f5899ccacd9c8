"""The monthly counts of activities that dashboards add up follow every write to activities."""

import datetime
import random

import pytest
from django.db import connection

from dashboards.figures import whole_months
from teams.models import Activity, ActivityMonth, Topic
from tests.cast import make_cast
from tests.concurrency import write_while_another_transaction_is_open


def counted_in_python():
    """(commune, month, kind) -> (count, people, activities with each topic), from the activities."""
    rows = {}
    for a in Activity.objects.all():
        key = (a.commune_id, a.date.replace(day=1), a.kind)
        count, people, topics = rows.get(key, (0, 0, dict.fromkeys(Topic, 0)))
        rows[key] = (count + 1, people + a.people_helped, {t: n + bool(a.topics & t) for t, n in topics.items()})
    return rows


def counted_by_the_portal():
    return {
        (m.commune_id, m.month, m.kind): (
            m.count,
            m.people,
            {topic: getattr(m, field) for topic, field in ActivityMonth.TOPIC_FIELDS.items()},
        )
        for m in ActivityMonth.objects.all()
    }


def log(team, day, kind=Activity.Kind.DOOR_TO_DOOR, topics=Topic.VNEID, people=5):
    return Activity.objects.create(team=team, date=day, kind=kind, topics=topics, people_helped=people)


def test_logging_an_activity_counts_it_in_its_month(cast):
    log(cast.team_x, datetime.date(2026, 3, 9), topics=Topic.VNEID | Topic.CASHLESS, people=7)
    log(cast.team_x, datetime.date(2026, 3, 30), people=4)
    march = ActivityMonth.objects.get(commune=cast.commune_x, month=datetime.date(2026, 3, 1), kind="door_to_door")
    assert (march.count, march.people, march.vneid, march.cashless, march.ehealth) == (2, 11, 2, 1, 0)
    assert counted_by_the_portal() == counted_in_python()


def test_moving_an_activity_to_another_month_moves_its_count(cast):
    activity = log(cast.team_x, datetime.date(2026, 3, 9))
    activity.date = datetime.date(2026, 4, 2)
    activity.kind = Activity.Kind.TRAINING
    activity.save()
    assert not ActivityMonth.objects.filter(month=datetime.date(2026, 3, 1)).exists()
    april = ActivityMonth.objects.get(commune=cast.commune_x, month=datetime.date(2026, 4, 1))
    assert (april.kind, april.count) == ("training", 1)
    assert counted_by_the_portal() == counted_in_python()


def test_deleting_an_activity_uncounts_it(cast):
    activity = log(cast.team_x, datetime.date(2026, 3, 9))
    log(cast.team_x, datetime.date(2026, 3, 10), people=2)
    activity.delete()
    march = ActivityMonth.objects.get(commune=cast.commune_x, month=datetime.date(2026, 3, 1))
    assert (march.count, march.people) == (1, 2)
    assert counted_by_the_portal() == counted_in_python()


def test_rebuilding_after_bulk_writes_counts_what_live_writes_count(cast):
    rng = random.Random(4)
    for _ in range(60):
        log(
            rng.choice([cast.team_x, cast.team_y]),
            datetime.date(2025, 12, 1) + datetime.timedelta(days=rng.randrange(120)),
            kind=rng.choice(Activity.Kind.values),
            topics=rng.randint(0, 511),
            people=rng.randint(0, 40),
        )
    live = counted_by_the_portal()
    assert live == counted_in_python()
    Activity.objects.bulk_create([Activity(team=cast.team_y, commune=cast.commune_y, date=datetime.date(2026, 2, 2))])
    assert counted_by_the_portal() == live  # bulk_create saves no activity one by one
    ActivityMonth.objects.rebuild()
    assert counted_by_the_portal() == counted_in_python() != live


@pytest.mark.parametrize(
    ("start", "end", "months", "edges"),
    [
        ("2026-01-01", "2026-12-31", ("2026-01-01", "2026-12-01"), []),
        ("2026-02-01", "2026-02-28", ("2026-02-01", "2026-02-01"), []),
        (
            "2026-02-15",
            "2026-05-10",
            ("2026-03-01", "2026-04-01"),
            [("2026-02-15", "2026-02-28"), ("2026-05-01", "2026-05-10")],
        ),
        ("2026-03-01", "2026-04-15", ("2026-03-01", "2026-03-01"), [("2026-04-01", "2026-04-15")]),
        ("2026-03-05", "2026-03-20", None, [("2026-03-05", "2026-03-20")]),
        ("2026-03-05", "2026-04-20", None, [("2026-03-05", "2026-04-20")]),
        ("2024-02-10", "2024-02-29", None, [("2024-02-10", "2024-02-29")]),
    ],
)
def test_a_period_splits_into_whole_months_and_the_days_around_them(start, end, months, edges):
    day = datetime.date.fromisoformat
    expected = (tuple(map(day, months)) if months else None, [(day(a), day(b)) for a, b in edges])
    assert whole_months(day(start), day(end)) == expected


def test_deleting_many_at_once_uncounts_them_too(cast):
    for day in (3, 12, 25):
        log(cast.team_x, datetime.date(2026, 5, day))
    log(cast.team_y, datetime.date(2026, 5, 4))
    Activity.objects.filter(team=cast.team_x, date__month=5).delete()  # as the Django admin's bulk action does
    assert not ActivityMonth.objects.filter(commune=cast.commune_x, month=datetime.date(2026, 5, 1)).exists()
    assert counted_by_the_portal() == counted_in_python()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
def test_two_activities_of_one_commune_saved_at_once_are_both_counted():
    """The second save waits for the first to commit (the lock on the commune's row) instead of
    recounting the month without it and colliding with its counts."""
    cast = make_cast()
    write_while_another_transaction_is_open(
        lambda: log(cast.team_x, datetime.date(2026, 6, 1)),
        lambda: log(cast.team_x, datetime.date(2026, 6, 2)),
    )
    june = ActivityMonth.objects.get(commune=cast.commune_x, month=datetime.date(2026, 6, 1))
    assert june.count == 2
