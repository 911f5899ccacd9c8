"""The PDF of a report read back: Decree 30 layout (REPORT-FORMAT.md) with the registry's figures."""

import datetime
import io
import re
import subprocess

import pdfplumber
import pytest

from portal import vietnamese
from reports import prose, rendering, workflow
from tests.reports.factories import fill_commune

MM = 72 / 25.4  # PDF points per millimetre
LEFT_MARGIN, RIGHT_MARGIN = 31, 16  # mm, the values chosen in reports/static/reports/document.css


@pytest.fixture
def ha_tay(cast, draft_x):
    """Commune X filled like Hà Tây in seed 000, its report registered as number 12 of 05/01/2026."""
    fill_commune(cast)
    draft_x.number = "12"
    draft_x.issued_on = datetime.date(2026, 1, 5)
    workflow.save_draft(draft_x, draft_x.revision)
    workflow.submit(draft_x, cast.official_x)
    return draft_x.versions.get()


def read(pdf_bytes):
    return pdfplumber.open(io.BytesIO(pdf_bytes))


def squash(text):
    """Text without any whitespace, so that a phrase wrapped over two lines still matches."""
    return "".join(text.split())


def test_the_first_page_has_the_header_title_and_subject(ha_tay):
    page = read(rendering.version_pdf(ha_tay)).pages[0]
    text = page.extract_text()
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "XÃ HÀ TÂY",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/BC-UBND",
        "Hà Tây, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Tình hình hoạt động Tổ công nghệ số cộng đồng",
    ):
        assert expected in text


def test_section_one_gives_the_registry_figures(ha_tay):
    text = squash(" ".join(page.extract_text() for page in read(rendering.version_pdf(ha_tay)).pages))
    for expected in (
        "1. Báo cáo tình hình chung",
        "Số lượng thôn trên địa bàn: 14 thôn",
        "Số lượng Tổ Công nghệ số cộng đồng đã thành lập: 14 Tổ",
        "Số lượng thành viên Tổ Công nghệ số cộng đồng: 70 thành viên.",
        "trên tổng số thôn: 100 % (14/14 thôn có Tổ)",
        "Quyết định số 241/QĐ-UBND ngày 26/9/2025 của UBND xã Hà Tây.",
        "Dự kiến thời gian hoàn thành việc tạo nhóm Zalo: Tháng 01 năm 2026",
    ):
        assert squash(expected) in text


def test_the_last_page_has_recipients_and_the_signer_block(ha_tay):
    page = read(rendering.version_pdf(ha_tay)).pages[-1]
    text = page.extract_text()
    assert "Nơi nhận:" in text
    assert "- Sở Khoa học và Công nghệ thành phố (b/c);" in text
    assert "- Lưu: VT, VHXH." in text
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text
    assert "Nguyễn Quang Ngọc" in text
    recipients = page.search("Nơi nhận:")[0]
    signer = page.search("KT. CHỦ TỊCH")[0]
    assert recipients["x1"] < signer["x0"], "recipients on the left, the signer on the right"
    assert abs(recipients["top"] - signer["top"]) < 14


def test_a_draft_shows_blanks_for_the_number_and_the_date(cast, draft_x):
    text = read(rendering.report_pdf(draft_x)).pages[0].extract_text()
    year = vietnamese.blank_long_date(datetime.date.today().year).split()[-1]
    assert "Số: /BC-UBND" in text
    assert f"Hà Tây, ngày tháng năm {year}" in text


def test_the_page_is_a4_with_a_left_margin_in_the_decree_range(ha_tay):
    page = read(rendering.version_pdf(ha_tay)).pages[0]
    assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
    body_left = min(char["x0"] for char in page.chars)
    assert 30 <= body_left / MM <= 35
    body_right = max(char["x1"] for char in page.chars)
    assert 15 <= (page.width - body_right) / MM <= 20


def test_the_issuing_body_and_the_motto_are_underlined(ha_tay):
    page = read(rendering.version_pdf(ha_tay)).pages[0]
    rules = [edge for edge in page.edges if edge["orientation"] == "h"]
    issuer = page.search("ỦY BAN NHÂN DÂN")[0]
    motto = page.search("Độc lập - Tự do - Hạnh phúc")[0]

    def rule_under(text):
        return [r for r in rules if 0 < r["top"] - text["bottom"] < 30 and r["x0"] >= text["x0"] - 1]

    issuer_rule = rule_under(issuer)[0]
    assert 1 / 3 <= (issuer_rule["x1"] - issuer_rule["x0"]) / (issuer["x1"] - issuer["x0"]) <= 1 / 2
    motto_rule = rule_under(motto)[0]
    assert abs((motto_rule["x1"] - motto_rule["x0"]) - (motto["x1"] - motto["x0"])) < 2


