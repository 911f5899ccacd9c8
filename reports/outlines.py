"""Built-in outlines a department starts a request from, taken from the seed reports.

An outline is a list of sections, in order. Each section is a dict:

- ``kind``: "prose" (written by the commune) or a data block filled from the registry:
  "general" (villages, teams, coverage, members, decisions, Zalo groups), "activities"
  (the period's activities by kind and topic), "members" (members by origin and training),
  "indicators" (figures the commune enters, next to the request's targets);
- ``title`` and ``guidance`` (what the commune should write there);
- ``level``: 1 for a main section, 2 for a subsection of the main section above it, 3 for a
  point under a subsection (missing means 1). Numbers follow Decree 30's "I., 1., a)": in a
  "roman" outline level 1 is I., II., level 2 restarts at 1. under each, level 3 at a); in an
  "arabic" outline level 1 is 1., 2. and level 2 a), b);
- for "indicators": ``indicators``, a list of ``{"code", "comparison", "target"}``, codes of the
  catalogue (``reports.models.Indicator``); ``comparison``/``target`` may be None when the
  indicator has no target.

``ReportRequest.set_outline`` gives each section a stable ``key`` and stores the targets.
"""

from reports.indicators import Code, Comparison


class Kind:
    PROSE = "prose"
    GENERAL = "general"
    ACTIVITIES = "activities"
    MEMBERS = "members"
    INDICATORS = "indicators"

    CHOICES = [
        (PROSE, "Nội dung do xã viết"),
        (GENERAL, "Số liệu: tình hình chung"),
        (ACTIVITIES, "Số liệu: hoạt động trong kỳ"),
        (MEMBERS, "Số liệu: thành viên theo thành phần, tập huấn"),
        (INDICATORS, "Số liệu: chỉ tiêu do xã nhập"),
    ]
    DATA = {GENERAL, ACTIVITIES, MEMBERS, INDICATORS}


def section(kind, title, guidance="", level=1, **extra):
    return {"kind": kind, "title": title, "guidance": guidance, "level": level, **extra}


def subsection(kind, title, guidance="", **extra):
    return section(kind, title, guidance, level=2, **extra)


def heading(title, guidance="Có thể để trống: nội dung ở các mục con bên dưới."):
    """A main section whose content is in the subsections after it; the commune may add a few lines."""
    return section(Kind.PROSE, title, guidance)


def target(code, comparison, value):
    return {"code": code, "comparison": comparison, "target": value}


def with_indicators(sections, codes):
    """``sections`` asking for the indicators ``codes``, in that order: the first indicators section
    keeps the targets it has for them, and one is added at the end when the outline has none."""
    sections = [dict(item) for item in sections]
    blocks = [item for item in sections if item["kind"] == Kind.INDICATORS]
    if not codes:
        return [item for item in sections if item["kind"] != Kind.INDICATORS]
    if not blocks:
        sections.append(section(Kind.INDICATORS, "Các chỉ tiêu", "Nhập số liệu hiện tại của xã/phường."))
        blocks = sections[-1:]
    known = {i["code"]: i for i in blocks[0].get("indicators", [])}
    blocks[0]["indicators"] = [known.get(code) or target(code, None, None) for code in codes]
    return [item for item in sections if item["kind"] != Kind.INDICATORS or item is blocks[0]]


# Seeds 000 and 002: the three sections of Công văn 4675/SKHCN-CNTT.
STATUS_REPORT = {
    "name": "Báo cáo tình hình hoạt động Tổ CNSCĐ (3 mục)",
    "document_type": "BC",
    "numbering": "arabic",
    "subject": "Tình hình hoạt động Tổ công nghệ số cộng đồng",
    "sections": [
        section(
            Kind.GENERAL,
            "Báo cáo tình hình chung",
            "Số liệu lấy từ sổ theo dõi của xã/phường; có thể viết thêm về quá trình thành lập, kiện toàn các Tổ.",
        ),
        section(
            Kind.PROSE,
            "Mô hình, cách làm hay đã triển khai tại địa phương",
            "Nêu các mô hình tiêu biểu: hướng dẫn tận nhà, trực tại Trung tâm Phục vụ hành chính công, "
            "phối hợp với đoàn thể...",
        ),
        section(
            Kind.PROSE,
            "Một số đề xuất, giải pháp, kiến nghị",
            "Về kinh phí, trang thiết bị, tập huấn, chính sách đối với thành viên Tổ.",
        ),
    ],
}

