"""The department's summary of a request: totals across communes and one appendix row per commune.

Every figure comes from the accepted reports' last submitted version (ReportVersion.content, what
the commune sent and the department accepted), never from the registry as it is now: the summary
must say what the communes reported, and stay the same when their registries change later.
"""

from decimal import Decimal

from django.db.models import OuterRef, Subquery

from portal import vietnamese, xlsx
from reports.content import place_date, recipient_lines
from reports.indicators import combine, number_format
from reports.models import (
    STATUS_LABELS,
    ProvinceSummary,
    Report,
    ReportVersion,
    completeness_status,
    indicators_by_code,
)
from reports.outlines import Kind, section_numbers

FIGURES = ("villages", "covered", "teams", "members", "activities", "people")
# Versions frozen before rows carried their code name seed 003's indicators by their label.
CODE_OF_LABEL = {
    "Số hộ gia đình có kỹ năng số": "households_digital_skills",
    "Tỷ lệ hồ sơ thủ tục hành chính nộp và xử lý trực tuyến": "dossiers_online",
    "Tỷ lệ người từ 18 tuổi có tài khoản ngân hàng, thanh toán điện tử": "adults_e_payment",
    "Tỷ lệ người trưởng thành có điện thoại thông minh": "adults_smartphone",
    "Số người có tài khoản định danh điện tử VNeID mức độ 2": "vneid_level2",
    "Tỷ lệ người dân, doanh nghiệp dùng dịch vụ công trực tuyến qua VNeID": "vneid_online_services",
}


def frozen_entry(row):
    """The figure of a frozen indicator row as ``combine`` reads it; None when the commune left it blank.

    Rows frozen before the catalogue carried ``value`` and ``share``: a percentage typed alone
    (unit "percent") is a rate only; a count's denominator is what its share was computed from.
    """
    if "numerator" in row:
        if row["numerator"] is None and row.get("share") is None:
            return None
        return {
            "numerator": _number(row["numerator"]),
            "denominator": _number(row.get("denominator")),
            "share": _number(row.get("share")),
            "rate_only": bool(row.get("rate_only")),
        }
    if row.get("value") is None:
        return None
    if row.get("unit") == "percent":
        return {"numerator": None, "denominator": None, "share": _number(row["value"]), "rate_only": True}
    share = _number(row.get("share"))
    numerator = _number(row["value"])
    denominator = (numerator * 100 / share).quantize(Decimal(1)) if share else None
    return {"numerator": numerator, "denominator": denominator, "share": share, "rate_only": False}


def new_summary(report_request):
    """The summary of ``report_request`` as stored, or a new unsaved one with the usual wording."""
    existing = ProvinceSummary.objects.filter(request=report_request).first()
    if existing:
        return existing
    province, issuer = report_request.province, report_request.issuer
    # The plan's subject already ends "... trên địa bàn" (a commune's own area): the summary adds
    # the province's, so the phrase is said once ("... trên địa bàn thành phố Hải Phòng").
    subject = report_request.report_subject.strip().removesuffix("trên địa bàn").strip()
    where = f"{province.name[0].lower()}{province.name[1:]}"
    level = "thành phố" if province.name.startswith("Thành phố") else "tỉnh"
    return ProvinceSummary(
        request=report_request,
        parent_body=f"UBND {province.name.upper()}",
        issuing_body=issuer.upper(),
        place=province.short_name,
        subject=f"Kết quả tổng hợp {subject[0].lower()}{subject[1:]} trên địa bàn {where}",
        opening=(
            f"Ngày {vietnamese.citation_date(report_request.letter_date)}, {issuer} ban hành Công văn số "
            f"{report_request.letter_number} về việc {report_request.subject}. Trên cơ sở báo cáo của các xã, "
            f"phường đã được tiếp nhận, {issuer} tổng hợp, báo cáo Ủy ban nhân dân {level} như sau:"
        ),
        closing=(
            f"Trên đây là báo cáo kết quả tổng hợp {subject[0].lower()}{subject[1:]} trên địa bàn {where} "
            f"của {issuer}, kính báo cáo Ủy ban nhân dân {level} xem xét, chỉ đạo./."
        ),
        recipients=f"UBND {level} (b/c)\nGiám đốc Sở (b/c)\nLưu: VT, CNTT",
    )


