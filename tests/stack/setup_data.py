"""The stack test's data: one province, 200 communes with an official each, 20 team leads, two
report requests (one the officials answer, one the reminders are about) and a department user.

Run with the stack's DATABASE_URL: python -m tests.stack.setup_data COMMUNES LEADS; prints JSON."""

import datetime
import json
import sys

import django


def build(communes, leads):
    from django.utils import timezone

    from portal.models import Role, User
    from reports.models import ReportRequest
    from reports.outlines import STATUS_REPORT
    from teams.models import Commune, Province, Team, Village

    password = "Stack-Test-2026"
    province = Province.objects.create(
        code=31, name="Thành phố Hải Phòng", codename="hai_phong", division_type="thành phố"
    )
    rows = [
        Commune(province=province, code=20000 + n, name=f"Xã Thử Tải {n:03d}", codename=f"xa_{n}", kind="xa")
        for n in range(communes)
    ]
    Commune.objects.bulk_create(rows)
    rows = list(Commune.objects.filter(province=province).order_by("code"))

    def user(username, role, **units):
        account = User(username=username, full_name=username, role=role, email=f"{username}@example.vn", **units)
        account.set_password(password)
        return account

    # bulk_create skips User.save(), which fills the wider units: give them here, as the database requires.
    User.objects.bulk_create(
        [user(f"xa{n:03d}", Role.COMMUNE, commune=c, province=province) for n, c in enumerate(rows)]
    )
    teams = []
    for commune in rows[:leads]:
        village = Village.objects.create(commune=commune, name="Thôn Một", households=100)
        teams.append(Team.objects.create(commune=commune, village=village, name="Tổ CNSCĐ Thôn Một"))
    User.objects.bulk_create(
        [user(f"to{n:03d}", Role.TEAM_LEAD, commune=t.commune, team=t, province=province) for n, t in enumerate(teams)]
    )
    staff = user("so.haiphong", Role.PROVINCE, province=province)
    staff.save()
    viewer = user("so.xem", Role.PROVINCE, province=province)
    viewer.save()

    def request(letter):
        req = ReportRequest.objects.create(
            province=province,
            letter_number=letter,
            letter_date=datetime.date(2026, 11, 20),
            subject="thử tải cổng",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 11, 30),
            deadline=timezone.now() + datetime.timedelta(days=7),
            report_subject=STATUS_REPORT["subject"],
            document_type=STATUS_REPORT["document_type"],
            numbering=STATUS_REPORT["numbering"],
            recipients="Sở Khoa học và Công nghệ",
            created_by=staff,
        )
        req.communes.set(rows)
        req.set_outline(STATUS_REPORT["sections"])
        return req

    answered, reminded = request("1/SKHCN-TT"), request("2/SKHCN-TT")
    return {
        "password": password,
        "province": province.pk,
        "answered_request": answered.pk,
        "reminded_request": reminded.pk,
        "officials": [f"xa{n:03d}" for n in range(communes)],
        "leads": [[f"to{n:03d}", t.pk] for n, t in enumerate(teams)],
        "staff": "so.haiphong",
        "viewer": "so.xem",
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(build(int(sys.argv[1]), int(sys.argv[2]))))
