"""Built-in outlines a department starts a request from, taken from the seed reports.

An outline is a list of sections, in order. Each section is a dict:

- ``kind``: "prose" (written by the commune) or a data block filled from the registry:
  "general" (villages, teams, coverage, members, decisions, Zalo groups), "activities"
  (the period's activities by kind and topic), "members" (members by origin and training),
  "indicators" (figures the commune enters, next to the request's targets);
- ``title`` and ``guidance`` (what the commune should write there);
- for "indicators": ``indicators``, a list of ``{"code", "comparison", "target"}``
  (``comparison``/``target`` may be None when the indicator has no target).

``ReportRequest.set_outline`` gives each section a stable ``key`` and stores the targets.
"""

from reports.indicators import Comparison, Indicator


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


def section(kind, title, guidance="", **extra):
    return {"kind": kind, "title": title, "guidance": guidance, **extra}


def target(code, comparison, value):
    return {"code": code, "comparison": comparison, "target": value}


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
            "Số liệu lấy từ sổ theo dõi của xã; có thể viết thêm về quá trình thành lập, kiện toàn các Tổ.",
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

# Seeds 001 and 004: the annual report.
ANNUAL_REPORT = {
    "name": "Báo cáo năm (kết quả, tồn tại, đề xuất, phương hướng)",
    "document_type": "BC",
    "numbering": "roman",
    "subject": "Tình hình hoạt động của Tổ công nghệ số cộng đồng",
    "sections": [
        section(Kind.GENERAL, "THÔNG TIN CHUNG", "Số liệu về thôn, Tổ, thành viên; công tác chỉ đạo điều hành."),
        section(
            Kind.ACTIVITIES,
            "KẾT QUẢ HOẠT ĐỘNG",
            "Kết quả đạt được: dịch vụ công trực tuyến, VNeID, thanh toán không dùng tiền mặt, sổ sức khỏe điện tử...",
        ),
        section(Kind.MEMBERS, "THÀNH PHẦN VÀ TẬP HUẤN THÀNH VIÊN", "Thành phần các Tổ, số lần được tập huấn."),
        section(Kind.PROSE, "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "Những khó khăn về con người, thiết bị, kỹ năng."),
        section(Kind.PROSE, "ĐỀ XUẤT, KIẾN NGHỊ", ""),
        section(Kind.PROSE, "PHƯƠNG HƯỚNG HOẠT ĐỘNG NĂM TỚI", "Nhiệm vụ về chính quyền số, kinh tế số, xã hội số."),
    ],
}

# Seed 003: the commune's plan, with the targets of its section II.
PLAN = {
    "name": "Kế hoạch hoạt động Tổ CNSCĐ (có chỉ tiêu)",
    "document_type": "KH",
    "numbering": "roman",
    "subject": "Hoạt động Tổ công nghệ số cộng đồng trên địa bàn",
    "sections": [
        section(Kind.PROSE, "MỤC ĐÍCH, YÊU CẦU", "Mục đích và yêu cầu của kế hoạch."),
        section(
            Kind.INDICATORS,
            "MỤC TIÊU",
            "Nhập số liệu hiện tại của xã; chỉ tiêu của kế hoạch hiện bên cạnh.",
            indicators=[
                target(Indicator.HOUSEHOLDS_DIGITAL_SKILLS, Comparison.AT_LEAST, 70),
                target(Indicator.DOSSIERS_ONLINE, Comparison.AT_LEAST, 90),
                target(Indicator.ADULTS_E_PAYMENT, Comparison.MORE_THAN, 80),
                target(Indicator.ADULTS_SMARTPHONE, Comparison.MORE_THAN, 80),
                target(Indicator.VNEID_ONLINE_SERVICES, Comparison.AT_LEAST, 80),
                target(Indicator.VNEID_LEVEL2, None, None),
            ],
        ),
        section(Kind.PROSE, "NỘI DUNG", "Nhiệm vụ, nội dung hoạt động và chế độ báo cáo; tập huấn."),
        section(Kind.PROSE, "KINH PHÍ", ""),
        section(Kind.PROSE, "TỔ CHỨC THỰC HIỆN", "Phân công các bộ phận, đoàn thể."),
    ],
}

BUILT_IN = {"status_report": STATUS_REPORT, "annual_report": ANNUAL_REPORT, "plan": PLAN}
BUILT_IN_CHOICES = [(key, outline["name"]) for key, outline in BUILT_IN.items()]

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def section_number(position, numbering):
    """ "1." or "I." for the section at ``position`` (0-based)."""
    return f"{ROMAN[position]}." if numbering == "roman" and position < len(ROMAN) else f"{position + 1}."
