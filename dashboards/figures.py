"""Live figures for the province and national dashboards.

Every figure comes from a GROUP BY in the database, keyed by commune (or province), so a page
makes the same few queries whether the province has 3 communes or 300. Teams and members are
read from the counts kept beside the registry (CommuneCount, MemberCount: recounted in the
transaction of every write to teams or members), corrected for the few members whose dates
lie after the day shown (count_corrections). Activities are counted from ActivityMonth (by
commune) or ProvinceActivityMonth (by province), recounted whenever an activity is saved, for
the whole months of a period, and from the activities themselves (their denormalised commune
and date, which the covering indexes of teams migration 0002 serve) for the days around them.
Grouped querysets start with ``.order_by()``: a model's Meta.ordering through foreign keys
(Member, Village, Team...) otherwise leaves INNER JOINs to communes and provinces in the query
even though Django drops the ORDER BY itself. Measured on national-scale data with
bench/run.py; the README's Benchmark section has the figures.
"""

import datetime
import functools
from collections import defaultdict
from itertools import chain

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from portal import vietnamese
from reports.models import STATUS_LABELS, Report, ReportRequest, completeness_status
from teams.models import (
    Activity,
    ActivityMonth,
    Commune,
    Member,
    MemberCount,
    Province,
    ProvinceActivityMonth,
    Team,
    Topic,
    Village,
    count_corrections,
    first_of_month,
    last_of_month,
)


def whole_months(start, end):
    """The first days of the first and last months lying wholly in [start, end] (None when
    none does), and the days of [start, end] outside those months: at most two stretches."""
    first = start if start.day == 1 else last_of_month(start) + datetime.timedelta(days=1)
    last = end if end == last_of_month(end) else first_of_month(end) - datetime.timedelta(days=1)
    if first > last:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - datetime.timedelta(days=1)))
    if last < end:
        edges.append((last + datetime.timedelta(days=1), end))
    return (first, first_of_month(last)), edges


def edge_activities(edges):
    """The activities of the days of ``edges`` (whole_months' stretches), unordered; none, and
    no query, when there are none."""
    days = Q()
    for edge in edges:
        days |= Q(date__range=edge)
    return Activity.objects.filter(days).order_by() if edges else Activity.objects.none()


def activity_sources(start, end, commune_ids=None):
    """The monthly counts of the whole months of [start, end] and the activities of its other
    days, both unordered querysets (an empty one runs no query).

    A year of Hồ Chí Minh City is 9,000 monthly counts instead of 123,000 activities, and of
    the country 180,000 instead of 2.6 million (bench/run.py measures the pages)."""
    months, edges = whole_months(start, end)
    counted = ActivityMonth.objects.filter(month__range=months) if months else ActivityMonth.objects.none()
    recorded = edge_activities(edges)
    if commune_ids is not None:  # an empty source is left as it is: 168 ids cost 1 ms to prepare
        counted = counted.filter(commune_id__in=commune_ids) if months else counted
        recorded = recorded.filter(commune_id__in=commune_ids) if edges else recorded
    return counted.order_by(), recorded.order_by()


def activity_figures(start, end, commune_ids):
    """Totals, by commune, by kind, by topic and month by month of the communes' activities.

    Two GROUP BYs, by commune and by (month, kind), over the monthly counts, and the same two
    over the activities of the days outside whole months, if any: there topics are the bits of
    one integer, so a (month, kind, topics) row's count goes to every topic whose bit is set.
    """
    counted, recorded = activity_sources(start, end, commune_ids)
    per_commune = defaultdict(lambda: {"count": 0, "people": 0})
    for commune_id, count, people in chain(
        counted.values("commune_id").annotate(n=Sum("count"), p=Sum("people")).values_list("commune_id", "n", "p"),
        recorded.values("commune_id")
        .annotate(n=Count("id"), p=Sum("people_helped", default=0))
        .values_list("commune_id", "n", "p"),
    ):
        per_commune[commune_id]["count"] += count
        per_commune[commune_id]["people"] += people
    kinds = defaultdict(lambda: [0, 0])
    months = defaultdict(lambda: [0, 0])
    topics = dict.fromkeys(Topic, 0)
    fields = ActivityMonth.TOPIC_FIELDS
    for row in counted.values("month", "kind").annotate(
        n=Sum("count"), people_sum=Sum("people"), **{f"with_{field}": Sum(field) for field in fields.values()}
    ):
        for totals in (months[row["month"]], kinds[row["kind"]]):
            totals[0] += row["n"]
            totals[1] += row["people_sum"]
        for topic, field in fields.items():
            topics[topic] += row[f"with_{field}"]
    bits = [(topic, topic.value) for topic in Topic]  # plain ints: IntFlag's & is 20 times slower
    for row in (
        recorded.annotate(month=TruncMonth("date"))
        .values("month", "kind", "topics")
        .annotate(n=Count("id"), people_sum=Sum("people_helped", default=0))
    ):
        for totals in (months[row["month"]], kinds[row["kind"]]):
            totals[0] += row["n"]
            totals[1] += row["people_sum"]
        for topic, bit in bits:
            if row["topics"] & bit:
                topics[topic] += row["n"]
    return {
        "count": sum(c for c, _ in kinds.values()),
        "people": sum(p for _, p in kinds.values()),
        "per_commune": per_commune,
        "by_kind": [(label, *kinds[kind]) for kind, label in Activity.Kind.choices],
        "by_topic": [(topic.label, count) for topic, count in topics.items()],
        "trend": [(month, *months[month]) for month in sorted(months)],
    }