def accepted_contents(report_request):
    """{commune id: frozen content} of the request's accepted reports, each at its last version (one query)."""
    last = ReportVersion.objects.filter(report=OuterRef("report")).order_by("-number").values("number")[:1]
    versions = ReportVersion.objects.filter(
        report__request=report_request, report__status=Report.Status.ACCEPTED, number=Subquery(last)
    )
    return dict(versions.values_list("report__commune_id", "content"))


def commune_figures(content):
    """The figures of one frozen report: None where its outline had no block for them."""
    data = {}
    for section in content.get("sections", []):
        data.setdefault(section["kind"], section.get("data") or {})
    general, members = data.get(Kind.GENERAL), data.get(Kind.MEMBERS)
    totals = (data.get(Kind.ACTIVITIES) or {}).get("totals")
    indicators = {}
    for row in (data.get(Kind.INDICATORS) or {}).get("rows", []):
        code = row.get("code") or CODE_OF_LABEL.get(row["label"])
        entry = frozen_entry(row) if code else None
        if entry:
            indicators[code] = entry
    return {
        "villages": general["villages"] if general else None,
        "covered": general["villages_covered"] if general else None,
        "teams": general["teams"] if general else None,
        "members": general["members"] if general else members["total"] if members else None,
        "activities": totals["count"] if totals else None,
        "people": totals["people"] if totals else None,
        "indicators": indicators,
    }


def _sum(rows, key):
    values = [row[key] for row in rows if row[key] is not None]
    return sum(values) if values else None


def summary_figures(report_request):
    """Totals over the accepted reports and one row per requested commune. Five queries: the
    requested communes, their reports, the accepted versions, the request's targets and the
    indicators' catalogue entries. Rates are weighted, Σ numerators ÷ Σ denominators, as on the
    dashboard (reports/indicators.py combine)."""
    communes = list(report_request.communes.order_by("name").values("id", "name"))
    # Labelled as on the completeness page: a sent report is "on time" or "late", not just "sent".
    reports = (
        Report.objects.filter(request=report_request).order_by().only("commune_id", "status", "first_submitted_at")
    )
    statuses = {report.commune_id: completeness_status(report, report_request) for report in reports}
    contents = accepted_contents(report_request)
    rows = []
    for commune in communes:
        content = contents.get(commune["id"])
        figures = commune_figures(content) if content else dict.fromkeys(FIGURES) | {"indicators": {}}
        figures["coverage"] = vietnamese.ratio(figures["covered"], figures["villages"])
        status = STATUS_LABELS[statuses.get(commune["id"], "not_started")]
        rows.append({**commune, **figures, "accepted": content is not None, "status": status})
    accepted = [row for row in rows if row["accepted"]]
    totals = {key: _sum(accepted, key) for key in FIGURES}
    totals["coverage"] = vietnamese.ratio(totals["covered"], totals["villages"])
    # The request's IndicatorTarget rows, as the dashboard's indicator table reads them.
    targets = {t.indicator: t for t in report_request.targets.all() if t.commune_id is None}
    codes = report_request.indicator_codes()
    codes += sorted({code for row in accepted for code in row["indicators"]} - set(codes))
    catalogue = indicators_by_code(codes)
    codes = [code for code in codes if code in catalogue]
    indicators = []
    for code in codes:
        target = targets.get(code)
        entries = [row["indicators"][code] for row in accepted if code in row["indicators"]]
        indicators.append(combine(catalogue[code], entries, target and target.comparison, target and target.target))
    for row in rows:
        row["indicator_values"] = [row["indicators"].get(code) for code in codes]
    # Activities are in the summary (the body's sentence, the appendix's two columns) only when an
    # accepted report had them: a request whose outline has no activities section prints no
    # columns of dashes.
    has_activities = totals["activities"] is not None
    return {
        "rows": rows,
        "requested": len(rows),
        "accepted": len(accepted),
        "totals": totals,
        "indicators": indicators,
        "has_activities": has_activities,
        "figure_columns": 7 if has_activities else 5,  # the appendix's, between the name and the indicators
    }


