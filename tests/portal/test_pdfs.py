"""portal/pdfs.py: the PDF renderer fetches only the portal's own static files (issue 10, finding 8)."""

import gc
import io
import os
import socketserver
import threading
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings

from portal import pdfs
from portal.pdfs import html_to_pdf, is_allowed, renderer
from reports import prose, rendering
from tests.html_trees import first_difference, tinyhtml5_tree


@pytest.fixture
def listener():
    """A TCP server on the loopback that counts the connections it gets."""
    hits = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            hits.append(self.request.recv(1024))
            self.request.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n")

    server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


def text_of(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(page.extract_text() for page in document.pages)


def test_a_network_address_in_the_html_is_not_fetched(listener):
    port, hits = listener
    html = (
        f'<p>Báo cáo</p><img src="http://127.0.0.1:{port}/anh.png">'
        f'<div style="background: url(http://127.0.0.1:{port}/nen.png)">x</div>'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/kieu.css">'
    )
    assert "Báo cáo" in text_of(rendering._pdf(html))
    assert hits == []


def test_a_file_outside_the_static_folders_is_not_read(tmp_path):
    secret = tmp_path / "bi-mat.css"
    secret.write_text('p::after { content: "NỘI DUNG BÍ MẬT" }', encoding="utf-8")
    html = f'<link rel="stylesheet" href="{secret.as_uri()}"><p>Báo cáo</p><img src="file:///etc/passwd">'
    text = text_of(rendering._pdf(html))
    assert "Báo cáo" in text and "BÍ MẬT" not in text


def test_a_path_that_climbs_out_of_static_is_refused():
    static = settings.BASE_DIR / "static"
    assert is_allowed((static / "fonts" / "LiberationSerif-Regular.ttf").as_uri())
    assert not is_allowed(static.as_uri() + "/../portal/settings.py")
    assert not is_allowed("file:///etc/passwd")
    assert not is_allowed("http://169.254.169.254/latest/meta-data/")
    assert not is_allowed("ftp://example.org/x")
    assert is_allowed("data:image/png;base64,iVBORw0KGgo=")


def test_the_portals_own_stylesheet_and_fonts_still_reach_the_pdf(tmp_path):
    html = rendering._html({"sections": [], "subject": "Báo cáo thử"}, "Báo cáo thử", for_pdf=True)
    pdf = rendering._pdf(html)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        fonts = {char["fontname"] for page in document.pages for char in page.chars}
    assert fonts and all("Liberation" in font and "Serif" in font for font in fonts)


def test_stylesheets_applied_by_path_must_be_the_portals_own(tmp_path):
    """html_to_pdf parses the stylesheets it is given once per process: only static files qualify."""
    secret = tmp_path / "bi-mat.css"
    secret.write_text('p::after { content: "NỘI DUNG BÍ MẬT" }', encoding="utf-8")
    with pytest.raises(ValueError):
        html_to_pdf("<p>Báo cáo</p>", [secret])
    assert "Báo cáo" in text_of(html_to_pdf("<p>Báo cáo</p>", rendering.stylesheets()))


def test_the_pdfs_html_links_no_stylesheet_it_gets_them_parsed_once():
    html = rendering._html({"sections": [], "subject": "Báo cáo thử"}, "Báo cáo thử", for_pdf=True)
    assert "<link" not in html
    assert renderer() is renderer()


def test_rendering_leaves_the_garbage_collector_as_it_found_it():
    """Collections during a render walk only the objects made meanwhile (gc.freeze), and every
    object is the collector's again afterwards; a process that froze its own objects stays so."""
    html_to_pdf("<p>Báo cáo</p>")
    assert gc.get_freeze_count() <= pdfs.FROZEN_AT_IMPORT  # nothing left set aside
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        html_to_pdf("<p>Báo cáo</p>")
        assert gc.get_freeze_count() > frozen // 2  # still frozen (less what was freed meanwhile)
    finally:
        gc.unfreeze()


def test_a_stylesheet_changed_on_disk_is_parsed_again():
    """The parsed stylesheets are kept for every PDF, but not past an edit of their file."""
    sheet = Path(rendering.stylesheets()[1])
    first = renderer().stylesheets([sheet])
    renderer().stylesheets([])  # another set of stylesheets (a handover sheet's) keeps its own
    assert renderer().stylesheets([sheet]) is first
    times = sheet.stat()
    try:
        os.utime(sheet, ns=(times.st_atime_ns, times.st_mtime_ns + 1_000_000))  # as an edit would
        assert renderer().stylesheets([sheet]) is not first
    finally:
        os.utime(sheet, ns=(times.st_atime_ns, times.st_mtime_ns))


def words_and_places(pdf):
    """Every word of ``pdf`` with its page and position, as a reader of the printed page finds it."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            (number, word["text"], round(word["x0"], 2), round(word["top"], 2))
            for number, page in enumerate(document.pages)
            for word in page.extract_words()
        ]


def test_the_lean_user_agent_stylesheet_lays_a_document_out_as_weasyprints_own():
    """The user-agent stylesheet without footnotes and notes (portal/pdfs.py) puts every word of a
    document where WeasyPrint's own stylesheet puts it: a table over several pages with its header
    repeated, prose, a document number, and the markers of numbered and bulleted lists."""
    from weasyprint import HTML

    cells = '<td class="num">{0}</td><td>Xã {0}</td><td class="num">{1}</td>'
    rows = "".join(f"<tr>{cells.format(n, n * 7)}</tr>" for n in range(1, 90))
    html = rendering._html(
        {"sections": [], "subject": "Báo cáo thử", "header": {"number": "12/BC-UBND"}}, "Báo cáo thử", for_pdf=True
    ).replace(
        "</body>",
        "<p>Căn cứ Nghị định 30/2020/NĐ-CP, <strong>đậm</strong> và <em>nghiêng</em>.</p>"
        "<ol><li>Thứ nhất</li><li>Thứ hai</li></ol><ul><li>Một ý</li></ul>"
        '<table class="vb-table"><thead><tr><th>STT</th><th>Xã</th><th>Số</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        "</body>",
    )
    shared = renderer()
    sheets = shared.stylesheets(rendering.stylesheets())

    def pdf(document_class):
        document = document_class(string=html, base_url=str(settings.BASE_DIR), url_fetcher=shared.fetcher)
        return document.write_pdf(stylesheets=sheets, font_config=shared.font_config)

    lean, weasyprints = words_and_places(pdf(pdfs.document_class())), words_and_places(pdf(HTML))
    assert lean == weasyprints
    texts = [word[1] for word in lean]
    assert {"1.", "2.", "•", "89", "623"} <= set(texts) and texts.count("STT") >= 2  # markers, last row, header again


def test_the_lean_user_agent_stylesheet_drops_only_the_notes_and_checks_its_source(caplog):
    from weasyprint.html import UA

    pdfs.document_class.cache_clear()
    pdfs.document_class()
    assert not [record for record in caplog.records if record.name == "weasyprint"]  # parsed without a warning

    lean = pdfs.lean_user_agent_css(UA)
    assert "::footnote-call" not in lean and "::note-callback" not in lean
    assert "\nli::marker {" in lean and "\n::marker {" not in lean
    assert len(UA.splitlines()) - len(lean.splitlines()) == len(pdfs.NOTES)
    with pytest.raises(RuntimeError):  # a WeasyPrint whose stylesheet no longer reads as expected
        pdfs.lean_user_agent_css(UA.replace("::footnote-marker {", "::footnote-marker{"))


def test_a_rendered_documents_objects_are_freed_when_its_pdf_is_returned():
    """A laid-out document is a web of boxes that only a full collection frees: html_to_pdf frees
    them before it returns, so a worker making PDF after PDF does not grow."""
    rows = "".join(f"<tr><td>{n}</td><td>Thôn {n}</td></tr>" for n in range(300))
    html = f"<table>{rows}</table>"
    html_to_pdf(html)
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(3):
        html_to_pdf(html)
    assert len(gc.get_objects()) - before < 500  # without the collection: some 10,000 a document


TRICKY_TEXTS = [
    "Xã Đông Hòa, thôn Bản Phố 2: 1.234 lượt, 56,78 %",
    "a < b & c > d, \"ngoặc kép\" và 'nháy đơn', &amp; &lt;b&gt; &#x41;",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> <!-- ghi chú --> ]]> <![CDATA[x]]>",
    "**đậm** giữa câu, - gạch đầu dòng\n+ gạch cấp hai\n\n\n dòng cách",
    "  khoảng   trắng  \t tab \u00a0 không ngắt \u2003 em \u200b zero-width ",
    "kết hợp A\u0301 e\u0323\u0302, emoji 😀👨‍👩‍👧, tiếng Hoa 数字, \u202e đảo chiều \u202c",
    "\r\nxuống dòng Windows\rchỉ CR\u2028tách dòng\u0085NEL",
    "\x7f xóa, \x80-\x9f C1: \x85\x9f, \ufeff BOM, \U0010fffd riêng",
]


def a_document(texts):
    sections = [
        {"key": f"m{index}", "number": f"{index}.", "title": text[:40], "kind": "text", "html": prose.to_html(text)}
        for index, text in enumerate(texts, start=1)
    ]
    content = {"sections": sections, "header": {"number": "12/BC-UBND", "issuer": texts[0]}, "signer": {}}
    return rendering._html(content, "Báo cáo thử", for_pdf=True)


def test_libxml2_gives_the_html5_tree_of_a_document_with_every_kind_of_text():
    """portal/pdfs.py parses the portal's documents with libxml2 where WeasyPrint would use its own
    HTML5 parser: escaped markup, entities, every kind of whitespace and line break, combining
    marks, emoji and bidirectional marks come out as the same tree, node by node."""
    html = a_document(TRICKY_TEXTS)
    tree = pdfs.html_tree(html)
    assert tree is not None
    assert first_difference(tree, tinyhtml5_tree(html)) is None
    assert "<script>alert(1)</script>" in "".join(tree.itertext())  # as text, escaped


def test_html5s_own_repairs_are_made_as_html5_makes_them():
    """Rows written straight into a table get a <tbody> (comments between them inside it);
    whitespace before <head> is dropped and whitespace after </body> and </html> goes into the body;
    a processing instruction is a comment."""
    html = (
        "\n<!DOCTYPE html>\n<html>\n  <head><title>t</title></head>\n<body><table>\n"
        "<tr><td>1</td></tr><!-- giữa -->\n<tr><td>2</td></tr>\n<tfoot><tr><td>3</td></tr></tfoot>"
        "</table><?xml-stylesheet x?><p>x</p>\n</body>\n</html>\n\n"
    )
    tree = pdfs.html_tree(html)
    assert [child.tag for child in tree.find("body/table")] == ["tbody", "tfoot"]
    assert len(tree.find("body/table/tbody")) == 3  # two rows and the comment
    assert tree.find("body/p").tail == "\n\n\n\n"
    assert first_difference(tree, tinyhtml5_tree(html)) is None


def test_the_tree_check_finds_a_difference():
    """The check every printing test runs (tests/conftest.py) fails where libxml2's own tree differs."""
    import lxml.etree
    import lxml.html

    html = "<!doctype html><html><head></head><body><table><tr><td>1</td></tr></table></body></html>"
    raw = ElementTree.fromstring(lxml.etree.tostring(lxml.html.document_fromstring(html)))
    assert first_difference(raw, tinyhtml5_tree(html)) == "html/body[1]/table[0]: children ['tr'], expected ['tbody']"
    changed = pdfs.html_tree(html.replace(">1<", ">2<"))
    assert "text '2', expected '1'" in first_difference(changed, tinyhtml5_tree(html))


@pytest.mark.parametrize(
    "html",
    [
        "<p>Bản số 1: một đoạn, không phải cả tài liệu</p>",
        "<!doctype html><html><body><p>Bản số 1</p></body></html>",  # no <head>
        "<!doctype html><html><head></head><body><p>Bản số 1</p><p>a\x0bb</p></body></html>",  # a control character
        "<!doctype html><html><head></head><body><p>Bản số 1</p><p>a\ufdd0b</p></body></html>",  # a noncharacter
        "<!doctype html><html><head></head><body><p>Bản số 1</p></body></html><p>sau</p>",
    ],
)
def test_anything_but_a_plain_whole_document_is_left_to_weasyprints_parser(html, monkeypatch):
    import tinyhtml5

    assert pdfs.html_tree(html) is None
    parse, read_by_tinyhtml5 = tinyhtml5.parse, []

    def counted(*args, **kwargs):
        read_by_tinyhtml5.append(1)
        return parse(*args, **kwargs)

    monkeypatch.setattr(tinyhtml5, "parse", counted)
    pdf = html_to_pdf(html)
    assert read_by_tinyhtml5 == [1] and pdf.startswith(b"%PDF")  # and still printed
    if "\x0b" not in html and "\ufdd0" not in html:  # a glyph-less character leaves pdfplumber no text
        assert "Bản số 1" in text_of(pdf)


def test_a_document_is_set_up_as_weasyprints_own_would_be():
    """Besides the tree, WeasyPrint's HTML keeps the base URL, the fetcher and the media type: a
    document parsed by libxml2 has the same, so that a relative link (the handover sheet's
    stylesheet) points at the same file."""
    from weasyprint import HTML

    html = (
        '<!doctype html><html><head><link rel="stylesheet" href="static/accounts/handover.css"></head>'
        "<body><p>Bản số 1</p></body></html>"
    )
    fetcher = renderer().fetcher
    ours = pdfs.document_class()(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    theirs = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    trees = ("wrapper_element", "etree_element")
    assert {key: value for key, value in vars(ours).items() if key not in trees} == {
        key: value for key, value in vars(theirs).items() if key not in trees
    }
    assert ours.base_url.startswith("file://")
    assert first_difference(ours.etree_element, theirs.etree_element) is None


def test_a_text_over_libxml2s_10_mb_limit_is_read_whole():
    """libxml2 drops a text node over 10 MB, and everything after it, without an error, unless
    asked for huge trees: a report with one enormous paragraph kept its signature block."""
    html = f"<!doctype html><html><head></head><body><p>{'x' * 10_000_001}</p><p id='cho-ky'>ký</p></body></html>"
    tree = pdfs.html_tree.libxml2(html)  # the check against tinyhtml5 (tests/conftest.py) would take a minute
    assert tree.find("body/p[@id='cho-ky']") is not None and len(tree.find("body/p").text) == 10_000_001


def test_where_libxml2_gives_up_the_document_goes_to_weasyprints_parser(monkeypatch):
    import lxml.html

    class SmallTrees(lxml.html.HTMLParser):
        def __init__(self, **options):
            super().__init__(**{**options, "huge_tree": False})

    monkeypatch.setattr(lxml.html, "HTMLParser", SmallTrees)
    html = f"<!doctype html><html><head></head><body><p>{'x' * 10_000_001}</p><p id='cho-ky'>ký</p></body></html>"
    assert pdfs.html_tree.libxml2(html) is None


def test_a_document_libxml2_refuses_is_read_by_weasyprints_parser(monkeypatch):
    import lxml.etree
    import lxml.html

    def refuse(html, parser=None):
        raise lxml.etree.ParserError("Document is empty")

    monkeypatch.setattr(lxml.html, "document_fromstring", refuse)
    html = "<!doctype html><html><head></head><body><p>Bản số 1</p></body></html>"
    assert pdfs.html_tree(html) is None
    assert "Bản số 1" in text_of(html_to_pdf(html))
