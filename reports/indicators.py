"""Indicators as numerators over denominators, and how they compare with a plan's targets.

The catalogue is a table (``reports.models.Indicator``): each indicator says what its numerator
and its denominator count (households, people, dossiers, ...) and where each comes from: typed
by the commune, or read from the registry (``Source``). A commune's figure is an
``IndicatorValue`` with its numerator, its denominator and the rate (``share``, a percentage
from 0 to 100) computed from them; where only a rate is known it is typed alone and marked
``rate_only``.

Province and national rates are weighted: Σ numerators ÷ Σ denominators over the communes that
gave both (``combine``). A commune that typed only a rate is counted as having reported but not
in the rate, and the figure says how many communes it covers.

This module holds the rules (rates, checks, combining); it touches no table, so dashboards,
the summary and the demo share it.
"""

from decimal import Decimal

from django.db import models

from portal import vietnamese, xlsx

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# A denominator this far (as a share of the registry's figure) from the registry is questioned.
REGISTRY_TOLERANCE = Decimal("0.2")
# A rate this many percentage points from the commune's previous one needs a one-line explanation.
CHANGE_THRESHOLD = Decimal(20)


class Code:
    """The codes of seed 003's six indicators, the catalogue's first entries (migration reports 0009)."""

    HOUSEHOLDS_DIGITAL_SKILLS = "households_digital_skills"
    DOSSIERS_ONLINE = "dossiers_online"
    ADULTS_E_PAYMENT = "adults_e_payment"
    ADULTS_SMARTPHONE = "adults_smartphone"
    VNEID_LEVEL2 = "vneid_level2"
    VNEID_ONLINE_SERVICES = "vneid_online_services"

    SEED = [
        HOUSEHOLDS_DIGITAL_SKILLS,
        DOSSIERS_ONLINE,
        ADULTS_E_PAYMENT,
        ADULTS_SMARTPHONE,
        VNEID_LEVEL2,
        VNEID_ONLINE_SERVICES,
    ]


# The six as the catalogue first holds them (migration reports 0009 keeps its own frozen copy):
# code, name, unit, what the numerator counts, what the denominator counts, where it comes from.
SEED_CATALOGUE = [
    (
        Code.HOUSEHOLDS_DIGITAL_SKILLS,
        "Số hộ gia đình có kỹ năng số",
        "households",
        "Số hộ gia đình có kỹ năng số",
        "Tổng số hộ gia đình của xã",
        "households",
    ),
    (
        Code.DOSSIERS_ONLINE,
        "Tỷ lệ hồ sơ thủ tục hành chính nộp và xử lý trực tuyến",
        "dossiers",
        "Số hồ sơ thủ tục hành chính nộp và xử lý trực tuyến",
        "Tổng số hồ sơ thủ tục hành chính phát sinh",
        "typed",
    ),
    (
        Code.ADULTS_E_PAYMENT,
        "Tỷ lệ người từ 18 tuổi có tài khoản ngân hàng, thanh toán điện tử",
        "people",
        "Số người từ 18 tuổi có tài khoản ngân hàng, thường xuyên thanh toán điện tử",
        "Số người từ 18 tuổi trở lên",
        "typed",
    ),
    (
        Code.ADULTS_SMARTPHONE,
        "Tỷ lệ người trưởng thành có điện thoại thông minh",
        "people",
        "Số người trưởng thành có điện thoại thông minh",
        "Số người trưởng thành",
        "typed",
    ),
    (
        Code.VNEID_LEVEL2,
        "Số người có tài khoản định danh điện tử VNeID mức độ 2",
        "people",
        "Số người có tài khoản định danh điện tử VNeID mức độ 2",
        "Dân số của xã",
        "population",
    ),
    (
        Code.VNEID_ONLINE_SERVICES,
        "Tỷ lệ người dân, doanh nghiệp dùng dịch vụ công trực tuyến qua VNeID",
        "people",
        "Số người dân, doanh nghiệp dùng dịch vụ công trực tuyến được định danh, xác thực qua VNeID",
        "Số người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến",
        "typed",
    ),
]


class Unit(models.TextChoices):
    """What the numerator and the denominator count."""

    HOUSEHOLDS = "households", "hộ"
    PEOPLE = "people", "người"
    DOSSIERS = "dossiers", "hồ sơ"
    ACCOUNTS = "accounts", "tài khoản"
    BUSINESSES = "businesses", "doanh nghiệp, hộ kinh doanh"
    ACTIVITIES = "activities", "hoạt động"
    TEAMS = "teams", "tổ"
    OTHER = "other", "đơn vị"


def number_format(unit):
    """The Excel format of a numerator or denominator counted in ``unit``: whole households,
    people, dossiers... print as 7.775, never 7.775,00; only "đơn vị" (anything) keeps decimals."""
    return xlsx.DECIMAL if unit not in Unit.values or unit == Unit.OTHER else xlsx.INTEGER


