"""The data blocks of a report, read from the registry.

Each function returns plain JSON-ready values (ints, strings, ISO dates), because what it returns
is frozen into a ReportVersion on submission; the template formats them.
"""

from collections import Counter

from django.db.models import Count, F, Max, Q, Sum

from teams.models import Activity, Decision, Member, Team, Topic, Village
from teams.stats import commune_summary


def village_word(commune):
    """ "thôn" or "tổ dân phố": what the commune's villages mostly are, as the report counts them;
    with none yet, what its kind of unit is made of (Commune.village_kind: a ward's tổ dân phố)."""
    kinds = Counter(Village.objects.filter(commune=commune).open_on().values_list("kind", flat=True))
    kind = kinds.most_common(1)[0][0] if kinds else commune.village_kind
    return Village.Kind(kind).label.lower()


def general(commune, day):
    summary = commune_summary(commune, day)
    teams = Team.objects.filter(commune=commune).active_on(day)
    zalo = teams.aggregate(
        with_group=Count("pk", filter=~Q(zalo_url="")),
        planned=Max("zalo_planned_month", filter=Q(zalo_url="")),
    )
    decisions = Decision.objects.filter(commune=commune, kind=Decision.Kind.FOUNDING, signed_on__lte=day)
    return {
        "on": day.isoformat(),  # the day the figures describe (content.figures_day), printed above them
        "villages": summary["villages"],
        "village_word": village_word(commune),
        # "xã", "phường" or "đặc khu", as in "Tổ cấp phường"; versions frozen before it say "xã".
        "kind_word": commune.kind_word,
        "villages_covered": summary["villages_covered"],
        "coverage": str(summary["coverage"]) if summary["coverage"] is not None else None,
        "teams": summary["teams"],
        "commune_teams": teams.filter(level=Team.Level.COMMUNE).count(),
        "members": summary["members"],
        "decisions": [
            {"number": d.number, "signed_on": d.signed_on.isoformat(), "issuer": d.issuer}
            for d in decisions.order_by("signed_on")
        ],
        "zalo_groups": zalo["with_group"],
        "zalo_planned": zalo["planned"].isoformat() if zalo["planned"] else None,
    }


def activities(commune, start, end):
    rows = Activity.objects.filter(commune=commune, date__range=(start, end))
    by_kind = {
        row["kind"]: row
        for row in rows.values("kind")
        .annotate(
            count=Count("pk"),
            people=Sum("people_helped"),
            households=Sum("households_reached"),
            accounts=Sum("accounts_created"),
        )
        .order_by()
    }
    # One query for every topic: topics are bits of one integer (teams.models.Topic).
    flagged = rows.annotate(**{f"bit_{t.value}": F("topics").bitand(t.value) for t in Topic})
    per_topic = flagged.aggregate(
        **{f"count_{t.value}": Count("pk", filter=Q(**{f"bit_{t.value}__gt": 0})) for t in Topic},
        **{f"people_{t.value}": Sum("people_helped", filter=Q(**{f"bit_{t.value}__gt": 0})) for t in Topic},
    )
    kinds = [
        {
            "label": label,
            "count": by_kind[kind]["count"],
            "people": by_kind[kind]["people"] or 0,
            "households": by_kind[kind]["households"] or 0,
            "accounts": by_kind[kind]["accounts"] or 0,
        }
        for kind, label in Activity.Kind.choices
        if kind in by_kind
    ]
    topics = [
        {"label": t.label, "count": per_topic[f"count_{t.value}"], "people": per_topic[f"people_{t.value}"] or 0}
        for t in Topic
        if per_topic[f"count_{t.value}"]
    ]
    totals = {key: sum(k[key] for k in kinds) for key in ("count", "people", "households", "accounts")}
    return {"start": start.isoformat(), "end": end.isoformat(), "kinds": kinds, "topics": topics, "totals": totals}


def members(commune, day):
    teams = Team.objects.filter(commune=commune).active_on(day)
    active = Member.objects.filter(team__in=teams).active_on(day)
    by_origin = {
        row["origin"]: row
        for row in active.values("origin")
        .annotate(count=Count("pk"), trained=Count("pk", filter=Q(trainings__gt=0)))
        .order_by()
    }
    origins = [
        {"label": label, "count": by_origin[origin]["count"], "trained": by_origin[origin]["trained"]}
        for origin, label in Member.Origin.choices
        if origin in by_origin
    ]
    return {
        "origins": origins,
        "total": sum(o["count"] for o in origins),
        "trained": sum(o["trained"] for o in origins),
        "women": active.filter(gender=Member.Gender.FEMALE).count(),
    }


def bases(commune):
    """The commune's households and population, the bases that indicator counts are checked against."""
    totals = Village.objects.filter(commune=commune).open_on().aggregate(Sum("households"), Sum("population"))
    return totals["households__sum"], commune.population or totals["population__sum"]


def registry_figures(commune, start, end, day=None):
    """What the registry knows that an indicator may count, by ``reports.indicators.Source``.

    Households and population are those of the commune's open villages (the commune's own
    population first, as ``bases`` does); teams and members those of ``day`` (the report's
    content.figures_day; today by default); activities and people helped are the period's. A
    figure the registry does not know is None.
    """
    households, population = bases(commune)
    summary = commune_summary(commune, day)
    period = Activity.objects.filter(commune=commune, date__range=(start, end)).aggregate(
        count=Count("pk"), people=Sum("people_helped")
    )
    return {
        "households": households,
        "population": population,
        "teams": summary["teams"],
        "members": summary["members"],
        "activities": period["count"],
        "people_helped": period["people"] or 0,
    }