def test_the_committed_serif_font_is_embedded_and_the_only_font(tmp_path, ha_tay):
    path = tmp_path / "report.pdf"
    path.write_bytes(rendering.version_pdf(ha_tay))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        name, embedded = row.split()[0], row.split()[-5]
        assert "LiberationSerif" in name.replace("-", "") and embedded == "yes"


def test_page_numbers_start_on_page_two_in_the_top_margin(cast, draft_x):
    long_text = "\n".join(f"- Đề xuất số {n}: tổ chức các lớp tập huấn kỹ năng số cho thành viên." for n in range(40))
    draft_x.prose["s3"] = prose.stored(long_text)
    workflow.save_draft(draft_x, draft_x.revision)
    pdf = read(rendering.report_pdf(draft_x))
    assert len(pdf.pages) >= 2

    def top_margin_text(page):
        return page.crop((0, 0, page.width, 20 * MM)).extract_text().strip()

    assert top_margin_text(pdf.pages[0]) == ""
    assert top_margin_text(pdf.pages[1]) == "2"
    number = pdf.pages[1].crop((0, 0, pdf.pages[1].width, 20 * MM)).chars[0]
    body_centre = (LEFT_MARGIN + 210 - RIGHT_MARGIN) / 2 * MM
    assert abs((number["x0"] + number["x1"]) / 2 - body_centre) < 3
    assert 13 <= round(number["size"], 1) <= 14 and "Bold" not in number["fontname"]


def style_of(page, phrase):
    """(sizes, bold, italic) of the characters of ``phrase`` where it first appears on ``page``."""
    chars = [c for c in page.search(phrase, regex=False, return_chars=True)[0]["chars"] if c["text"].strip()]
    names = {c["fontname"] for c in chars}
    return {round(c["size"], 1) for c in chars}, all("Bold" in n for n in names), all("Italic" in n for n in names)


@pytest.mark.parametrize(
    ("phrase", "low", "high", "bold", "italic"),
    [
        ("ỦY BAN NHÂN DÂN", 12, 13, True, False),
        ("XÃ HÀ TÂY", 12, 13, True, False),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, 13, True, False),
        ("Độc lập - Tự do - Hạnh phúc", 13, 14, True, False),
        ("Số: 12/BC-UBND", 13, 13, False, False),
        ("Hà Tây, ngày 05 tháng 01 năm 2026", 13, 14, False, True),
        ("BÁO CÁO", 13, 14, True, False),
        ("Tình hình hoạt động Tổ công nghệ số cộng đồng", 13, 14, True, False),
        ("Thực hiện Công văn số 4675/SKHCN-CNTT", 13, 14, False, False),
    ],
)
def test_the_first_pages_type_sizes_and_styles_follow_the_decree(ha_tay, phrase, low, high, bold, italic):
    sizes, is_bold, is_italic = style_of(read(rendering.version_pdf(ha_tay)).pages[0], phrase)
    assert all(low <= size <= high for size in sizes), sizes
    assert (is_bold, is_italic) == (bold, italic)


@pytest.mark.parametrize(
    ("phrase", "low", "high", "bold", "italic"),
    [
        ("Nơi nhận:", 12, 12, True, True),
        ("- Lưu: VT, VHXH.", 11, 11, False, False),
        ("KT. CHỦ TỊCH", 13, 14, True, False),
        ("PHÓ CHỦ TỊCH", 13, 14, True, False),
        ("Nguyễn Quang Ngọc", 13, 14, True, False),
    ],
)
def test_the_signature_blocks_type_sizes_and_styles_follow_the_decree(ha_tay, phrase, low, high, bold, italic):
    sizes, is_bold, is_italic = style_of(read(rendering.version_pdf(ha_tay)).pages[-1], phrase)
    assert all(low <= size <= high for size in sizes), sizes
    assert (is_bold, is_italic) == (bold, italic)


def test_title_and_subject_are_centred_and_the_subject_ruled_over_a_third_to_a_half(ha_tay):
    page = read(rendering.version_pdf(ha_tay)).pages[0]
    body_centre = (LEFT_MARGIN + 210 - RIGHT_MARGIN) / 2 * MM
    title = page.search("BÁO CÁO")[0]
    subject = page.search("Tình hình hoạt động Tổ công nghệ số cộng đồng")[0]
    for line in (title, subject):
        assert abs((line["x0"] + line["x1"]) / 2 - body_centre) < 2
    rule = next(e for e in page.edges if e["orientation"] == "h" and 0 < e["top"] - subject["bottom"] < 20)
    assert 1 / 3 <= (rule["x1"] - rule["x0"]) / (subject["x1"] - subject["x0"]) <= 1 / 2


