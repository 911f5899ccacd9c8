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
