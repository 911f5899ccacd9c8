"""A report as a document: the JSON that rendering shows and that submission freezes.

``report_content(report)`` reads the registry now; a ReportVersion keeps what it returned at
submission, so a submitted report never changes when the registry does.
"""

import re

from django.utils import timezone

from portal import vietnamese
from reports import figures
from reports.indicators import Comparison, is_met
from reports.outlines import Kind

TYPE_NAMES = {"BC": "BÁO CÁO", "KH": "KẾ HOẠCH"}


def recipient_lines(text):
    """One recipient a line, each "- ...;" and the last "- ....", as Decree 30 writes them."""
    names = [line.strip().lstrip("-").strip().rstrip(";.").strip() for line in (text or "").splitlines()]
    names = [name for name in names if name]
    return [f"- {name}{'.' if i == len(names) - 1 else ';'}" for i, name in enumerate(names)]


def _text(value):
    return None if value is None else str(value)


def indicator_rows(report, item):
    """The indicators block: each indicator's numerator, denominator, rate and target (the commune's own
    target where the department set one), frozen with the report on submission."""
    from reports.models import indicators_by_code

    values = {v.indicator: v for v in report.indicator_values.all()}
    codes = [entry["code"] for entry in item.get("indicators", [])]
    catalogue = indicators_by_code(codes)
    targets = report.request.targets_for(report.commune_id)
    rows = []
    for entry in item.get("indicators", []):
        indicator = catalogue.get(entry["code"])
        if indicator is None:
            continue
        value = values.get(entry["code"])
        share = value.share if value else None
        target = targets.get(entry["code"])
        comparison, goal = (
            (target.comparison, target.target) if target else (entry.get("comparison"), entry.get("target"))
        )
        rows.append(
            {
                "code": indicator.code,
                "label": indicator.name,
                "unit": indicator.unit,
                "unit_label": indicator.unit_label,
                "numerator_label": indicator.numerator_label,
                "denominator_label": indicator.denominator_label,
                "numerator": _text(value.numerator) if value else None,
                "denominator": _text(value.denominator) if value else None,
                "rate_only": value.rate_only if value else False,
                "explanation": value.explanation if value else "",
                # "value" as versions before the catalogue froze it: the numerator.
                "value": _text(value.numerator) if value else None,
                "share": _text(share),
                "comparison": Comparison(comparison).label if comparison else "",
                "target": _text(goal),
                "met": is_met(share, comparison, goal) if goal is not None else None,
            }
        )
    return rows


def section_data(report, item, day):
    commune, request = report.commune, report.request
    if item["kind"] == Kind.GENERAL:
        return figures.general(commune, day)
    if item["kind"] == Kind.ACTIVITIES:
        return figures.activities(commune, request.period_start, request.period_end)
    if item["kind"] == Kind.MEMBERS:
        return figures.members(commune, day)
    if item["kind"] == Kind.INDICATORS:
        return {"rows": indicator_rows(report, item)}
    return None


def place_date(place, day, year):
    return f"{place}, {vietnamese.long_date(day) if day else vietnamese.blank_long_date(year)}"


def figures_day(request, today=None):
    """The day a report's registry figures describe: the end of its period, or today while the
    period runs (a plan for the coming year). A report sent late, or sent again months later,
    still says what the registry held when its period ended."""
    return min(request.period_end, today or timezone.localdate())


def report_content(report, day=None):
    day = day or figures_day(report.request)
    request, commune = report.request, report.commune
    place = report.place or commune.short_name
    return {
        "issuing_body": ["ỦY BAN NHÂN DÂN", commune.name.upper()],
        "commune": commune.name,
        "committee": commune.committee_name,
        "number_line": "Số: " + vietnamese.document_number(report.number, report.document_symbol),
        "number": report.number,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        "place_date": place_date(place, report.issued_on, (report.issued_on or timezone.localdate()).year),
        "type_name": TYPE_NAMES[request.document_type],
        "subject": report.subject or request.report_subject,
        "opening": report.opening,
        "closing": report.closing,
        "sections": [
            {
                "key": item["key"],
                "number": item["number"],
                "level": item["level"],
                "title": item["title"],
                "kind": item["kind"],
                "html": report.prose.get(item["key"], {}).get("html", ""),
                "data": section_data(report, item, day),
            }
            for item in request.numbered_sections()
        ],
        "recipients": recipient_lines(report.recipients),
        "signer": {
            "authority": report.signer_authority.upper(),
            "title": report.signer_title.upper(),
            "name": report.signer_name,
        },
        "request": request.citation,
        "figures_on": day.isoformat(),
    }


# "Lãnh đạo UBND xã" in a request's recipients, a line naming no commune: a ward's report says "phường".
_GENERIC_COMMITTEE = re.compile(r"\bUBND xã(?=\s*(?:\(|$))", re.MULTILINE)
# "Các thôn" (or "các thôn, tổ dân phố") in a request's recipients, naming no village: a ward's report
# says "Các tổ dân phố" (Commune.village_word). Named villages ("các thôn Đông, Tây") are left as written.
_GENERIC_VILLAGES = re.compile(r"\b([Cc]ác) thôn(?:, tổ dân phố|/tổ dân phố)?(?![\w/])")
# "Tổ CNS cộng đồng": the portal writes "Tổ CNSCĐ" everywhere else.
_ODD_TEAM_ABBREVIATION = re.compile(r"\bTổ CNS cộng đồng\b")


def _villages(match, commune):
    following = match.string[match.end() :]
    if commune.village_word == "thôn" or (following[:1] in (" ", "\t") and following.lstrip(" \t")[:1].isupper()):
        return match.group(0)  # a commune keeps "thôn, tổ dân phố" as written; "các thôn Đông, Tây" names villages
    return f"{match.group(1)} {commune.village_word}"


def default_recipients(request, commune):
    """The request's recipients in the commune's words: "UBND xã" and "Các thôn" written as the
    commune's kind and its villages' ("UBND phường", "Các tổ dân phố" for a ward), "Tổ CNSCĐ" as the
    portal abbreviates it."""
    text = _GENERIC_COMMITTEE.sub(f"UBND {commune.kind_word}", request.recipients)
    text = _GENERIC_VILLAGES.sub(lambda match: _villages(match, commune), text)
    return _ODD_TEAM_ABBREVIATION.sub("Tổ CNSCĐ", text)


def default_opening(request, commune):
    return (
        f"Thực hiện {request.citation} của {request.issuer} về việc {request.subject}. "
        f"Ủy ban nhân dân {commune.name[0].lower()}{commune.name[1:]} báo cáo kết quả cụ thể như sau:"
    )


def default_closing(request, commune):
    return (
        f"Trên đây là báo cáo {request.report_subject[0].lower()}{request.report_subject[1:]} "
        f"của Ủy ban nhân dân {commune.name[0].lower()}{commune.name[1:]}./."
    )
