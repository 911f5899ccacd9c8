"""Live figures for the province and national dashboards.

Every figure is one GROUP BY in the database, keyed by commune (or province), so a page makes
the same few queries whether the province has 3 communes or 300. Activities are filtered by
their denormalised commune and date, which an index (commune, date) serves.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from portal import vietnamese
from reports.models import Report, ReportRequest
from teams.models import Activity, Commune, Member, Province, Team, Topic, Village


def _bit(value):
    return Q(GreaterThan(F("topics").bitand(value), 0))


def activity_figures(activities):
    """Totals, by commune, by kind, by topic and month by month for a queryset of activities.

    One pass over the activities: a GROUP BY (commune, kind, month) with a conditional count
    per topic bit (topics are bits of one integer, tested with a bitwise AND). The few
    thousand groups are then added up here in every direction the dashboard needs.
    """
    groups = (
        activities.order_by()
        .annotate(month=TruncMonth("date"))
        .values("commune_id", "kind", "month")
        .annotate(
            count=Count("id"),
            people=Sum("people_helped"),
            **{f"t_{topic.value}": Count("id", filter=_bit(topic.value)) for topic in Topic},
        )
    )
    per_commune = defaultdict(lambda: {"count": 0, "people": 0})
    kinds = defaultdict(lambda: [0, 0])
    months = defaultdict(lambda: [0, 0])
    topics = defaultdict(int)
    for row in groups:
        people = row["people"] or 0
        per_commune[row["commune_id"]]["count"] += row["count"]
        per_commune[row["commune_id"]]["people"] += people
        kinds[row["kind"]][0] += row["count"]
        kinds[row["kind"]][1] += people
        months[row["month"]][0] += row["count"]
        months[row["month"]][1] += people
        for topic in Topic:
            topics[topic] += row[f"t_{topic.value}"]
    return {
        "count": sum(c for c, _ in kinds.values()),
        "people": sum(p for _, p in kinds.values()),
        "per_commune": per_commune,
        "by_kind": [(label, *kinds[kind]) for kind, label in Activity.Kind.choices],
        "by_topic": [(topic.label, topics[topic]) for topic in Topic],
        "trend": [(month, *months[month]) for month in sorted(months)],
    }


def _latest_request(province, now):
    """The request whose deadline is the latest already set for the province."""
    return ReportRequest.objects.filter(province=province, letter_date__lte=now.date()).order_by("-deadline").first()


def province_dashboard(province, start, end, day=None, now=None):
    """Headline figures, commune table and trend of one province, for activities in [start, end]."""
    day = day or timezone.localdate()
    now = now or timezone.now()
    communes = list(Commune.objects.filter(province=province).open_on(day).values("id", "name", "code"))
    ids = [c["id"] for c in communes]
    villages = {
        row["commune_id"]: row
        for row in Village.objects.filter(commune_id__in=ids)
        .open_on(day)
        .values("commune_id")
        .annotate(
            villages=Count("id", distinct=True),
            covered=Count("teams", filter=Q(teams__status=Team.Status.ACTIVE), distinct=True),
        )
    }
    teams = dict(
        Team.objects.filter(commune_id__in=ids, status=Team.Status.ACTIVE)
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    members_qs = Member.objects.filter(team__commune_id__in=ids, team__status=Team.Status.ACTIVE).active_on(day)
    members = dict(members_qs.values("team__commune_id").annotate(n=Count("id")).values_list("team__commune_id", "n"))
    # One GROUP BY origin with conditional counts gives the origin table and the totals.
    by_origin = {
        row["origin"]: row
        for row in members_qs.values("origin").annotate(
            n=Count("id"),
            female=Count("id", filter=Q(gender=Member.Gender.FEMALE)),
            male=Count("id", filter=Q(gender=Member.Gender.MALE)),
            trained=Count("id", filter=Q(trainings__gt=0)),
        )
    }
    activities = Activity.objects.filter(commune_id__in=ids, date__range=(start, end))
    activity = activity_figures(activities)
    per_commune = activity["per_commune"]
    request = _latest_request(province, now)
    statuses = {}
    if request is not None:
        statuses = {
            r.commune_id: completeness_status(r, request)
            for r in Report.objects.filter(request=request).only("commune_id", "status", "first_submitted_at")
        }
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
    """One row per open province, each figure one GROUP BY over the whole country."""
    day = day or timezone.localdate()
    provinces = list(Province.objects.open_on(day).values("id", "name"))
    communes = defaultdict(
        int, Commune.objects.open_on(day).values("province_id").annotate(n=Count("id")).values_list("province_id", "n")
    )
    with_teams = defaultdict(
        int,
        Team.objects.filter(status=Team.Status.ACTIVE)
        .values("commune__province_id")
        .annotate(n=Count("commune_id", distinct=True))
        .values_list("commune__province_id", "n"),
    )
    teams = defaultdict(
        int,
        Team.objects.filter(status=Team.Status.ACTIVE)
        .values("commune__province_id")
        .annotate(n=Count("id"))
        .values_list("commune__province_id", "n"),
    )
    members = defaultdict(
        int,
        Member.objects.filter(team__status=Team.Status.ACTIVE)
        .active_on(day)
        .values("team__commune__province_id")
        .annotate(n=Count("id"))
        .values_list("team__commune__province_id", "n"),
    )
    # Grouped by the activity's own commune column (no join over millions of rows), then
    # added up per province here over a few thousand communes.
    province_of = dict(Commune.objects.values_list("id", "province_id"))
    activities = defaultdict(lambda: {"count": 0, "people": 0})
    for row in (
        Activity.objects.filter(date__range=(start, end))
        .values("commune_id")
        .annotate(count=Count("id"), people=Sum("people_helped"))
        .order_by()
    ):
        total = activities[province_of[row["commune_id"]]]
        total["count"] += row["count"]
        total["people"] += row["people"] or 0
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


def completeness_status(report, request):
    """The completeness class of one commune's report: accepted, on_time, late, returned, draft."""
    if report.status == Report.Status.ACCEPTED:
        return "accepted"
    if report.status == Report.Status.RETURNED:
        return "returned"
    if report.status == Report.Status.SUBMITTED:
        return "late" if report.first_submitted_at and report.first_submitted_at > request.deadline else "on_time"
    return "draft"


STATUS_LABELS = {
    "accepted": "Đã tiếp nhận",
    "on_time": "Đã gửi đúng hạn",
    "late": "Đã gửi muộn",
    "returned": "Bị trả lại",
    "draft": "Đang soạn",
    "not_started": "Chưa bắt đầu",
}


def month_range(year, month):
    start = datetime.date(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


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
SORTABLE = ("name", "villages", "covered", "coverage", "teams", "members", "activities", "people", "status")


def sort_rows(rows, order):
    """Sort the commune table by ``order`` ('teams', '-members'...); unknown columns keep the name order."""
    key = order.lstrip("-")
    if key not in SORTABLE:
        return rows
    text = key in ("name", "status")
    return sorted(rows, key=lambda r: (r[key] or "") if text else (r[key] or 0), reverse=order.startswith("-"))
