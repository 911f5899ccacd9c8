"""Who may see and change what: the one place in the code that decides it.

The ladder is administrator -> province department staff -> commune official -> team lead.
Each scoped model says, in ``scope_paths``, the lookup from itself to its province, its
commune and its team; a level it has no path for is invisible at that level. Views do::

    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)   # else 404
    scoping.require_role(request.user, Role.COMMUNE, Role.TEAM_LEAD)         # else 403

so an object outside the user's scope is a 404 (no hint that it exists) and an object in
scope that the user may only read is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from portal.roles import Role

NOTHING = Q(pk__in=[])

# Which of the user's own units a role is tied to, by the name used in scope_paths.
LEVEL_OF_ROLE = {
    Role.PROVINCE: ("province", "province_id"),
    Role.COMMUNE: ("commune", "commune_id"),
    Role.TEAM_LEAD: ("team", "team_id"),
}


def visibility_filter(user, model):
    """A Q object keeping only the rows of ``model`` that ``user`` may see."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.ADMIN:
        return Q()
    if user.role not in LEVEL_OF_ROLE:
        return NOTHING
    level, attribute = LEVEL_OF_ROLE[user.role]
    unit_id = getattr(user, attribute)
    path = model.scope_paths.get(level)
    if unit_id is None or path is None:
        return NOTHING
    return Q(**{path: unit_id})


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visibility_filter(user, self.model))


def has_role(user, *roles):
    """True for an administrator, or when the user's role is one of ``roles``."""
    return user.is_authenticated and (user.role == Role.ADMIN or user.role in roles)


def require_role(user, *roles):
    """403 unless the user has one of ``roles`` (administrators always do)."""
    if not has_role(user, *roles):
        raise PermissionDenied("Tài khoản của bạn chỉ được xem, không được thay đổi mục này.")
