"""Figures about a commune's registry, as its home page and its reports show them."""

from django.utils import timezone

from portal import vietnamese
from teams.models import Member, Team, Village


def commune_summary(commune, day=None):
    day = day or timezone.localdate()
    villages = Village.objects.filter(commune=commune).open_on(day)
    active_teams = Team.objects.filter(commune=commune).active()
    villages_count = villages.count()
    covered = villages.filter(teams__status=Team.Status.ACTIVE).distinct().count()
    return {
        "villages": villages_count,
        "villages_covered": covered,
        "coverage": vietnamese.ratio(covered, villages_count),
        "teams": active_teams.count(),
        "members": Member.objects.filter(team__in=active_teams).active_on(day).count(),
    }