def _latest_request(province, now):
    """The request whose deadline is the latest already set for the province."""
    return (
        ReportRequest.objects.filter(province=province, letter_date__lte=timezone.localdate(now))
        .order_by("-deadline")
        .first()
    )


def member_figures(commune_ids, day):
    """({commune_id: change}, {origin: [members, female, male, trained]}): what the members
    dated after ``day`` change in the communes' kept member counts (CommuneCount.members, read
    with the communes), and the communes' members active on ``day`` by origin: the kept counts
    by origin (MemberCount) with those changes. Two queries, a row an origin or a correction."""
    by_origin = defaultdict(lambda: [0, 0, 0, 0])
    for origin, *counts in (
        MemberCount.objects.filter(commune_id__in=commune_ids)
        .values("origin")
        .annotate(n=Sum("members"), n_female=Sum("female"), n_male=Sum("male"), n_trained=Sum("trained"))
        .values_list("origin", "n", "n_female", "n_male", "n_trained")
    ):
        by_origin[origin] = counts
    corrections = (
        count_corrections(day)
        .filter(team__commune_id__in=commune_ids)
        .values("team__commune_id", "origin")
        .annotate(
            n=Sum("change"),
            n_female=Sum("change", filter=Q(gender=Member.Gender.FEMALE), default=0),
            n_male=Sum("change", filter=Q(gender=Member.Gender.MALE), default=0),
            n_trained=Sum("change", filter=Q(trainings__gt=0), default=0),
        )
        .values_list("team__commune_id", "origin", "n", "n_female", "n_male", "n_trained")
    )
    per_commune = defaultdict(int)
    for commune_id, origin, *changes in corrections:
        per_commune[commune_id] += changes[0]
        by_origin[origin] = [count + change for count, change in zip(by_origin[origin], changes, strict=True)]
    return per_commune, by_origin