def test_body_paragraphs_are_indented_justified_and_spaced(ha_tay):
    page = read(rendering.version_pdf(ha_tay)).pages[0]
    opening = page.search("Thực hiện Công văn")[0]
    assert 10 <= (opening["x0"] / MM - LEFT_MARGIN) <= 12.7  # first line indented 1-1.27 cm
    lines = page.extract_text_lines()
    start = next(n for n, line in enumerate(lines) if line["text"].startswith("Thực hiện Công văn"))
    # Justified: the opening's first line reaches the right margin.
    assert abs(lines[start]["x1"] - (210 - RIGHT_MARGIN) * MM) < 1
    # At least 6 pt between paragraphs: the gap after the opening's last line exceeds its own line gaps.
    end = next(n for n in range(start, len(lines)) if lines[n]["text"].rstrip().endswith("như sau:"))
    inner = lines[start + 1]["top"] - lines[start]["bottom"]
    after = lines[end + 1]["top"] - lines[end]["bottom"]
    assert after - inner >= 6 - 0.5


# Numbers and the end of the document ---------------------------------------------------------

# A line that ends inside a document number or a date ("241/" then "QĐ-UBND", "45/QĐ-" then
# "UBND"), or one that starts with the rest of one ("/QĐ-UBND", "-UBND").
BROKEN_NUMBER = re.compile(r"[0-9A-ZĐ][/-]$|^[/-][0-9A-ZĐ]")


def lines_of(pdf):
    return [line for page in pdf.pages for line in page.extract_text().splitlines()]


def numbers_everywhere(draft_x):
    """Prose citing numbers at every offset of a line, so that some fall where a line ends."""
    text = "\n\n".join(
        "Thực hiện" + " văn bản" * k + f" số {k + 40}/QĐ-UBND ngày 26/9/2025 và Công văn số 4675/SKHCN-CNTT."
        for k in range(14)
    )
    draft_x.prose["s2"] = prose.stored(text)
    workflow.save_draft(draft_x, draft_x.revision)


def test_a_document_number_never_breaks_across_lines(cast, draft_x):
    numbers_everywhere(draft_x)
    lines = lines_of(read(rendering.report_pdf(draft_x)))
    assert [line for line in lines if BROKEN_NUMBER.search(line)] == []
    for k in range(14):
        assert sum(f"{k + 40}/QĐ-UBND" in line for line in lines) == 1, k


def test_without_the_no_break_spans_numbers_would_break(cast, draft_x, monkeypatch):
    """The test above can fail: the same prose without rendering.keep_numbers_together breaks some."""
    numbers_everywhere(draft_x)
    monkeypatch.setattr(rendering, "keep_numbers_together", lambda html: html)
    lines = lines_of(read(rendering.report_pdf(draft_x)))
    assert [line for line in lines if BROKEN_NUMBER.search(line)]


def test_numbers_are_wrapped_only_in_text_never_in_tags_or_the_title():
    html = '<html><head><title>12/BC-UBND</title></head><body><a href="/x/12/AB">Số 12/BC-UBND</a> KH&amp;CN</body>'
    assert rendering.keep_numbers_together(html) == (
        '<html><head><title>12/BC-UBND</title></head><body><a href="/x/12/AB">'
        'Số <span class="vb-nowrap">12/BC-UBND</span></a> KH&amp;CN</body>'
    )


@pytest.mark.parametrize("closing", [True, False])
@pytest.mark.parametrize("proposals", [2, 6, 9, 12])
def test_the_signature_block_never_starts_a_page_alone(cast, draft_x, proposals, closing):
    """Bodies that end near the foot of page 1 (2 to 9 proposals used to leave page 2 with only
    "Nơi nhận" and the signature): the last lines of the body go over with them."""
    text = "\n".join(f"- Đề xuất số {n}: tổ chức các lớp tập huấn kỹ năng số cho thành viên." for n in range(proposals))
    draft_x.prose["s3"] = prose.stored(text)
    if not closing:
        draft_x.closing = ""
    workflow.save_draft(draft_x, draft_x.revision)
    pdf = read(rendering.report_pdf(draft_x))
    for page in pdf.pages:
        for found in page.search("Nơi nhận:"):
            body_above = [c for c in page.chars if 20 * MM < c["top"] < found["top"] - 2]
            assert body_above, f"page {page.page_number} starts with the recipients"
            signer = page.search("KT. CHỦ TỊCH")[0]
            assert page.search("Nguyễn Quang Ngọc") and signer["top"] < page.height


def test_the_server_warm_up_lays_out_a_report_and_a_summary_without_the_database(db, django_assert_num_queries):
    from reports import rendering

    with django_assert_num_queries(0):
        assert rendering.warm_up() > 0