class Source(models.TextChoices):
    """Where a numerator or a denominator comes from."""

    TYPED = "typed", "Xã nhập"
    HOUSEHOLDS = "households", "Sổ theo dõi: số hộ của các thôn, tổ dân phố"
    POPULATION = "population", "Sổ theo dõi: dân số của xã"
    TEAMS = "teams", "Sổ theo dõi: số Tổ CNSCĐ đang hoạt động"
    MEMBERS = "members", "Sổ theo dõi: số thành viên Tổ"
    ACTIVITIES = "activities", "Sổ theo dõi: số hoạt động trong kỳ"
    PEOPLE_HELPED = "people_helped", "Sổ theo dõi: số lượt người được hỗ trợ trong kỳ"


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    MORE_THAN = "gt", ">"


def is_met(share, comparison, target):
    """Whether ``share`` (a percentage) reaches ``target``; None when either is unknown."""
    if share is None or target is None:
        return None
    share, target = Decimal(str(share)), Decimal(str(target))
    return share > target if comparison == Comparison.MORE_THAN else share >= target


def rate(numerator, denominator):
    """numerator ÷ denominator as a percentage with two decimals; None when it cannot be computed."""
    if numerator is None or not denominator:
        return None
    return (Decimal(str(numerator)) * HUNDRED / Decimal(str(denominator))).quantize(CENT)


def _number(value):
    return None if value is None else Decimal(str(value))


def check(name, numerator, denominator, typed_rate):
    """The stored figure {numerator, denominator, share, rate_only} of what a commune typed.

    Raises ValueError with a Vietnamese message when the figures make no sense: negative counts,
    a numerator larger than its denominator, a rate above 100 %, half a pair with no rate. Empty
    everything gives None (the figure is removed).
    """
    numerator, denominator, typed_rate = _number(numerator), _number(denominator), _number(typed_rate)
    if numerator is None and denominator is None and typed_rate is None:
        return None
    for value in (numerator, denominator, typed_rate):
        if value is not None and value < 0:
            raise ValueError(f"“{name}”: số liệu không được là số âm.")
    if numerator is not None and denominator is not None:
        if numerator > denominator:
            raise ValueError(
                f"“{name}”: tử số ({vietnamese.number(numerator)}) không được lớn hơn mẫu số "
                f"({vietnamese.number(denominator)})."
            )
        if denominator == 0:
            raise ValueError(f"“{name}”: mẫu số phải lớn hơn 0.")
        return {
            "numerator": numerator,
            "denominator": denominator,
            "share": rate(numerator, denominator),
            "rate_only": False,
        }
    if typed_rate is not None:
        if typed_rate > HUNDRED:
            raise ValueError(f"“{name}”: tỷ lệ không được lớn hơn 100 %.")
        return {"numerator": None, "denominator": None, "share": typed_rate.quantize(CENT), "rate_only": True}
    raise ValueError(f"“{name}”: cần nhập cả tử số và mẫu số, hoặc chỉ nhập tỷ lệ (%) nếu chỉ biết tỷ lệ.")


def far_from_registry(denominator, registry):
    """Whether a typed denominator is more than REGISTRY_TOLERANCE away from the registry's figure."""
    if denominator is None or not registry:
        return False
    return abs(Decimal(str(denominator)) - registry) > REGISTRY_TOLERANCE * registry


def big_change(share, previous_share):
    if share is None or previous_share is None:
        return False
    return abs(Decimal(str(share)) - Decimal(str(previous_share))) > CHANGE_THRESHOLD


def combine(indicator, entries, comparison=None, target=None):
    """Figures of ``indicator`` (an Indicator row, or a dict with code, name, unit) over several communes.

    ``entries`` are dicts with numerator, denominator, share and rate_only (as stored). The rate
    (``share``) is Σ numerators ÷ Σ denominators over the communes that gave both (``covered``);
    communes that typed only a rate are counted in ``communes`` and ``rate_only`` but not in the
    rate, since their weight is not known. ``of_target`` is that rate as a percentage of the
    target, and ``met`` whether it reaches it.
    """
    entries = [e for e in entries if e is not None]
    counted = [e for e in entries if e.get("numerator") is not None and e.get("denominator")]
    numerator = sum((Decimal(str(e["numerator"])) for e in counted), Decimal(0)) if counted else None
    denominator = sum((Decimal(str(e["denominator"])) for e in counted), Decimal(0)) if counted else None
    share = rate(numerator, denominator)
    target = _number(target)
    code, name, unit = _describe(indicator)
    return {
        "code": code,
        "label": name,
        "unit": unit,
        "unit_label": Unit(unit).label if unit in Unit.values else unit,
        "communes": len(entries),
        "covered": len(counted),
        "rate_only": sum(1 for e in entries if e.get("rate_only")),
        "numerator": numerator,
        "denominator": denominator,
        "total": numerator,
        "share": share,
        "comparison": Comparison(comparison).label if comparison else "",
        "target": target,
        "of_target": (share * HUNDRED / target).quantize(CENT) if share is not None and target else None,
        "met": is_met(share, comparison, target),
    }


def _describe(indicator):
    if isinstance(indicator, dict):
        return indicator["code"], indicator["name"], indicator["unit"]
    return indicator.code, indicator.name, indicator.unit
