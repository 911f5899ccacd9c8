"""Indicators against their targets, for the province dashboard.

The figures are those of the communes' reports that are sent or accepted: a draft may still
change and a returned report is being corrected, so neither counts. Once sent, a report cannot
be edited, so its IndicatorValue rows are the figures it was sent with.
"""

from portal import xlsx
from reports.indicators import combine, number_format
from reports.models import IndicatorValue, Report, ReportRequest, indicators_by_code

COUNTED = (Report.Status.SUBMITTED, Report.Status.ACCEPTED)


def requests_with_indicators(province):
    """The province's requests whose outline asks for indicators, latest deadline first (one query)."""
    requests = ReportRequest.objects.filter(province=province).order_by("-deadline", "-pk")
    return [r for r in requests.defer("recipients", "subject") if r.indicator_codes()]


def choose_request(requests, start, end, chosen=""):
    """The request asked for by its id (``chosen``); else, among those whose period meets [start, end]
    (or all, if none does), the latest that has figures (a report sent or accepted), else the
    latest: a request just created, with nothing sent yet, does not empty the table. None when the
    province has none."""
    for r in requests:
        if str(r.pk) == chosen:
            return r
    candidates = [r for r in requests if r.period_start <= end and r.period_end >= start] or requests
    with_figures = set(
        Report.objects.filter(request__in=[r.pk for r in candidates], status__in=COUNTED).values_list(
            "request_id", flat=True
        )
    )
    return next((r for r in candidates if r.pk in with_figures), None) or (candidates or [None])[0]


def indicator_figures(report_request):
    """Each indicator of ``report_request`` over the province, and each requested commune's figures.

    Rates are weighted: Σ numerators ÷ Σ denominators of the communes that gave both
    (reports/indicators.py ``combine``), so a ward of 40,000 people weighs more than a commune of
    3,000. Four queries whatever the number of communes: the catalogue entries, the targets, the
    requested communes, and the values of the sent and accepted reports.
    """
    codes = report_request.indicator_codes()
    catalogue = indicators_by_code(codes)
    codes = [code for code in codes if code in catalogue]
    targets = {t.indicator: t for t in report_request.targets.all() if t.commune_id is None}
    communes = list(report_request.communes.order_by("name").values("id", "name"))
    values = {}
    for row in IndicatorValue.objects.filter(report__request=report_request, report__status__in=COUNTED).values(
        "report__commune_id", "indicator", "numerator", "denominator", "share", "rate_only"
    ):
        values[row["report__commune_id"], row["indicator"]] = row
    indicators = []
    for code in codes:
        target = targets.get(code)
        entries = [values[c["id"], code] for c in communes if (c["id"], code) in values]
        indicators.append(
            combine(catalogue[code], entries, target and target.comparison, target and target.target),
        )
    rows = [
        {"id": c["id"], "name": c["name"], "values": [values.get((c["id"], code)) for code in codes]} for c in communes
    ]
    return {"request": report_request, "indicators": indicators, "communes": rows, "requested": len(communes)}


def for_province(province, start, end, chosen=""):
    """What the dashboard shows: the requests to choose from, and the chosen one's figures (or None)."""
    requests = requests_with_indicators(province)
    report_request = choose_request(requests, start, end, chosen)
    return {"requests": requests, "figures": indicator_figures(report_request) if report_request else None}


INDICATOR_COLUMNS = [
    xlsx.Column("Chỉ tiêu", 48),
    xlsx.Column("Đơn vị", 8),
    xlsx.Column("Số xã/phường đã báo cáo", 14, xlsx.INTEGER),
    xlsx.Column("Số xã/phường được yêu cầu", 14, xlsx.INTEGER),
    xlsx.Column("Số xã/phường có tử số, mẫu số", 14, xlsx.INTEGER),
    xlsx.Column("Tổng tử số", 16, xlsx.DECIMAL),
    xlsx.Column("Tổng mẫu số", 16, xlsx.DECIMAL),
    xlsx.Column("Tỷ lệ chung (%)", 14, xlsx.PERCENT),
    xlsx.Column("Mục tiêu", 10),
    xlsx.Column("Mục tiêu (%)", 10, xlsx.PERCENT),
    xlsx.Column("So với mục tiêu (%)", 14, xlsx.PERCENT),
    xlsx.Column("Đánh giá", 10),
]


def assessment(met):
    return {True: "Đạt", False: "Chưa đạt"}.get(met, "")


def indicator_rows(figures):
    for i in figures["indicators"]:
        yield [
            i["label"],
            i["unit_label"],
            i["communes"],
            figures["requested"],
            i["covered"],
            # One row per indicator, each in its own unit: the counts take the unit's format.
            xlsx.Cell(i["numerator"], number_format(i["unit"])),
            xlsx.Cell(i["denominator"], number_format(i["unit"])),
            i["share"],
            i["comparison"],
            i["target"],
            i["of_target"],
            assessment(i["met"]),
        ]


def commune_columns(figures):
    columns = [xlsx.Column("Xã/phường", 32)]
    for i in figures["indicators"]:
        columns.append(xlsx.Column(f"{i['label']}: tử số ({i['unit_label']})", 16, number_format(i["unit"])))
        columns.append(xlsx.Column(f"{i['label']}: mẫu số ({i['unit_label']})", 16, number_format(i["unit"])))
        columns.append(xlsx.Column(f"{i['label']}: tỷ lệ (%)", 12, xlsx.PERCENT))
    return columns


def commune_rows(figures):
    for row in figures["communes"]:
        cells = [row["name"]]
        for entry in row["values"]:
            cells.extend((entry["numerator"], entry["denominator"], entry["share"]) if entry else (None, None, None))
        yield cells


def export(figures, kind, province):
    """The indicator table (``kind`` "chi-tieu") or the communes' figures ("chi-tieu-xa") as .xlsx."""
    name = f"chi-tieu-{province.codename}-{figures['request'].pk}"
    if kind == "chi-tieu-xa":
        return xlsx.response(
            commune_columns(figures), commune_rows(figures), f"{name}-xa-phuong.xlsx", "Chỉ tiêu các xã"
        )
    return xlsx.response(INDICATOR_COLUMNS, indicator_rows(figures), f"{name}.xlsx", "Chỉ tiêu")


EXPORTS = ("chi-tieu", "chi-tieu-xa")
