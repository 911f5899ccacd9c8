from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from portal.roles import Role


@login_required
def home(request):
    """Each role starts on the page of its own unit."""
    user = request.user
    if user.role == Role.COMMUNE and user.commune_id:
        return redirect("teams:commune_detail", pk=user.commune_id)
    if user.role == Role.TEAM_LEAD and user.team_id:
        return redirect("teams:team_detail", pk=user.team_id)
    return render(request, "portal/home.html")
