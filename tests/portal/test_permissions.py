"""portal.permissions: the one table of who may act, asked with and without an object."""

import pytest

from portal import permissions


def test_administrators_may_do_everything_in_the_table(cast):
    """Everything but keeping pages offline on the device: the service worker caches a team
    lead's pages only, never an administrator's (issue 17)."""
    assert all(permissions.can(cast.admin, action) for action in permissions.RULES if action != "activity.offline")
    assert not permissions.can(cast.admin, "activity.offline")
    assert permissions.can(cast.lead_x, "activity.offline")


def test_department_staff_read_the_registry_and_review_reports(cast):
    assert not permissions.can(cast.staff_p, "village.manage")
    assert not permissions.can(cast.staff_p, "report.edit")
    assert permissions.can(cast.staff_p, "report.review")
    assert not permissions.can(cast.staff_p, "dashboard.national")


def test_a_team_lead_keeps_members_and_activities_but_not_villages(cast):
    assert permissions.can(cast.lead_x, "activity.manage")
    assert permissions.can(cast.lead_x, "member.manage")
    assert not permissions.can(cast.lead_x, "village.manage")
    assert not permissions.can(cast.lead_x, "member.import")


def test_an_object_rule_reads_the_objects_state(cast):
    class Sent:
        is_editable = False
        commune_id = cast.commune_x.pk

    assert permissions.can(cast.official_x, "report.edit")
    assert not permissions.can(cast.official_x, "report.edit", Sent())
    assert permissions.can(cast.staff_p, "report.review", Sent())


def test_an_inactive_or_anonymous_user_may_do_nothing(cast, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    cast.official_x.is_active = False
    assert not permissions.can(cast.official_x, "village.manage")
    assert not permissions.can(AnonymousUser(), "registry.view")


def test_an_unknown_action_is_an_error_not_a_no(cast):
    with pytest.raises(KeyError):
        permissions.can(cast.admin, "report.edti")
