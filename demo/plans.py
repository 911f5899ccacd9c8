"""The demo's request with indicators: the department asks every commune for its 2026 plan (the
built-in PLAN outline of seed 003, with its targets), and the plans of Hà Tây, Thượng Hồng and
Trần Hưng Đạo carry the communes' current figures, so the province dashboard has indicators to
set against the targets.

The letter's deadline, 08/01/2026, falls before that of 4675/SKHCN-CNTT (10/01/2026), so the
dashboard's report-status column keeps following 4675, the demo's main story, while the
indicator table picks this request, the one whose period is 2026.

Idempotent like reports/demo.py: the request is looked up by its letter number, each report by its
commune. Each figure is a numerator over a denominator: households and population come from the
registry (teams/demo.py), the other denominators (dossiers, adults, users of online services) are
the commune's own counts below; every figure goes through the form's own check
(reports.indicators.check).
"""

import datetime
from decimal import Decimal

from demo import registry as teams_demo
from demo.reports import at, backdate, ensure_request
from portal.models import Role, User
from reports import prose, workflow
from reports.figures import bases
from reports.indicators import Code, check
from reports.models import Indicator, Report
from reports.outlines import PLAN
from teams.models import Commune

LETTER_NUMBER = "4102/SKHCN-CNTT"

# Each commune's rates, as fractions of their denominators (in %). Two indicators fall short of the
# plan's targets over the province (households with digital skills, adults with bank accounts), the
# others reach them. The province's rate is weighted, so Trần Hưng Đạo, the largest, weighs most.
FIGURES = {
    teams_demo.HA_TAY: {
        Code.HOUSEHOLDS_DIGITAL_SKILLS: "0.58",
        Code.DOSSIERS_ONLINE: "91.2",
        Code.ADULTS_E_PAYMENT: "72.4",
        Code.ADULTS_SMARTPHONE: "82.5",
        Code.VNEID_ONLINE_SERVICES: "76.0",
        Code.VNEID_LEVEL2: "0.68",
    },
    teams_demo.THUONG_HONG: {
        Code.HOUSEHOLDS_DIGITAL_SKILLS: "0.64",
        Code.DOSSIERS_ONLINE: "94.6",
        Code.ADULTS_E_PAYMENT: "77.9",
        Code.ADULTS_SMARTPHONE: "86.0",
        Code.VNEID_ONLINE_SERVICES: "81.5",
        Code.VNEID_LEVEL2: "0.74",
    },
    teams_demo.TRAN_HUNG_DAO: {
        Code.HOUSEHOLDS_DIGITAL_SKILLS: "0.67",
        Code.DOSSIERS_ONLINE: "97.8",
        Code.ADULTS_E_PAYMENT: "78.6",
        Code.ADULTS_SMARTPHONE: "91.4",
        Code.VNEID_ONLINE_SERVICES: "87.6",
        Code.VNEID_LEVEL2: "0.79",
    },
}

# Who signed each plan, when it was sent, and when the department accepted it (None: still waiting).
# Trần Hưng Đạo sent its plan a day after the deadline.
STORY = {
    teams_demo.HA_TAY: ("Nguyễn Quang Ngọc", at(2026, 1, 6, 9, 0), at(2026, 1, 9, 10, 0)),
    teams_demo.THUONG_HONG: ("Vũ Quang Thái", at(2026, 1, 7, 15, 30), at(2026, 1, 12, 8, 45)),
    teams_demo.TRAN_HUNG_DAO: ("Phạm Thị Ly", at(2026, 1, 9, 10, 15), None),
}

# Seed 003's wording, by section title; {kind} and {villages} are the commune's words (plan_prose).
PLAN_PROSE = {
    "Mục đích": "- Nâng cao vai trò, nhiệm vụ của Tổ công nghệ số cộng đồng, cánh tay nối dài của Ban Chỉ đạo "
    "chuyển đổi số {kind} đến các {villages}.\n"
    "- Đưa nền tảng số, công nghệ số, kỹ năng số đến người dân thông qua Tổ công nghệ số cộng đồng.",
    "Yêu cầu": "- Phát huy vai trò của Tổ công nghệ số cộng đồng với phương châm hoạt động “đi từng ngõ, gõ từng "
    "nhà” để hướng dẫn từng người.\n"
    "- Hoạt động của Tổ phải thực chất, tránh phô trương hình thức; có lịch công tác và phân công rõ ràng.",
    "Mục tiêu tổng quát": "Đến hết năm 2026 hầu hết hộ gia đình tại các {villages} có kỹ năng số, "
    "có khả năng thực hiện dịch vụ công trực tuyến, sử dụng các nền tảng số để phát triển kinh tế số, "
    "tham gia các ứng dụng xã hội số.",
    "Nhiệm vụ, nội dung hoạt động và chế độ báo cáo": "- Hướng dẫn, hỗ trợ người dân thực hiện dịch vụ công trực "
    "tuyến, thanh toán không dùng tiền mặt, tích hợp Sổ sức khỏe điện tử trên ứng dụng VNeID.\n"
    "- Tuyên truyền, vận động người dân đăng ký, kích hoạt tài khoản định danh điện tử VNeID mức độ 2.\n"
    "- Tổ công nghệ số cộng đồng báo cáo tình hình thực hiện nhiệm vụ về UBND {kind} trước ngày 15 tháng cuối quý.",
    "KINH PHÍ": "Kinh phí hoạt động từ ngân sách nhà nước và nguồn kinh phí hợp pháp khác theo quy định của pháp luật.",
}


