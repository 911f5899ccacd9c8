"""A section heading in the PDF stays on the page of its text (document.css, .vb-heading)."""

import pytest

from reports import prose, rendering, workflow
from tests.reports.test_pdf import read

HEADING = "3. Một số đề xuất, giải pháp, kiến nghị"
FIRST_LINE = "Kiến nghị số 1"


def position(pdf, phrase):
    """(page number, top) of the first line holding ``phrase``, or None."""
    for page in pdf.pages:
        found = page.search(phrase, regex=False)
        if found:
            return page.page_number, found[0]["top"]
    return None


@pytest.mark.parametrize("proposals", [1, 4])
def test_a_section_heading_never_ends_a_page(cast, draft_x, proposals):
    """Section 2 long enough to bring section 3's heading to the foot of page 1. Without a
    keep-with-next rule the heading stayed there alone: with 1 proposal, pulled over by .vb-end
    (which keeps the last paragraph with the signature), for 9 to 12 paragraphs; with 4, for lack
    of room, at 12. The range also reaches 13 and 14, where the heading starts page 2 by itself."""
    section_3 = "\n\n".join(
        f"Kiến nghị số {n}: tiếp tục tổ chức các lớp tập huấn kỹ năng số cho thành viên các Tổ."
        for n in range(1, proposals + 1)
    )
    break_at_the_heading = 0
    for paragraphs in range(9, 15):
        draft_x.prose["s2"] = prose.stored(
            "\n\n".join(f"Đoạn {k}: các Tổ đã hướng dẫn người dân cài đặt ứng dụng." for k in range(paragraphs))
        )
        draft_x.prose["s3"] = prose.stored(section_3)
        workflow.save_draft(draft_x, draft_x.revision)
        pdf = read(rendering.report_pdf(draft_x))
        heading, first_line = position(pdf, HEADING), position(pdf, FIRST_LINE)
        assert heading and first_line, paragraphs
        assert heading[0] == first_line[0], (
            f"{paragraphs} paragraphs: heading on page {heading[0]}, its text on {first_line[0]}"
        )
        assert heading[1] < first_line[1], paragraphs
        section_2_end = position(pdf, f"Đoạn {paragraphs - 1}:")
        break_at_the_heading += section_2_end[0] < first_line[0]
    assert break_at_the_heading, "no length put the page break between sections 2 and 3"
