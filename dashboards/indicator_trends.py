"""An indicator over time: the province's rate and each commune's over the successive requests that
asked for it, the communes below target, and the national view across provinces.

The figures are those of sent and accepted reports, combined as the dashboard combines them
(reports/indicators.py ``combine``: Σ numerators ÷ Σ denominators), so the trend's last point is
the dashboard's figure for that request.
"""

from dashboards.indicator_figures import COUNTED
from portal import vietnamese, xlsx
from reports.indicators import combine, is_met
from reports.models import IndicatorTarget, IndicatorValue, ReportRequest
from teams.models import Province


def asking(requests, code):
    return [r for r in requests if code in r.indicator_codes()]


def province_trend(indicator, province):
    """The requests of ``province`` that asked for ``indicator``, oldest first, with the province's
    figure for each, every requested commune's rate, and the communes below target at the latest.
    Four queries whatever the number of requests and communes."""
    code = indicator.code
    requests = asking(ReportRequest.objects.filter(province=province).order_by("deadline", "pk"), code)
    ids = [r.pk for r in requests]
    targets = {}
    for t in IndicatorTarget.objects.filter(request__in=ids, indicator=code):
        targets[t.request_id, t.commune_id] = t
    values = {}
    names = {}
    for row in IndicatorValue.objects.filter(
        report__request__in=ids, report__status__in=COUNTED, indicator=code
    ).values(
        "report__request_id",
        "report__commune_id",
        "report__commune__name",
        "numerator",
        "denominator",
        "share",
        "rate_only",
    ):
        values[row["report__request_id"], row["report__commune_id"]] = row
        names[row["report__commune_id"]] = row["report__commune__name"]
    points = []
    for r in requests:
        target = targets.get((r.pk, None))
        entries = [v for (request_id, _), v in values.items() if request_id == r.pk]
        figure = combine(indicator, entries, target and target.comparison, target and target.target)
        points.append({"request": r, **figure})
    communes = [
        {"id": commune_id, "name": name, "shares": [_share(values.get((r.pk, commune_id))) for r in requests]}
        for commune_id, name in sorted(names.items(), key=lambda item: vietnamese.sort_key(item[1]))
    ]
    return {
        "indicator": indicator,
        "province": province,
        "points": points,
        "communes": communes,
        "below": below_target(requests, values, targets, names),
    }


def _share(entry):
    return entry["share"] if entry else None


def below_target(requests, values, targets, names):
    """The communes whose rate in the latest request with a target misses it (their own target
    where the department set one); None when no request set a target."""
    for r in reversed(requests):
        general = targets.get((r.pk, None))
        rows = []
        for (request_id, commune_id), entry in values.items():
            target = targets.get((r.pk, commune_id)) or general
            if request_id != r.pk or target is None:
                continue
            if is_met(entry["share"], target.comparison, target.target) is False:
                rows.append(
                    {
                        "name": names[commune_id],
                        "share": entry["share"],
                        "rate_only": entry["rate_only"],
                        "target": target.target,
                        "comparison": target.get_comparison_display(),
                        "own_target": target.commune_id is not None,
                    }
                )
        if general or any(request_id == r.pk for request_id, commune_id in targets if commune_id):
            return {"request": r, "rows": sorted(rows, key=lambda row: row["share"])}
    return None


def national(indicator):
    """Each province's figure at its latest request asking for ``indicator``, and the country's
    (Σ numerators ÷ Σ denominators over every province's communes). Three queries."""
    requests = asking(ReportRequest.objects.order_by("deadline", "pk"), indicator.code)
    latest = {r.province_id: r for r in requests}
    entries = {}
    for row in IndicatorValue.objects.filter(
        report__request__in=[r.pk for r in latest.values()], report__status__in=COUNTED, indicator=indicator.code
    ).values("report__request__province_id", "numerator", "denominator", "share", "rate_only"):
        entries.setdefault(row["report__request__province_id"], []).append(row)
    provinces = Province.objects.filter(pk__in=latest).order_by("name")
    rows = [{"province": p, "request": latest[p.pk], **combine(indicator, entries.get(p.pk, []))} for p in provinces]
    everything = [e for province_entries in entries.values() for e in province_entries]
    return {"indicator": indicator, "rows": rows, "total": combine(indicator, everything)}


def chart(trend):
    return {
        "labels": [p["request"].letter_number for p in trend["points"]],
        "province": [_float(p["share"]) for p in trend["points"]],
        "targets": [_float(p["target"]) for p in trend["points"]],
        "label": trend["province"].name,
    }


def _float(value):
    return None if value is None else float(value)


def export(trend, kind):
    """The trend table (one row per commune, one column per request) or the communes below target."""
    name = f"xu-huong-{trend['indicator'].code}-{trend['province'].codename}"
    if kind == "duoi-muc-tieu":
        columns = [
            xlsx.Column("Xã/phường", 32),
            xlsx.Column("Tỷ lệ (%)", 12, xlsx.PERCENT),
            xlsx.Column("Chỉ nhập tỷ lệ", 10),
            xlsx.Column("Mục tiêu (%)", 12, xlsx.PERCENT),
            xlsx.Column("Mục tiêu riêng của xã", 12),
        ]
        rows = (
            [r["name"], r["share"], "Có" if r["rate_only"] else "", r["target"], "Có" if r["own_target"] else ""]
            for r in (trend["below"] or {"rows": []})["rows"]
        )
        return xlsx.response(columns, rows, f"{name}-duoi-muc-tieu.xlsx", "Dưới mục tiêu")
    columns = [xlsx.Column("Xã/phường", 32)] + [
        xlsx.Column(f"{p['request'].letter_number} (%)", 14, xlsx.PERCENT) for p in trend["points"]
    ]
    rows = [[trend["province"].name, *(p["share"] for p in trend["points"])]]
    rows += [[c["name"], *c["shares"]] for c in trend["communes"]]
    return xlsx.response(columns, rows, f"{name}.xlsx", "Diễn biến")


EXPORTS = ("xlsx", "duoi-muc-tieu")