def plan_prose(commune):
    """PLAN_PROSE in ``commune``'s words: "xã" and "thôn" for a commune, "phường" and "tổ dân phố" for a ward."""
    words = {"kind": commune.kind_word, "villages": commune.village_word}
    return {title: text.format(**words) for title, text in PLAN_PROSE.items()}


def plan_request():
    Indicator.objects.ensure_seed()
    return ensure_request(
        LETTER_NUMBER,
        PLAN,
        letter_date=datetime.date(2025, 12, 2),
        subject="xây dựng Kế hoạch hoạt động của Tổ công nghệ số cộng đồng năm 2026 và báo cáo các chỉ tiêu "
        "chuyển đổi số",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        deadline=at(2026, 1, 8, 17, 0),
        recipients="Sở Khoa học và Công nghệ thành phố (để báo cáo)\nLãnh đạo UBND xã\nCác thôn, Tổ CNSCĐ\nLưu: VT.",
    )


# The denominators the registry does not hold: dossiers of the year, and the adults counted by the
# commune's police; users of online services are the adults who used them.
TYPED_BASES = {
    teams_demo.HA_TAY: {"dossiers": 1250, "adults": 0.76},
    teams_demo.THUONG_HONG: {"dossiers": 980, "adults": 0.74},
    teams_demo.TRAN_HUNG_DAO: {"dossiers": 4310, "adults": 0.81},
}


def indicator_values(commune):
    """{code: figure} of ``commune``, checked as the report form checks what a commune enters."""
    households, population = bases(commune)
    typed = TYPED_BASES[commune.code]
    adults = round(population * typed["adults"]) if population else None
    denominators = {
        Code.HOUSEHOLDS_DIGITAL_SKILLS: households,
        Code.VNEID_LEVEL2: population,
        Code.DOSSIERS_ONLINE: typed["dossiers"],
        Code.ADULTS_E_PAYMENT: adults,
        Code.ADULTS_SMARTPHONE: adults,
        Code.VNEID_ONLINE_SERVICES: round(adults * 0.6) if adults else None,
    }
    names = dict(Indicator.objects.values_list("code", "name"))
    values = {}
    for code, figure in FIGURES[commune.code].items():
        figure, denominator = Decimal(figure), denominators[code]
        if not denominator:
            continue  # the commune does not know the base: it leaves the figure blank
        fraction = figure if figure < 1 else figure / 100
        numerator = Decimal(round(denominator * fraction))
        values[code] = check(names[code], numerator, Decimal(denominator), None)
    return values


def seed_plans():
    """The request and the three communes' plans, sent through the workflow so versions are frozen."""
    report_request = plan_request()
    staff = User.objects.filter(role=Role.PROVINCE, province=report_request.province).first()
    titles = {item["title"]: item["key"] for item in report_request.outline}
    for code, (signer, sent, accepted) in STORY.items():
        commune = Commune.objects.get(code=code)
        if Report.objects.filter(request=report_request, commune=commune).exists():
            continue
        official = User.objects.filter(role=Role.COMMUNE, commune=commune).first()
        report = workflow.start(report_request, commune, official)
        report.signer_name = signer
        report.signer_authority, report.signer_title = "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
        report.issued_on = sent.date()
        report.opening = (
            f"Thực hiện {report_request.citation} của {report_request.issuer} về việc {report_request.subject}, "
            f"Ủy ban nhân dân {commune.name[0].lower()}{commune.name[1:]} ban hành Kế hoạch hoạt động "
            "Tổ công nghệ số cộng đồng trên địa bàn năm 2026, cụ thể như sau:"
        )
        report.closing = (
            "Trên đây là Kế hoạch hoạt động Tổ công nghệ số cộng đồng năm 2026 trên địa bàn. Trong quá trình "
            f"triển khai, nếu có khó khăn, vướng mắc, các {commune.village_word} kịp thời phản ánh về "
            f"UBND {commune.kind_word} để xem xét, chỉ đạo./."
        )
        report.prose = {titles[title]: prose.stored(text) for title, text in plan_prose(commune).items()}
        workflow.save_draft(report, report.revision, indicator_values(commune))
        workflow.submit(report, official)
        if accepted:
            workflow.accept(report, staff)
        backdate(report, sent, accepted)
    return report_request
