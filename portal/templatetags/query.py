"""Links that keep the page's query string (period, sort, chosen request) and change one part."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with ``changes`` set: {% query sap_xep="teams" %} -> ?kind=year&sap_xep=teams."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()
