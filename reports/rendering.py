"""Rendering a report version to HTML and PDF (the Decree 30 layout is built by the reports work).

Contract used by signing and dashboards: ``version_pdf(version) -> bytes``.
"""

from django.conf import settings
from django.template.loader import render_to_string


def version_html(version):
    return render_to_string("reports/document.html", {"version": version, "content": version.content})


def version_pdf(version):
    from weasyprint import HTML

    return HTML(string=version_html(version), base_url=str(settings.BASE_DIR)).write_pdf()
