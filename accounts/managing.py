"""Who may manage whose account: the ladder, one rung down.

Administrators manage everyone; department staff the commune officials and team leads of
their province; commune officials the team leads of their own commune's teams. Team leads
manage nobody. The rows a manager may see are ``User.objects.visible_to(manager)`` (their
province, commune or team), narrowed here to the roles below theirs.
"""

from portal import permissions
from portal.roles import Role
from teams.models import Commune, Province, Team

MANAGED_ROLES = {
    Role.ADMIN: [Role.ADMIN, Role.PROVINCE, Role.COMMUNE, Role.TEAM_LEAD],
    Role.PROVINCE: [Role.COMMUNE, Role.TEAM_LEAD],
    Role.COMMUNE: [Role.TEAM_LEAD],
}


def managed_roles(manager):
    return MANAGED_ROLES.get(manager.role, []) if manager.is_authenticated else []


def require_manager(manager):
    """403 for a user who manages nobody (team leads)."""
    permissions.require(manager, "user.manage")


def users_managed_by(manager):
    from portal.models import User

    return User.objects.visible_to(manager).filter(role__in=managed_roles(manager))


def awaiting_handover(manager):
    """The accounts a handover sheet gives new links to: the manager's, active, never logged in and
    without a password of their own (``accounts.views.handover_sheet``, and where it is offered)."""
    return users_managed_by(manager).filter(is_active=True, last_login__isnull=True, password__startswith="!")


def provinces_for(manager):
    return (
        Province.objects.visible_to(manager).order_by("name") if manager.role == Role.ADMIN else Province.objects.none()
    )


def communes_for(manager):
    return Commune.objects.visible_to(manager).filter(closed_on__isnull=True).select_related("province")


def teams_for(manager):
    return Team.objects.visible_to(manager).select_related("commune__province").order_by("commune__name", "name")


def commune_label(commune):
    return f"{commune.name} ({commune.province.name})"


def team_label(team):
    return f"{team.name} – {team.commune.name} ({team.commune.province.name})"