def province_dashboard(province, start, end, day=None, now=None):
    """Headline figures, commune table and trend of one province, for activities in [start, end].

    Nine queries whatever the number of communes: communes with their villages and kept
    counts (CommuneCount), the villages with an active team, the kept counts of members by
    origin, the members dated after today, two for activities, the latest request, the
    communes it asked and its reports.
    """
    day = day or timezone.localdate()
    now = now or timezone.now()
    open_village = Q(villages__closed_on__isnull=True) | Q(villages__closed_on__gt=day)
    communes = list(
        Commune.objects.filter(province=province)
        .open_on(day)
        .order_by()
        .annotate(
            n_villages=Count("villages", filter=open_village),
            n_teams=Coalesce("tally__teams", 0),
            n_members=Coalesce("tally__members", 0),
        )
        .values_list("id", "name", "n_villages", "n_teams", "n_members")
    )
    ids = [c[0] for c in communes]
    # Villages with an active team, counted from the teams (a team's village lies in its commune,
    # and has at most one active team): the few villages closed by ``day`` through their index.
    closed = Village.objects.filter(closed_on__lte=day).values("pk")
    covered = dict(
        Team.objects.filter(commune_id__in=ids, status=Team.Status.ACTIVE, village__isnull=False)
        .exclude(village_id__in=closed)
        .order_by()
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    member_changes, by_origin = member_figures(ids, day)
    member_totals = [sum(column) for column in zip(*by_origin.values(), strict=True)] or [0, 0, 0, 0]
    activity = activity_figures(start, end, ids)
    per_commune = activity["per_commune"]
    request = _latest_request(province, now)
    statuses = {}
    if request is not None:
        # Communes the request never asked are "not asked", not "not started" (one more query).
        asked = set(request.communes.through.objects.filter(reportrequest=request).values_list("commune_id", flat=True))
        statuses = {commune_id: "not_asked" for commune_id in ids if commune_id not in asked}
        statuses.update(
            (r.commune_id, completeness_status(r, request))
            for r in Report.objects.filter(request=request)
            .order_by()
            .only("commune_id", "status", "first_submitted_at")
        )
    rows = []
    for commune_id, name, villages, teams, members in communes:
        act = per_commune.get(commune_id)
        status = statuses.get(commune_id, "not_started") if request else None
        rows.append(
            {
                "id": commune_id,
                "name": name,
                "villages": villages,
                "covered": covered.get(commune_id, 0),
                "coverage": vietnamese.ratio(covered.get(commune_id, 0), villages),
                "teams": teams,
                "members": members + member_changes[commune_id],
                "activities": act["count"] if act else 0,
                "people": act["people"] if act else 0,
                "status": status,
                "status_label": STATUS_LABELS[status] if status else "",
            }
        )
    return {
        "province": province,
        "start": start,
        "end": end,
        "request": request,
        "rows": rows,
        "communes": len(rows),
        "communes_with_teams": sum(1 for r in rows if r["teams"]),
        "villages": sum(r["villages"] for r in rows),
        "villages_covered": sum(r["covered"] for r in rows),
        "teams": sum(r["teams"] for r in rows),
        "members": dict(zip(("total", "female", "male", "trained"), member_totals, strict=True)),
        "origins": [
            (label, by_origin[value][0] if value in by_origin else 0) for value, label in Member.Origin.choices
        ],
        "activities": activity,
    }


def national_dashboard(start, end, day=None):
    """One row per open province.

    Five queries whatever the size of the country: provinces with their open communes' kept
    counts (CommuneCount), the members dated after today, and the activities of the whole months
    from the provinces' monthly totals (ProvinceActivityMonth) less those of closed communes, of
    the days around them, if any, from the activities. A province's row adds up what its own
    dashboard shows: its communes open on ``day``.
    """
    day = day or timezone.localdate()
    open_commune = Q(communes__closed_on__isnull=True) | Q(communes__closed_on__gt=day)
    closed_communes = Commune.objects.filter(closed_on__lte=day).values("pk")
    provinces = list(
        Province.objects.open_on(day)
        .annotate(
            n_communes=Count("communes", filter=open_commune),
            with_teams=Count("communes__tally", filter=open_commune & Q(communes__tally__teams__gt=0)),
            n_teams=Sum("communes__tally__teams", filter=open_commune, default=0),
            n_members=Sum("communes__tally__members", filter=open_commune, default=0),
        )
        .values_list("id", "name", "n_communes", "with_teams", "n_teams", "n_members")
    )
    members = defaultdict(
        int,
        count_corrections(day)
        .exclude(team__commune_id__in=closed_communes)
        .values("team__commune__province_id")
        .annotate(n=Sum("change"))
        .values_list("team__commune__province_id", "n"),
    )
    months, edges = whole_months(start, end)
    counted = (
        ProvinceActivityMonth.objects.filter(month__range=months) if months else ProvinceActivityMonth.objects.none()
    )
    of_closed = (
        ActivityMonth.objects.filter(month__range=months, commune_id__in=closed_communes)
        if months
        else ActivityMonth.objects.none()
    )
    activities = defaultdict(lambda: [0, 0])
    for province_id, count, people in chain(
        counted.order_by()
        .values("province_id")
        .annotate(n=Sum("count"), p=Sum("people"))
        .values_list("province_id", "n", "p"),
        of_closed.order_by()
        .values("commune__province_id")
        .annotate(n=-Sum("count"), p=-Sum("people"))
        .values_list("commune__province_id", "n", "p"),
        edge_activities(edges)
        .exclude(commune_id__in=closed_communes)
        .values("commune__province_id")
        .annotate(n=Count("id"), p=Sum("people_helped", default=0))
        .values_list("commune__province_id", "n", "p"),
    ):
        activities[province_id][0] += count
        activities[province_id][1] += people
    rows = [
        {
            "id": province_id,
            "name": name,
            "communes": communes,
            "communes_with_teams": with_teams,
            "teams": teams,
            "members": members_kept + members[province_id],
            "activities": activities[province_id][0],
            "people": activities[province_id][1],
        }
        for province_id, name, communes, with_teams, teams, members_kept in provinces
    ]
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("communes", "communes_with_teams", "teams", "members", "activities", "people")
    }
    return {"start": start, "end": end, "rows": rows, "totals": totals}


COLUMNS = [
    ("name", "Xã/phường"),
    ("villages", "Thôn, TDP"),
    ("covered", "Thôn có Tổ"),
    ("coverage", "Tỷ lệ"),
    ("teams", "Số Tổ"),
    ("members", "Thành viên"),
    ("activities", "Hoạt động"),
    ("people", "Người được hỗ trợ"),
    ("status", "Báo cáo"),
]
SORTABLE = [key for key, _ in COLUMNS]


# Kept between requests: the same few thousand commune names are sorted on every page.
name_key = functools.lru_cache(maxsize=8192)(vietnamese.sort_key)


def sort_rows(rows, order):
    """Sort the commune table by ``order`` ('teams', '-members'...); unknown columns keep the rows' order.

    Names sort as in a Vietnamese dictionary, statuses from accepted to not started."""
    key = order.lstrip("-")
    if key not in SORTABLE:
        return rows
    statuses = list(STATUS_LABELS)
    by = {
        "name": lambda r: name_key(r["name"]),
        "status": lambda r: statuses.index(r["status"]) if r["status"] else len(statuses),
    }.get(key, lambda r: r[key] or 0)
    return sorted(rows, key=by, reverse=order.startswith("-"))