SECTIONS = [
    ("general", "TÌNH HÌNH CHUNG"),
    ("indicators", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"),
    ("assessment", "ĐÁNH GIÁ CHUNG"),
    ("proposals", "ĐỀ XUẤT, KIẾN NGHỊ"),
]


def summary_document(summary, figures, day):
    """The summary as the document partials read it (the keys of reports/content.py's report_content)."""
    keys = [key for key, _ in SECTIONS if key != "indicators" or figures["indicators"]]
    titles = dict(SECTIONS)
    number = vietnamese.document_number(summary.number, summary.symbol)
    year = (summary.issued_on or day).year
    on = vietnamese.citation_date(summary.issued_on) if summary.issued_on else f"     /     /{year}"
    return {
        "parent_body": summary.parent_body.upper(),
        "issuing_body": [summary.issuing_body.upper()],
        "number_line": "Số: " + number,
        "place_date": place_date(summary.place, summary.issued_on, year),
        "type_name": "BÁO CÁO",
        "subject": summary.subject,
        "opening": summary.opening,
        "closing": summary.closing,
        "sections": [
            {
                "key": key,
                # The figures' sections are the summary's own blocks in document_body.html.
                "kind": f"summary_{key}" if key in ("general", "indicators") else "prose",
                "number": number,
                "title": titles[key],
                "html": summary.prose.get(key, {}).get("html", ""),
            }
            for key, number in zip(keys, section_numbers([{} for _ in keys], "roman"), strict=True)
        ],
        "recipients": recipient_lines(summary.recipients),
        "signer": {
            "authority": summary.signer_authority.upper(),
            "title": summary.signer_title.upper(),
            "name": summary.signer_name,
        },
        "appendix_note": f"(Kèm theo Báo cáo số {number} ngày {on} của {summary.request.issuer})",
        "figures": figures,
    }


def appendix_columns(figures):
    columns = [
        xlsx.Column("STT", 6, xlsx.INTEGER),
        xlsx.Column("Xã/phường", 32),
        xlsx.Column("Tình trạng báo cáo", 18),
        xlsx.Column("Số thôn, tổ dân phố", 12, xlsx.INTEGER),
        xlsx.Column("Số thôn, TDP có Tổ", 12, xlsx.INTEGER),
        xlsx.Column("Tỷ lệ thôn, TDP có Tổ (%)", 12, xlsx.PERCENT),
        xlsx.Column("Số Tổ CNSCĐ", 10, xlsx.INTEGER),
        xlsx.Column("Số thành viên", 10, xlsx.INTEGER),
        xlsx.Column("Số hoạt động", 10, xlsx.INTEGER),
        xlsx.Column("Số người được hỗ trợ", 12, xlsx.INTEGER),
    ]
    for i in figures["indicators"]:
        columns.append(xlsx.Column(f"{i['label']}: tử số ({i['unit_label']})", 16, number_format(i["unit"])))
        columns.append(xlsx.Column(f"{i['label']}: mẫu số ({i['unit_label']})", 16, number_format(i["unit"])))
        columns.append(xlsx.Column(f"{i['label']}: tỷ lệ (%)", 12, xlsx.PERCENT))
    return columns


def appendix_rows(figures):
    """The appendix's rows, then its total (rates: Σ numerators ÷ Σ denominators, as in the document)."""
    keys = ("villages", "covered", "coverage", "teams", "members", "activities", "people")
    for n, row in enumerate(figures["rows"], start=1):
        status = row["status"] if row["accepted"] else f"Chưa tiếp nhận ({row['status'].lower()})"
        values = [
            cell
            for entry in row["indicator_values"]
            for cell in ((entry["numerator"], entry["denominator"], entry["share"]) if entry else (None, None, None))
        ]
        yield [n, row["name"], status, *(row[key] for key in keys), *values]
    totals = figures["totals"]
    indicators = [cell for i in figures["indicators"] for cell in (i["numerator"], i["denominator"], i["share"])]
    label = f"{figures['accepted']}/{figures['requested']} đã tiếp nhận"
    yield [None, "Tổng cộng", label, *(totals[key] for key in keys), *indicators]


def _number(value):
    return Decimal(str(value)) if value is not None else None
