"""Loads WeasyPrint, Pango and the fonts once, in gunicorn's master before it forks its workers.

Without it a worker's first PDF (a report, a summary) waits about a second for WeasyPrint's
import and fontconfig's font scan; with ``preload_app`` every worker inherits them warm.
portal/ may not import reports/, so this renders its own tiny page in the report's fonts.
"""

import logging
import time

logger = logging.getLogger(__name__)

PAGE = """<html><body style="font-family: 'Times New Roman', 'Liberation Serif', serif">
<p>Cộng hòa xã hội chủ nghĩa Việt Nam</p>
<p style="font-weight: bold; font-style: italic">Độc lập - Tự do - Hạnh phúc</p>
</body></html>"""


def warm_up():
    """Imports WeasyPrint and lays out one page; returns the seconds it took (0 if WeasyPrint is missing)."""
    started = time.monotonic()
    try:
        from weasyprint import HTML
    except ImportError:  # pragma: no cover - every installation has it (requirements.txt)
        logger.warning("WeasyPrint is not installed: PDFs will fail")
        return 0.0
    HTML(string=PAGE).write_pdf()
    elapsed = time.monotonic() - started
    logger.info("warm-up: WeasyPrint and fonts loaded in %.2f s", elapsed)
    return elapsed
