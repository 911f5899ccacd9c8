"""The indicators a commune reports for a period, and how they compare with a plan's targets.

What dashboards read (all percentages are numbers from 0 to 100):

- ``IndicatorTarget(request, indicator, comparison, target)``: a request's targets, e.g. at least
  70 % of households with digital skills ("gte", 70). Built-in outlines carry them
  (reports/outlines.py); ``ReportRequest.set_outline`` stores them.
- ``IndicatorValue(report, indicator, value, share)``: what the commune entered (``value``, in
  the indicator's unit) and the same figure as a share of its base (``share``, a percentage,
  None when the base is unknown). Compare ``share`` with the target of the report's request
  through ``IndicatorTarget.is_met(share)``.

The definitions stay in code (not a table) because the checks and units belong to them.
"""

from decimal import Decimal

from django.db import models

from portal import vietnamese


class Indicator(models.TextChoices):
    HOUSEHOLDS_DIGITAL_SKILLS = "households_digital_skills", "Số hộ gia đình có kỹ năng số"
    DOSSIERS_ONLINE = "dossiers_online", "Tỷ lệ hồ sơ thủ tục hành chính nộp và xử lý trực tuyến"
    ADULTS_E_PAYMENT = "adults_e_payment", "Tỷ lệ người từ 18 tuổi có tài khoản ngân hàng, thanh toán điện tử"
    ADULTS_SMARTPHONE = "adults_smartphone", "Tỷ lệ người trưởng thành có điện thoại thông minh"
    VNEID_LEVEL2 = "vneid_level2", "Số người có tài khoản định danh điện tử VNeID mức độ 2"
    VNEID_ONLINE_SERVICES = (
        "vneid_online_services",
        "Tỷ lệ người dân, doanh nghiệp dùng dịch vụ công trực tuyến qua VNeID",
    )


class Unit(models.TextChoices):
    PERCENT = "percent", "%"
    HOUSEHOLDS = "households", "hộ"
    PEOPLE = "people", "người"


UNITS = {
    Indicator.HOUSEHOLDS_DIGITAL_SKILLS: Unit.HOUSEHOLDS,
    Indicator.DOSSIERS_ONLINE: Unit.PERCENT,
    Indicator.ADULTS_E_PAYMENT: Unit.PERCENT,
    Indicator.ADULTS_SMARTPHONE: Unit.PERCENT,
    Indicator.VNEID_LEVEL2: Unit.PEOPLE,
    Indicator.VNEID_ONLINE_SERVICES: Unit.PERCENT,
}


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    MORE_THAN = "gt", ">"


def is_met(share, comparison, target):
    """Whether ``share`` (a percentage) reaches ``target``; None when the share is unknown."""
    if share is None:
        return None
    share, target = Decimal(share), Decimal(target)
    return share > target if comparison == Comparison.MORE_THAN else share >= target


def check_value(indicator, value, households, population):
    """The share (0-100) of an entered value, or a ValueError with a Vietnamese message.

    A percentage may not exceed 100; a count of households may not exceed the commune's
    households, nor a count of people its population (when those are known).
    """
    unit = UNITS[indicator]
    label = Indicator(indicator).label
    if value < 0:
        raise ValueError(f"“{label}” không được là số âm.")
    if unit == Unit.PERCENT:
        if value > 100:
            raise ValueError(f"“{label}” là một tỷ lệ, không được lớn hơn 100 %.")
        return Decimal(value)
    base = households if unit == Unit.HOUSEHOLDS else population
    if not base:
        return None
    if value > base:
        what = "số hộ" if unit == Unit.HOUSEHOLDS else "số dân"
        raise ValueError(
            f"“{label}” ({vietnamese.number(value)}) không được lớn hơn {what} của xã ({vietnamese.number(base)})."
        )
    return (Decimal(value) * 100 / Decimal(base)).quantize(Decimal("0.01"))


def combine(code, entries, comparison=None, target=None):
    """Figures of indicator ``code`` over several communes, from their (value, share) pairs.

    ``total`` adds up the values of a count (households, people); for a percentage it is None,
    since percentages do not add up. ``share`` is the mean of the communes' shares: unweighted,
    because the base of a percentage (dossiers, adults) is not known to the portal. ``of_target``
    is that share as a percentage of the target, and ``met`` whether it reaches it.
    """
    entries = [(Decimal(str(value)), None if share is None else Decimal(str(share))) for value, share in entries]
    shares = [share for _, share in entries if share is not None]
    share = (sum(shares) / len(shares)).quantize(Decimal("0.01")) if shares else None
    counted = entries and UNITS[code] != Unit.PERCENT
    return {
        "code": code,
        "label": Indicator(code).label,
        "unit": UNITS[code],
        "communes": len(entries),
        "total": sum((value for value, _ in entries), Decimal(0)) if counted else None,
        "share": share,
        "comparison": Comparison(comparison).label if comparison else "",
        "target": Decimal(str(target)) if target is not None else None,
        "of_target": (share * 100 / Decimal(str(target))).quantize(Decimal("0.01"))
        if share is not None and target
        else None,
        "met": is_met(share, comparison, target) if target is not None else None,
    }
