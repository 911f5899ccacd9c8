"""Template filters for Vietnamese numbers and dates; they only call portal.vietnamese."""

from django import template

from portal import vietnamese

register = template.Library()


@register.filter
def number(value, decimals=0):
    return vietnamese.number(value, int(decimals))


@register.filter
def percent_of(part, whole):
    return vietnamese.percent(part, whole)


# expects_localtime: a deadline (an aware datetime in UTC) is shown on its day in Vietnam.
@register.filter(expects_localtime=True)
def long_date(value):
    return vietnamese.long_date(value)


@register.filter(expects_localtime=True)
def citation_date(value):
    return vietnamese.citation_date(value)


@register.filter
def month_year(value):
    return vietnamese.month_year(value)


# Screens write every date dd/mm/yyyy (27/09/2026 beside 27/11/2026) and every month with two
# digits; citation_date and month_year keep Decree 30's way (05/9/2025, tháng 3) for documents.
@register.filter(expects_localtime=True)
def short_date(value):
    return vietnamese.short_date(value)


@register.filter
def short_month_year(value):
    return vietnamese.short_month_year(value)
