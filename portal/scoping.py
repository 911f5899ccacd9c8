"""Who may see and change what: the one place in the code that decides it.

The ladder is administrator -> province department staff -> commune official -> team lead.
Each scoped model says, in ``scope_paths``, the lookup from itself to its province, its
commune and its team; a level it has no path for is invisible at that level. Views do::

    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)   # else 404
    permissions.require(request.user, "team.manage", team)                  # else 403

so an object outside the user's scope is a 404 (no hint that it exists) and an object in
scope that the user may only read is a 403. Who may act on what they see is
``portal.permissions``.
"""

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
    """A Q object keeping only the rows of ``model`` that ``user`` may see.

    A model may also name, in ``scope_shared``, rows that every signed-in user sees whatever their
    unit (the national indicator catalogue beside a province's own indicators)."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.ADMIN:
        return Q()
    if user.role not in LEVEL_OF_ROLE:
        return NOTHING
    level, attribute = LEVEL_OF_ROLE[user.role]
    unit_id = getattr(user, attribute)
    path = model.scope_paths.get(level)
    own = NOTHING if unit_id is None or path is None else Q(**{path: unit_id})
    shared = getattr(model, "scope_shared", None)
    return own | shared if shared is not None else own


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visibility_filter(user, self.model))


def level_of(user):
    """The unit level the user works at ("province", "commune" or "team"), or None (administrators)."""
    level = LEVEL_OF_ROLE.get(user.role) if user.is_authenticated else None
    return level and level[0]
