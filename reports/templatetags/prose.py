"""The one place where stored prose HTML is let into a page or PDF: cleaned by nh3 first."""

from django import template
from django.utils.safestring import mark_safe

from reports import prose

register = template.Library()


@register.filter
def prose_html(html):
    """Prose HTML as kept in Report.prose / ProvinceSummary.prose, cleaned again on the way out
    so that only the few tags of reports/prose.py can reach a page, whoever built the context."""
    return mark_safe(prose.sanitise(html or ""))  # noqa: S308 -- nh3 leaves only <p>, <strong>, <em>, <br>
