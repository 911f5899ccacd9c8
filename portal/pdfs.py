"""HTML to PDF with WeasyPrint, fetching nothing but the portal's own static files.

A report, a summary or a handover sheet carries text that users wrote. Should markup ever slip
through (an <img src> or a CSS url()), WeasyPrint's default fetcher would read any file the server
can (file:///etc/passwd, the settings) or call any address from inside the network
(http://127.0.0.1:..., cloud metadata). This fetcher serves only files under the static folders
(the project's static/ and each app's static/: fonts, stylesheets, images) and data: URLs, and
refuses everything else; WeasyPrint then logs one warning line and renders without it.

The document's HTML is parsed by libxml2 (lxml) into the tree WeasyPrint's own pure-Python parser
would build, in a fifteenth of its time (``html_tree``).

What every PDF shares is made once per process and thread, not once per PDF (``renderer``): the
fetcher (building one loads the system's certificates, some 25 ms), the fonts' configuration with
the committed fonts already registered (WeasyPrint otherwise copies each font file to a new
temporary folder and registers it with fontconfig for every document), and the portal's own
stylesheets, parsed and their selectors compiled.
"""

import atexit
import contextlib
import functools
import gc
import os
import re
import threading
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings


def static_roots():
    """The folders whose files a PDF may use, resolved (symbolic links followed)."""
    folders = [Path(folder) for folder in settings.STATICFILES_DIRS]
    folders += [Path(app.path) / "static" for app in apps.get_app_configs()]
    if settings.STATIC_ROOT:
        folders.append(Path(settings.STATIC_ROOT))
    return [folder.resolve() for folder in folders if folder.is_dir()]


