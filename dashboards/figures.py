"""Live figures for the province and national dashboards.

Every figure comes from a GROUP BY in the database, keyed by commune (or province), so a page
makes the same few queries whether the province has 3 communes or 300. Activities are counted
from ActivityMonth, recounted whenever an activity is saved, for the whole months of a period,
and from the activities themselves (their denormalised commune and date, which the covering
indexes of teams migration 0002 serve) for the days around them. Grouped querysets start
with ``.order_by()``: a model's Meta.ordering through foreign keys (Member, Village, Team...)
otherwise leaves INNER JOINs to communes and provinces in the query even though Django drops
the ORDER BY itself. Measured on national-scale data with
bench/run.py; the README's Benchmark section has the figures.
"""

import datetime
from collections import defaultdict
from itertools import chain

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal import vietnamese
from reports.models import STATUS_LABELS, Report, ReportRequest, completeness_status
from teams.models import (
    Activity,
    ActivityMonth,
    Commune,
    Member,
    Province,
    Team,
    Topic,
    Village,
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


def activity_sources(start, end, commune_ids=None):
    """The monthly counts of the whole months of [start, end] and the activities of its other
    days, both unordered querysets (an empty one runs no query).

    A year of Hồ Chí Minh City is 9,000 monthly counts instead of 123,000 activities, and of
    the country 180,000 instead of 2.6 million (bench/run.py measures the pages)."""
    months, edges = whole_months(start, end)
    counted = ActivityMonth.objects.filter(month__range=months) if months else ActivityMonth.objects.none()
    days = Q()
    for edge in edges:
        days |= Q(date__range=edge)
    recorded = Activity.objects.filter(days) if edges else Activity.objects.none()
    if commune_ids is not None:
        counted = counted.filter(commune_id__in=commune_ids)
        recorded = recorded.filter(commune_id__in=commune_ids)
    return counted.order_by(), recorded.order_by()


def activity_figures(start, end, commune_ids):
    """Totals, by commune, by kind, by topic and month by month of the communes' activities.

    Two GROUP BYs, (commune, kind) and month, over the monthly counts, and the same two over
    the activities of the days outside whole months, if any: there topics are the bits of one
    integer, so a (month, topics) row's count goes to every topic whose bit is set.
    """
    counted, recorded = activity_sources(start, end, commune_ids)
    per_commune = defaultdict(lambda: {"count": 0, "people": 0})
    kinds = defaultdict(lambda: [0, 0])
    for row in chain(
        counted.values("commune_id", "kind").annotate(n=Sum("count"), people_sum=Sum("people")),
        recorded.values("commune_id", "kind").annotate(n=Count("id"), people_sum=Sum("people_helped")),
    ):
        people = row["people_sum"] or 0
        per_commune[row["commune_id"]]["count"] += row["n"]
        per_commune[row["commune_id"]]["people"] += people
        kinds[row["kind"]][0] += row["n"]
        kinds[row["kind"]][1] += people
    months = defaultdict(lambda: [0, 0])
    topics = dict.fromkeys(Topic, 0)
    fields = ActivityMonth.TOPIC_FIELDS
    for row in counted.values("month").annotate(
        n=Sum("count"), people_sum=Sum("people"), **{f"with_{field}": Sum(field) for field in fields.values()}
    ):
        months[row["month"]][0] += row["n"]
        months[row["month"]][1] += row["people_sum"]
        for topic, field in fields.items():
            topics[topic] += row[f"with_{field}"]
    bits = [(topic, topic.value) for topic in Topic]  # plain ints: IntFlag's & is 20 times slower
    for row in (
        recorded.annotate(month=TruncMonth("date"))
        .values("month", "topics")
        .annotate(n=Count("id"), people_sum=Sum("people_helped"))
    ):
        months[row["month"]][0] += row["n"]
        months[row["month"]][1] += row["people_sum"] or 0
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


def province_dashboard(province, start, end, day=None, now=None):
    """Headline figures, commune table and trend of one province, for activities in [start, end].

    Eight queries whatever the number of communes: communes, villages, teams, members, two for
    activities, the latest request and its reports.
    """
    day = day or timezone.localdate()
    now = now or timezone.now()
    communes = list(Commune.objects.filter(province=province).open_on(day).values("id", "name", "code"))
    ids = [c["id"] for c in communes]
    villages = {
        row["commune_id"]: row
        for row in Village.objects.filter(commune_id__in=ids)
        .open_on(day)
        .order_by()
        .values("commune_id")
        .annotate(
            villages=Count("id", distinct=True),
            covered=Count("teams", filter=Q(teams__status=Team.Status.ACTIVE), distinct=True),
        )
    }
    teams = dict(
        Team.objects.filter(commune_id__in=ids, status=Team.Status.ACTIVE)
        .order_by()
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    # One GROUP BY (commune, origin) with conditional counts gives the members of each commune,
    # the origin table and the totals: a second pass over the province's members cost 13 ms.
    members = defaultdict(int)
    by_origin = defaultdict(lambda: defaultdict(int))
    for row in (
        Member.objects.filter(team__commune_id__in=ids, team__status=Team.Status.ACTIVE)
        .active_on(day)
        .order_by()
        .values("team__commune_id", "origin")
        .annotate(
            n=Count("id"),
            female=Count("id", filter=Q(gender=Member.Gender.FEMALE)),
            male=Count("id", filter=Q(gender=Member.Gender.MALE)),
            trained=Count("id", filter=Q(trainings__gt=0)),
        )
    ):
        members[row["team__commune_id"]] += row["n"]
        for key in ("n", "female", "male", "trained"):
            by_origin[row["origin"]][key] += row[key]
    activity = activity_figures(start, end, ids)
    per_commune = activity["per_commune"]
    request = _latest_request(province, now)
    statuses = {}
    if request is not None:
        # Communes the request never asked are "not asked", not "not started" (one more query).
        asked = set(request.communes.through.objects.filter(reportrequest=request).values_list("commune_id", flat=True))
        statuses = {c["id"]: "not_asked" for c in communes if c["id"] not in asked}
        statuses.update(
            (r.commune_id, completeness_status(r, request))
            for r in Report.objects.filter(request=request)
            .order_by()
            .only("commune_id", "status", "first_submitted_at")
        )
    rows = []
    for c in communes:
        v = villages.get(c["id"], {})
        act = per_commune.get(c["id"], {})
        rows.append(
            {
                "id": c["id"],
                "name": c["name"],
                "villages": v.get("villages", 0),
                "covered": v.get("covered", 0),
                "coverage": vietnamese.ratio(v.get("covered", 0), v.get("villages", 0)),
                "teams": teams.get(c["id"], 0),
                "members": members.get(c["id"], 0),
                "activities": act.get("count", 0),
                "people": act.get("people") or 0,
                "status": statuses.get(c["id"], "not_started") if request else None,
                "status_label": STATUS_LABELS[statuses.get(c["id"], "not_started")] if request else "",
            }
        )
    total_villages = sum(r["villages"] for r in rows)
    total_covered = sum(r["covered"] for r in rows)
    return {
        "province": province,
        "start": start,
        "end": end,
        "request": request,
        "rows": rows,
        "communes": len(rows),
        "communes_with_teams": sum(1 for r in rows if r["teams"]),
        "villages": total_villages,
        "villages_covered": total_covered,
        "teams": sum(teams.values()),
        "members": {
            "total": sum(members.values()),
            **{key: sum(row[key] for row in by_origin.values()) for key in ("female", "male", "trained")},
        },
        "origins": [(label, by_origin.get(value, {}).get("n", 0)) for value, label in Member.Origin.choices],
        "activities": activity,
    }


def national_dashboard(start, end, day=None):
    """One row per open province.

    Six queries whatever the size of the country. Teams, members and activities are grouped by
    their commune (members through their team), without joining communes over hundreds of
    thousands of rows, then added up per province here over a few thousand communes.
    """
    day = day or timezone.localdate()
    provinces = list(Province.objects.open_on(day).values("id", "name"))
    communes = defaultdict(
        int,
        Commune.objects.open_on(day)
        .order_by()
        .values("province_id")
        .annotate(n=Count("id"))
        .values_list("province_id", "n"),
    )
    province_of = dict(Commune.objects.order_by().values_list("id", "province_id"))

    def per_province(pairs):
        totals = defaultdict(int)
        for commune_id, n in pairs:
            totals[province_of[commune_id]] += n
        return totals

    teams_per_commune = dict(
        Team.objects.filter(status=Team.Status.ACTIVE)
        .order_by()
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    teams = per_province(teams_per_commune.items())
    with_teams = per_province((commune_id, 1) for commune_id in teams_per_commune)
    members = per_province(
        Member.objects.filter(team__status=Team.Status.ACTIVE)
        .active_on(day)
        .order_by()
        .values("team__commune_id")
        .annotate(n=Count("id"))
        .values_list("team__commune_id", "n")
    )
    activities = defaultdict(lambda: {"count": 0, "people": 0})
    counted, recorded = activity_sources(start, end)
    for row in chain(
        counted.values("commune_id").annotate(n=Sum("count"), people_sum=Sum("people")),
        recorded.values("commune_id").annotate(n=Count("id"), people_sum=Sum("people_helped")),
    ):
        total = activities[province_of[row["commune_id"]]]
        total["count"] += row["n"]
        total["people"] += row["people_sum"] or 0
    rows = [
        {
            "id": p["id"],
            "name": p["name"],
            "communes": communes[p["id"]],
            "communes_with_teams": with_teams[p["id"]],
            "teams": teams[p["id"]],
            "members": members[p["id"]],
            "activities": activities.get(p["id"], {}).get("count", 0),
            "people": activities.get(p["id"], {}).get("people") or 0,
        }
        for p in provinces
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


def sort_rows(rows, order):
    """Sort the commune table by ``order`` ('teams', '-members'...); unknown columns keep the rows' order.

    Names sort as in a Vietnamese dictionary, statuses from accepted to not started."""
    key = order.lstrip("-")
    if key not in SORTABLE:
        return rows
    statuses = list(STATUS_LABELS)
    by = {
        "name": lambda r: vietnamese.sort_key(r["name"]),
        "status": lambda r: statuses.index(r["status"]) if r["status"] else len(statuses),
    }.get(key, lambda r: r[key] or 0)
    return sorted(rows, key=by, reverse=order.startswith("-"))