# Seeds 001 and 004: the annual report (results with their parts, shortcomings, proposals, next year).
ANNUAL_REPORT = {
    "name": "Báo cáo năm (kết quả, tồn tại, đề xuất, phương hướng)",
    "document_type": "BC",
    "numbering": "roman",
    "subject": "Tình hình hoạt động của Tổ công nghệ số cộng đồng",
    "sections": [
        heading("KẾT QUẢ HOẠT ĐỘNG"),
        subsection(
            Kind.GENERAL,
            "Thông tin chung",
            "Số liệu về thôn/tổ dân phố, Tổ, thành viên; quá trình thành lập, kiện toàn.",
        ),
        subsection(
            Kind.PROSE,
            "Công tác chỉ đạo điều hành",
            "Các văn bản chỉ đạo của cấp trên và của xã/phường (kế hoạch, quyết định, thông báo).",
        ),
        subsection(
            Kind.ACTIVITIES,
            "Kết quả đạt được",
            "Kết quả đạt được: dịch vụ công trực tuyến, VNeID, thanh toán không dùng tiền mặt, sổ sức khỏe điện tử...",
        ),
        subsection(
            Kind.MEMBERS,
            "Thành phần và tập huấn thành viên Tổ",
            "Thành phần các Tổ, công tác bồi dưỡng, tập huấn thành viên.",
        ),
        section(
            Kind.PROSE,
            "TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN",
            "Những khó khăn về con người, thiết bị, kỹ năng; nguyên nhân.",
        ),
        section(Kind.PROSE, "ĐỀ XUẤT, KIẾN NGHỊ", "Đối với cấp trên; về tập huấn, kinh phí, thiết bị."),
        section(Kind.PROSE, "PHƯƠNG HƯỚNG HOẠT ĐỘNG NĂM TỚI", "Nhiệm vụ về chính quyền số, kinh tế số, xã hội số."),
    ],
}

# Seed 003: the commune's plan, with the targets of its section II.2.
PLAN = {
    "name": "Kế hoạch hoạt động Tổ CNSCĐ (có chỉ tiêu)",
    "document_type": "KH",
    "numbering": "roman",
    "subject": "Hoạt động Tổ công nghệ số cộng đồng trên địa bàn",
    "sections": [
        heading("MỤC ĐÍCH, YÊU CẦU"),
        subsection(Kind.PROSE, "Mục đích", "Vai trò của Tổ công nghệ số cộng đồng; đưa nền tảng số đến người dân."),
        subsection(Kind.PROSE, "Yêu cầu", "Triển khai thực chất, phù hợp thực tế; phân công rõ ràng."),
        heading("MỤC TIÊU"),
        subsection(Kind.PROSE, "Mục tiêu tổng quát", "Đến hết năm: kỹ năng số của hộ gia đình, người dân."),
        subsection(
            Kind.INDICATORS,
            "Mục tiêu cụ thể",
            "Nhập số liệu hiện tại của xã/phường; chỉ tiêu của kế hoạch hiện bên cạnh.",
            indicators=[
                target(Code.HOUSEHOLDS_DIGITAL_SKILLS, Comparison.AT_LEAST, 70),
                target(Code.DOSSIERS_ONLINE, Comparison.AT_LEAST, 90),
                target(Code.ADULTS_E_PAYMENT, Comparison.MORE_THAN, 80),
                target(Code.ADULTS_SMARTPHONE, Comparison.MORE_THAN, 80),
                target(Code.VNEID_ONLINE_SERVICES, Comparison.AT_LEAST, 80),
                target(Code.VNEID_LEVEL2, None, None),
            ],
        ),
        heading("NỘI DUNG"),
        subsection(Kind.PROSE, "Nhiệm vụ, nội dung hoạt động và chế độ báo cáo", "Nhiệm vụ; chế độ báo cáo."),
        subsection(Kind.PROSE, "Tập huấn nghiệp vụ cho Tổ công nghệ số cộng đồng", ""),
        section(Kind.PROSE, "KINH PHÍ", ""),
        section(Kind.PROSE, "TỔ CHỨC THỰC HIỆN", "Phân công các bộ phận, đoàn thể."),
    ],
}

BUILT_IN = {"status_report": STATUS_REPORT, "annual_report": ANNUAL_REPORT, "plan": PLAN}
BUILT_IN_CHOICES = [(key, outline["name"]) for key, outline in BUILT_IN.items()]

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
LEVEL_CHOICES = [(1, "Mục"), (2, "Mục con"), (3, "Điểm")]


def _format(count, style):
    if style == "roman" and count <= len(ROMAN):
        return f"{ROMAN[count - 1]}."
    if style == "letter" and count <= 26:
        return f"{chr(ord('a') + count - 1)})"
    return f"{count}."


def section_numbers(sections, numbering):
    """Each section's number, as Decree 30 numbers parts: "I.", "1.", "a)" by level (see above).

    A deeper level restarts under each section above it; a level beyond the outline's deepest is
    numbered as the deepest.
    """
    styles = ["roman", "arabic", "letter"] if numbering == "roman" else ["arabic", "letter"]
    counts = [0] * len(styles)
    numbers = []
    for item in sections:
        level = min(max(int(item.get("level") or 1), 1), len(styles))
        counts[level - 1] += 1
        counts[level:] = [0] * (len(styles) - level)
        numbers.append(_format(counts[level - 1], styles[level - 1]))
    return numbers