def is_allowed(url):
    """Whether ``url`` is a data: URL or a file: URL inside static_roots()."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    path = Path(url2pathname(urlsplit(url).path)).resolve()
    return any(path.is_relative_to(root) for root in static_roots())


def url_fetcher():
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not is_allowed(url):
                raise ValueError(f"not one of the portal's static files, so not fetched: {url[:200]}")
            return super().fetch(url, headers)

    return StaticFilesOnly(allowed_protocols={"file", "data"}, timeout=5, allow_redirects=False)


class Renderer:
    """The fetcher, the fonts' configuration and the parsed stylesheets one thread of one process uses.

    Not shared between threads (WeasyPrint's font configuration holds Pango objects) nor between
    processes: a worker forked from gunicorn's master makes its own on its first PDF, and leaves
    the master's temporary font folder to the master.
    """

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration  # imported here: only PDFs need WeasyPrint

        class ProcessFonts(FontConfiguration):
            """Removes its temporary font folder only in the process that made it."""

            def __del__(self):
                if os.getpid() == pid:
                    super().__del__()

        self.pid = pid = os.getpid()
        self.fetcher = url_fetcher()
        self.font_config = ProcessFonts()
        self._stylesheets = {}

    def stylesheets(self, paths):
        """The stylesheets at ``paths`` (files of the static folders), parsed on first use and
        again when a file changes (a developer editing document.css sees it in the next PDF)."""
        from weasyprint import CSS

        paths = tuple(str(path) for path in paths)
        versions = tuple(os.stat(path).st_mtime_ns for path in paths)
        parsed_versions, sheets = self._stylesheets.get(paths, (None, None))
        if parsed_versions != versions:
            refused = [path for path in paths if not is_allowed(Path(path).as_uri())]
            if refused:
                raise ValueError(f"not one of the portal's static files: {refused}")
            sheets = [CSS(filename=path, url_fetcher=self.fetcher, font_config=self.font_config) for path in paths]
            self._stylesheets[paths] = (versions, sheets)
        return sheets


# WeasyPrint's user-agent stylesheet (weasyprint/css/html5_ua.css) gives every element five
# pseudo-elements of footnotes and notes, and a ::marker: its universal selectors made some 4,000
# of the 4,800 computed styles of a province summary (a sixth of its time), for one td, tr or p
# each. The portal's stylesheets put nothing in a footnote or a note (float: footnote,
# position: note()), and stored prose keeps only p, strong, em and br (reports/prose.py): the
# rules for those are left out, and ::marker goes to the one element the stylesheet makes a list
# item. Every other rule is WeasyPrint's, read from the installed version.
NOTES = ("::footnote-call {", "::footnote-marker {", "::note-call {", "::note-marker {", "::note-callback {")
MARKER = "::marker {"


def lean_user_agent_css(source):
    """``source`` (html5_ua.css) without the rules of footnotes and notes, with ::marker for li only.

    Raises RuntimeError if the rules are not written as expected (a new WeasyPrint), rather than
    quietly keeping them or removing something else.
    """
    lines = source.split("\n")
    kept = [line for line in lines if not line.startswith(NOTES)]
    markers = [index for index, line in enumerate(kept) if line.startswith(MARKER)]
    if len(lines) - len(kept) != len(NOTES) or len(markers) != 1:
        raise RuntimeError("WeasyPrint's html5_ua.css changed: check portal/pdfs.py's NOTES and MARKER")
    kept[markers[0]] = "li" + kept[markers[0]]
    return "\n".join(kept)


# Characters libxml2's HTML parser reads otherwise than the HTML5 parser (C0 controls other than
# tab, line feed and carriage return become U+FFFD), or that have no place in a tree of text (lone
# surrogates, noncharacters). A document holding one is parsed by WeasyPrint's own parser.
NOT_FOR_LIBXML2 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# A whole document, as the portal's templates write one; the group is the whitespace after it.
WHOLE_DOCUMENT = re.compile(r"\s*<!doctype html>.*</html>(\s*)", re.IGNORECASE | re.DOTALL)


def html_tree(html):
    """``html`` (one of the portal's documents) as the element tree tinyhtml5, WeasyPrint's parser,
    builds from it; None for a text only tinyhtml5 should read.

    tinyhtml5 is written in Python: 30 ms of a province summary's 450 (1,100 elements), where libxml2
    takes 2. The two read a well-formed document alike, but for what the HTML5 standard says of
    its edges (whitespace before <head> is dropped; whitespace after </body> and </html> goes
    inside the body) and of a <tr> written straight into a <table> (it gets a <tbody> around it):
    both are done here as tinyhtml5 does them. Anything but a whole document (<!doctype html> to
    </html>), a text holding a character of NOT_FOR_LIBXML2, and whatever libxml2 refuses or gives
    up reading are left to tinyhtml5. tests/conftest.py parses every document a test prints both
    ways and compares the trees node by node; tests/portal/test_pdfs.py adds prose with every
    kind of text and the edge cases.
    """
    import lxml.etree
    import lxml.html

    whole = WHOLE_DOCUMENT.fullmatch(html)
    if whole is None or NOT_FOR_LIBXML2.search(html):
        return None
    # huge_tree: without it libxml2 drops a text over 10 MB and everything after it, quietly.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        parsed = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return None  # tinyhtml5 reads anything, as browsers do
    if any(error.level_name == "FATAL" for error in parser.error_log):
        return None  # libxml2 stopped somewhere and kept what it had read
    if next(parsed.iter(lxml.etree.PI, lxml.etree.Entity), None) is not None:
        return None  # an older libxml2's: HTML5 reads <?...> as a comment, as libxml2 2.14 does
    root = _element(parsed)
    if root.text and not root.text.strip():
        root.text = None
    body = root.find("body")
    if root.find("head") is None or body is None:
        return None  # HTML5 would add the missing one
    after = (body.tail or "") + whole.group(1)
    body.tail = None
    if after and len(body):
        body[-1].tail = (body[-1].tail or "") + after
    elif after:
        body.text = (body.text or "") + after
    return root


def _element(source):
    """An ElementTree copy of the lxml element ``source`` (elements and comments), with a <tbody>
    around rows written straight into a table."""
    copy = ElementTree.Element(source.tag, dict(source.attrib))
    copy.text = source.text
    body = None
    for child in source:
        element = _element(child) if isinstance(child.tag, str) else ElementTree.Comment(child.text)
        element.tail = child.tail
        if source.tag == "table" and element.tag == "tr":
            if body is None:
                body = ElementTree.SubElement(copy, "tbody")
            body.append(element)
        elif body is not None and element.tag is ElementTree.Comment:
            body.append(element)  # the implied <tbody> is still open
        else:
            body = None
            copy.append(element)
    return copy


@functools.cache
def document_class():
    """WeasyPrint's HTML with the lean user-agent stylesheet, made once per process.

    ``_ua_stylesheets`` is the hook WeasyPrint's own tests override to give a document another
    user-agent stylesheet; tests/portal/test_pdfs.py checks that a document with a table over
    several pages, prose and lists has every word where WeasyPrint's own stylesheet puts it.
    """
    import cssselect2
    from weasyprint import CSS, HTML, _find_base_url
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA, UA_FORM_STYLESHEET
    from weasyprint.urls import ensure_url

    # The sheet's @counter-style rules are in WeasyPrint's own UA_COUNTER_STYLE already, which every
    # document copies; parsed into it a second time, "disc" and "decimal" would be refused with a warning.
    lean = CSS(string=lean_user_agent_css(UA), counter_style=CounterStyle())

    class PortalHTML(HTML):
        def __init__(self, string, base_url, url_fetcher):
            root = html_tree(string)
            if root is None:
                super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
                return
            # What HTML.__init__ sets once tinyhtml5 has parsed the string (WeasyPrint 70.0); a
            # folder's path becomes a file:// URL first, as select_source makes it.
            self.base_url = _find_base_url(root, ensure_url(base_url))
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms=False):
            return [lean, UA_FORM_STYLESHEET] if forms else [lean]

    return PortalHTML


_local = threading.local()


def renderer():
    """This thread's Renderer, made on first use (and again in a forked process)."""
    current = getattr(_local, "renderer", None)
    if current is None or current.pid != os.getpid():
        current = _local.renderer = Renderer()
    return current


@atexit.register
def _forget_renderer():
    """Lets the main thread's fonts remove their temporary folder while the interpreter can still do it."""
    _local.__dict__.pop("renderer", None)


# The interpreter may start with a few objects frozen already (CPython 3.12 here: 375).
FROZEN_AT_IMPORT = gc.get_freeze_count()


@contextlib.contextmanager
def collections_of_new_objects_only():
    """While a document is laid out, the garbage collector walks only the objects made meanwhile,
    and what the document left behind is freed before the block ends.

    WeasyPrint keeps hundreds of thousands of objects alive while it lays out a document, and
    each time enough of them have survived, CPython runs a full collection over every object of
    the process (Django, WeasyPrint, the fonts: some 200,000 before the first request): a quarter
    of a province summary's time. gc.freeze() sets the objects that exist now aside (a constant
    time operation) and gc.unfreeze() gives them back to the collector afterwards. A process that
    froze its objects for good after this module was imported (a pre-fork server may, before it
    forks) is left as it is, and so is a render in another thread while this one has them frozen.

    A laid-out document is a web of boxes that point at each other: once the PDF is written they
    are garbage (some 35,000 objects for a province summary) that only a full collection frees,
    and CPython runs one only after the long-lived objects have grown by a quarter. Until then a
    worker grew by some 10 MB a summary (from 124 to 357 MB after 25 of them), and every later
    document was laid out in a larger, colder heap. The collection at the end walks only the
    objects made during the block (the rest is still frozen): some 20 ms for a province summary.
    """
    if gc.get_freeze_count() > FROZEN_AT_IMPORT:
        try:
            yield
        finally:
            gc.collect()  # the process's own objects stay frozen: this walks only the newer ones
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()


def html_to_pdf(html, stylesheets=()):
    """``html`` (a string) as PDF bytes; relative URLs are resolved against the project folder.

    ``stylesheets``: paths of the portal's own stylesheets (fonts, layout) to apply, parsed once per
    process rather than linked from ``html`` and parsed again for every PDF. WeasyPrint applies
    them as the user's stylesheets: above its own defaults, below any stylesheet or style
    attribute of ``html`` (the portal's documents have none).
    """
    shared = renderer()
    with collections_of_new_objects_only():
        document = document_class()(string=html, base_url=str(settings.BASE_DIR), url_fetcher=shared.fetcher)
        pdf = document.write_pdf(stylesheets=shared.stylesheets(stylesheets), font_config=shared.font_config)
        del document  # garbage for the collection at the end of the block, with its boxes
    return pdf
