"""The one way a template asks who may act: {% can "report.edit" report as may_edit %}."""

from django import template

from portal import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    """portal.permissions.can for the logged-in user (``obj`` optional)."""
    user = context.get("user")
    return user is not None and permissions.can(user, action, obj)
