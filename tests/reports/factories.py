"""Small helpers that make report requests and registries for the reports tests."""

import datetime

from django.utils import timezone

from reports import workflow
from reports.models import Indicator, ReportRequest
from reports.outlines import STATUS_REPORT
from teams.models import Decision, Member, Team, Village


def fill_commune(cast, villages=14, members_per_team=5):
    """Commune X as seed 000 describes Hà Tây: 14 villages, one team each, 70 members, one decision."""
    commune = cast.commune_x
    for n in range(2, villages + 1):
        village = Village.objects.create(commune=commune, name=f"Thôn số {n}", households=100)
        Team.objects.create(commune=commune, village=village, name=f"Tổ CNSCĐ thôn số {n}")
    Village.objects.filter(pk=cast.village_x.pk).update(households=100)
    for team in Team.objects.filter(commune=commune):
        for n in range(team.members.count(), members_per_team):
            Member.objects.create(team=team, full_name=f"Thành viên {team.pk}-{n}", trainings=n % 2)
    decision = Decision.objects.create(
        commune=commune,
        number="241/QĐ-UBND",
        signed_on=datetime.date(2025, 9, 26),
        issuer="UBND xã Hà Tây",
    )
    decision.teams.set(Team.objects.filter(commune=commune))
    Team.objects.filter(commune=commune).update(zalo_planned_month=datetime.date(2026, 1, 1))


def make_request(cast, outline=STATUS_REPORT, deadline=None):
    Indicator.objects.ensure_seed()  # emptied by the browser tests' flush, which migrations do not refill
    report_request = ReportRequest.objects.create(
        province=cast.province_p,
        letter_number="4675/SKHCN-CNTT",
        letter_date=datetime.date(2025, 12, 19),
        subject="thúc đẩy, phát huy hiệu quả của các Tổ công nghệ số cộng đồng trong hỗ trợ người dân",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2026, 3, 31),
        deadline=deadline or timezone.now() + datetime.timedelta(days=7),
        report_subject=outline["subject"],
        document_type=outline["document_type"],
        numbering=outline["numbering"],
        recipients="Sở Khoa học và Công nghệ thành phố (b/c)\nLãnh đạo UBND xã\nLưu: VT, VHXH",
        created_by=cast.staff_p,
    )
    report_request.communes.set([cast.commune_x, cast.commune_y])
    report_request.set_outline(outline["sections"])
    return report_request


def report_x(cast):
    """Commune X's report of the first request of province P (both made when missing)."""
    report_request = ReportRequest.objects.filter(province=cast.province_p).first() or make_request(cast)
    return workflow.start(report_request, cast.commune_x, cast.official_x)


def version_x(cast):
    """The first submitted version of commune X's report."""
    report = report_x(cast)
    return report.versions.first() or workflow.submit(report, cast.official_x)


def outline_data(sections):
    """POST data of the outline editor for ``sections`` (dicts with key, kind, title, guidance, and
    optionally level and DELETE), in the order given."""
    data = {"form-TOTAL_FORMS": len(sections), "form-INITIAL_FORMS": len(sections)}
    for n, item in enumerate(sections):
        for name in ("key", "kind", "title", "guidance", "level"):
            data[f"form-{n}-{name}"] = item.get(name, "")
        data[f"form-{n}-ORDER"] = n + 1
        if item.get("DELETE"):
            data[f"form-{n}-DELETE"] = "on"
    return data
