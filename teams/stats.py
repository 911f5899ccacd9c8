"""Figures about a commune's registry, as its home page and its reports show them."""

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone

from portal import vietnamese
from teams.models import Activity, Member, Team, Village


def commune_summary(commune, day=None):
    """The commune's villages, teams and members as they stood on ``day`` (today by default): a
    team dissolved after that day still counts, with its members who had not left."""
    day = day or timezone.localdate()
    villages = Village.objects.filter(commune=commune).open_on(day)
    active_teams = Team.objects.filter(commune=commune).active_on(day)
    villages_count = villages.count()
    covered = villages.filter(Exists(active_teams.filter(village=OuterRef("pk")))).count()
    return {
        "villages": villages_count,
        "villages_covered": covered,
        "coverage": vietnamese.ratio(covered, villages_count),
        "teams": active_teams.count(),
        "members": Member.objects.filter(team__in=active_teams).active_on(day).count(),
    }


def activity_summary(commune, day=None):
    """Activities and people helped in the month and the year of ``day`` (to that day)."""
    day = day or timezone.localdate()
    year = Activity.objects.filter(commune=commune, date__year=day.year, date__lte=day)
    totals = {}
    for period, rows in (("month", year.filter(date__month=day.month)), ("year", year)):
        figures = rows.aggregate(activities=Count("pk"), people=Sum("people_helped"))
        totals[period] = {"activities": figures["activities"], "people": figures["people"] or 0}
    return totals
