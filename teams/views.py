from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from teams.models import Commune, Team
from teams.stats import commune_summary


@login_required
def commune_detail(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), pk=pk)
    return render(request, "teams/commune_detail.html", {"commune": commune, "summary": commune_summary(commune)})


@login_required
def team_detail(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user).select_related("commune", "village"), pk=pk)
    return render(request, "teams/team_detail.html", {"team": team})
