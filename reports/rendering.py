"""A report as a Decree 30 document: HTML preview, print and PDF from one template.

Contract used by signing and dashboards: ``version_html(version)`` renders a submitted version as it
was frozen, and ``version_pdf(version) -> bytes`` gives the exact PDF that was sent, stored when it was
sent (``store_version_pdf``) and never rendered again, so every download and every signature is of the
same bytes; ``report_html(report)``/``report_pdf(report)`` render a draft from the registry as it
is now. The layout is in templates/reports/document_body.html and
reports/static/reports/document.css (REPORT-FORMAT.md, point by point).
"""

import datetime
import functools
import hashlib
import logging
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static

from portal.pdfs import html_to_pdf, renderer
from portal.text import strip_text
from reports import prose
from reports.content import report_content
from reports.models import ReportVersion

logger = logging.getLogger(__name__)


def _dates(data):
    """ISO date strings of the frozen figures back into dates, for the date filters."""
    if not isinstance(data, dict):
        return data
    result = dict(data)
    for key in ("signed_on", "start", "end", "zalo_planned", "on"):
        if isinstance(result.get(key), str):
            result[key] = datetime.date.fromisoformat(result[key])
    if "decisions" in result:
        result["decisions"] = [_dates(d) for d in result["decisions"]]
    return result


def _stripped(value):
    """Every text of a document's content without control characters (portal/text.py): a row
    stored before they were refused still prints, without invisible glyphs."""
    if isinstance(value, str):
        return strip_text(value)
    if isinstance(value, dict):
        return {key: _stripped(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_stripped(item) for item in value]
    return value


def document_context(content):
    content = _stripped(dict(content))
    # Prose was sanitised when stored; cleaning it again costs little and guards older versions.
    content["sections"] = [
        {**s, "data": _dates(s.get("data")), "html": prose.sanitise(s.get("html", ""))}
        for s in content.get("sections", [])
    ]
    return content


def assets(for_pdf=False):
    """Where a browser finds the document's stylesheet and fonts. A PDF's HTML links none:
    WeasyPrint applies stylesheets(), parsed once per process (portal/pdfs.py)."""
    if for_pdf:
        return {}
    return {"css_url": static("reports/document.css"), "font_base": static("fonts/")}


@functools.cache
def stylesheets():
    """The committed Liberation Serif (embedded in the PDF) and the document's layout, as files."""
    return (settings.BASE_DIR / "static" / "fonts" / "liberation-serif.css", Path(finders.find("reports/document.css")))


# A document number with its symbol ("241/QĐ-UBND", "4675/SKHCN-CNTT", "30/2020/NĐ-CP") and a
# date written with slashes: a renderer may break a line after "/" or "-", so each is kept in a
# span that does not wrap (.vb-nowrap in document.css). "&amp;" is the escaped "&" of "KH&CN".
DOCUMENT_NUMBER = re.compile(r"(?<![\w/])\d+(?:/(?:[0-9A-ZĐ]|&amp;)+(?:-(?:[0-9A-ZĐ]|&amp;)+)*)+")
TAG = re.compile(r"(<[^>]*>)")


def keep_numbers_together(html):
    """``html`` (a rendered document) with its document numbers and dates in no-break spans.

    Only text between tags of the body is touched, never a tag or its attributes; what is wrapped
    is digits, capitals, "/", "-" and "&amp;", so no user text changes meaning or escaping.
    """
    head, marker, body = html.partition("<body")
    parts = TAG.split(body)
    for index in range(0, len(parts), 2):  # even items are text, odd ones tags
        parts[index] = DOCUMENT_NUMBER.sub(r'<span class="vb-nowrap">\g<0></span>', parts[index])
    return head + marker + "".join(parts)


def _html(content, title, for_pdf=False, body="reports/document_body.html"):
    context = {"doc": document_context(content), "title": title, "body": body, **assets(for_pdf)}
    return keep_numbers_together(render_to_string("reports/document.html", context))


def _pdf(html):
    return html_to_pdf(html, stylesheets())  # fetches only the portal's own static files (portal/pdfs.py)


def pdf_response(pdf, filename):
    """``pdf`` (bytes) as a download named ``filename``."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def version_html(version, for_pdf=False):
    return _html(version.content, str(version), for_pdf)


def render_version_pdf(version):
    """A fresh rendering of ``version``; only store_version_pdf should need it."""
    return _pdf(version_html(version, for_pdf=True))


class StoredPdfChanged(Exception):
    """The stored PDF of a version no longer has the SHA-256 recorded when it was stored."""


@transaction.atomic
def store_version_pdf(version):
    """Renders and stores the PDF of ``version`` unless it already has one (the first one stays).

    Called when a version is sent; versions sent before the PDF was kept get theirs on first need.
    The version's row is locked so that two first downloads at once store one file, not two.
    """
    locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.pdf:
        data = render_version_pdf(locked)
        locked.pdf.save("bao-cao.pdf", ContentFile(data), save=False)
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256"])
    version.pdf.name, version.pdf_sha256 = locked.pdf.name, locked.pdf_sha256


def version_pdf(version):
    """The exact bytes of the PDF sent for ``version`` (stored on first need for older versions)."""
    if not version.pdf:
        store_version_pdf(version)
    with version.pdf.open("rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != version.pdf_sha256:
        logger.error("The stored PDF of report version %s does not match its SHA-256", version.pk)
        raise StoredPdfChanged(version.pk)
    return data


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
    """A draft rendered as it is now; a sent report is the PDF of its last version, as sent."""
    if not report.is_editable:
        version = report.versions.order_by("-number").first()
        if version:
            return version_pdf(version)
    return report_pdf(report)


SUMMARY_BODY = "reports/summary_body.html"


def summary_html(document, for_pdf=False):
    """A department's summary (reports/summary.py's summary_document), with the report's header,
    signature block and stylesheet."""
    return _html(document, document["subject"], for_pdf, body=SUMMARY_BODY)


def summary_pdf(document):
    return _pdf(summary_html(document, for_pdf=True))


def prepare_renderer():
    """Makes this process's PDF renderer (portal/pdfs.py): the committed fonts registered and the
    document's stylesheets parsed. deploy/gunicorn.conf.py calls it in each worker as it starts,
    since a worker does not use the one its master made."""
    renderer().stylesheets(stylesheets())


def warm_up():
    """Loads what a server's first PDF would otherwise wait for: every view module (through the
    URLs), the document's templates, and WeasyPrint with the report's stylesheet and committed
    fonts, by laying out one short document. deploy/gunicorn.conf.py calls it in the master
    before the workers fork, after portal/warmup.py (and prepare_renderer in each worker).
    Returns the seconds it took."""
    import time

    from django.urls import get_resolver

    started = time.monotonic()
    get_resolver().url_patterns  # noqa: B018  importing the URLconf imports every view module
    content = {"sections": [], "header": {}, "signer": {}}
    _pdf(_html(content, "Khởi động", for_pdf=True))
    figures = {"rows": [], "totals": {}, "indicators": [], "has_activities": True, "figure_columns": 7}
    _pdf(_html({**content, "figures": figures}, "", True, body=SUMMARY_BODY))
    return time.monotonic() - started
