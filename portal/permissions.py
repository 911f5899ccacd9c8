"""Who may act: the one table of what each role may do, asked by views, templates and workflows.

``portal.scoping`` decides what a user *sees* (``Model.objects.visible_to(user)``: outside it, a
404). This module decides what a user may *do* with what they see::

    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)   # else 404
    permissions.require(request.user, "report.edit", report)                    # else 403

Templates ask the same table through one tag (``{% load permissions %}``,
``{% can "report.edit" report as may_edit %}``) and workflows call ``can()``. No view or template
compares role names: ``tests/test_permission_matrix.py`` greps them and fails if one does.

The foundation imports no feature: an object rule reads the object's own attributes
(``report.is_editable``, ``report.commune_id``), whatever its model.
"""

from django.core.exceptions import PermissionDenied

from portal.roles import Role

ADMIN, PROVINCE, COMMUNE, TEAM_LEAD = Role.ADMIN, Role.PROVINCE, Role.COMMUNE, Role.TEAM_LEAD
STAFF = {ADMIN, PROVINCE}  # the department's work: requests, reviews, dashboards, the summary
OFFICIALS = {ADMIN, COMMUNE}  # the commune's work: its registry and its reports
TEAM_KEEPERS = {ADMIN, COMMUNE, TEAM_LEAD}  # a team's members and activities

REFUSAL = "Tài khoản của bạn chỉ được xem, không được thay đổi mục này."


# Object rules: given a user who has the role, may they act on this object? -----------------


def _editable(user, report):
    return report.is_editable


def _reviewer(user, report):
    """A commune never accepts, returns or reopens its own report."""
    return user.role == ADMIN or user.commune_id != report.commune_id


def _indicator_keeper(user, indicator):
    """Administrators keep the national catalogue; a department only its province's own indicators."""
    return user.role == ADMIN or (indicator.province_id is not None and indicator.province_id == user.province_id)


# The table: action -> (roles that may, object rule or None) -----------------------------------

RULES = {
    # The registry (teams/): villages, teams, founding decisions and imports are the commune's;
    # members and activities also the team lead's. Everyone reads what they see.
    "registry.view": ({ADMIN, PROVINCE, COMMUNE, TEAM_LEAD}, None),
    "registry.export_province": (STAFF, None),  # a whole province's lists in one .xlsx
    "village.manage": (OFFICIALS, None),
    "village.import": (OFFICIALS, None),
    "team.manage": (OFFICIALS, None),
    "decision.manage": (OFFICIALS, None),
    "member.manage": (TEAM_KEEPERS, None),
    "member.import": (OFFICIALS, None),
    "activity.manage": (TEAM_KEEPERS, None),
    # The installable app's offline queue (static/offline.js): the team lead's phone only, so
    # that no page of another role is ever kept in a browser's cache.
    "activity.offline": ({TEAM_LEAD}, None),
    # Report requests (reports/): the department asks, communes answer.
    "request.list": ({ADMIN, PROVINCE, COMMUNE}, None),
    "request.create": (STAFF, None),
    "request.edit_outline": (STAFF, None),
    # A commune's report: the commune writes, submits and signs it; the department reviews it.
    "report.start": (OFFICIALS, None),
    "report.edit": (OFFICIALS, _editable),
    "report.submit": (OFFICIALS, _editable),
    "report.sign": (OFFICIALS, None),
    "report.review": (STAFF, _reviewer),  # accept, return for changes, reopen
    # The indicator catalogue (reports.models.Indicator) and its trends.
    "indicator.manage": (STAFF, _indicator_keeper),
    "indicator.trend": (STAFF, None),
    # The department's summary of a request.
    "summary.view": (STAFF, None),
    "summary.edit": (STAFF, None),
    # Dashboards (dashboards/).
    "dashboard.province": (STAFF, None),
    "dashboard.national": ({ADMIN}, None),
    "completeness.view": (STAFF, None),
    "reminder.send": (STAFF, None),
    # Administration. Whose accounts a manager may change (one rung down) is accounts.managing's.
    "user.manage": ({ADMIN, PROVINCE, COMMUNE}, None),
    "user.onboard": (STAFF, None),  # a province's accounts from Excel
    "user.reset_2fa": ({ADMIN}, None),  # a lost phone: the user enrols again
    "login_audit.view": (STAFF, None),  # department staff: their province's users only (accounts.audit)
    "certificate.manage": ({ADMIN}, None),
    # Files made in the background (exports/): each user sees their own; administrators anyone's.
    "export.list": (STAFF, None),
    "export.view_any": ({ADMIN}, None),
}


def can(user, action, obj=None):
    """True if ``user`` may do ``action`` (to ``obj``, which they already see, when given).

    Without ``obj`` the answer is the role's; with it, the object's state counts too (a sent
    report is no longer editable). An unknown action is a programming error, not a "no".
    """
    roles, rule = RULES[action]
    if not (user.is_authenticated and user.is_active and user.role in roles):
        return False
    return obj is None or rule is None or rule(user, obj)


def require(user, action, obj=None):
    """403 unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied(REFUSAL)
