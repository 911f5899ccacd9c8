"""A report as a Decree 30 document: HTML preview, print and PDF from one template.

Contract used by signing and dashboards: ``version_html(version)`` and ``version_pdf(version) -> bytes``
render a submitted version as it was frozen; ``report_html(report)``/``report_pdf(report)`` render a
draft from the registry as it is now. The layout is in templates/reports/document_body.html and
reports/static/reports/document.css (REPORT-FORMAT.md, point by point).
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static

from reports import prose
from reports.content import report_content


def _dates(data):
    """ISO date strings of the frozen figures back into dates, for the date filters."""
    if not isinstance(data, dict):
        return data
    result = dict(data)
    for key in ("signed_on", "start", "end", "zalo_planned"):
        if isinstance(result.get(key), str):
            result[key] = datetime.date.fromisoformat(result[key])
    if "decisions" in result:
        result["decisions"] = [_dates(d) for d in result["decisions"]]
    return result


def document_context(content):
    content = dict(content)
    # Prose was sanitised when stored; cleaning it again costs little and guards older versions.
    content["sections"] = [
        {**s, "data": _dates(s.get("data")), "html": prose.sanitise(s.get("html", ""))}
        for s in content.get("sections", [])
    ]
    return content


def assets(for_pdf=False):
    """Where the document's stylesheet and fonts are: URLs for a browser, files for WeasyPrint."""
    if for_pdf:
        # WeasyPrint reads the stylesheet and the committed fonts from disk, so the fonts get embedded.
        return {
            "css_url": Path(finders.find("reports/document.css")).as_uri(),
            "font_base": (settings.BASE_DIR / "static" / "fonts").as_uri() + "/",
        }
    return {"css_url": static("reports/document.css"), "font_base": static("fonts/")}


def _html(content, title, for_pdf=False, body="reports/document_body.html"):
    context = {"doc": document_context(content), "title": title, "body": body, **assets(for_pdf)}
    return render_to_string("reports/document.html", context)


def _pdf(html):
    from weasyprint import HTML  # imported here: it takes most of a second and only PDFs need it

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(pdf, filename):
    """``pdf`` (bytes) as a download named ``filename``."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def version_html(version, for_pdf=False):
    return _html(version.content, str(version), for_pdf)


def version_pdf(version):
    return _pdf(version_html(version, for_pdf=True))


def report_html(report, for_pdf=False):
    return _html(report_content(report), str(report), for_pdf)


def report_pdf(report):
    return _pdf(report_html(report, for_pdf=True))


def current_content(report):
    """A report's document: the last version once sent (frozen), the registry as it is for a draft."""
    if not report.is_editable:
        version = report.versions.order_by("-number").first()
        if version:
            return version.content
    return report_content(report)


def current_html(report):
    return _html(current_content(report), str(report))


def current_pdf(report):
    return _pdf(_html(current_content(report), str(report), for_pdf=True))


SUMMARY_BODY = "reports/summary_body.html"


def summary_html(document, for_pdf=False):
    """A department's summary (reports/summary.py's summary_document), with the report's header,
    signature block and stylesheet."""
    return _html(document, document["subject"], for_pdf, body=SUMMARY_BODY)


def summary_pdf(document):
    return _pdf(summary_html(document, for_pdf=True))
