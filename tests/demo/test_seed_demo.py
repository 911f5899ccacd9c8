from io import StringIO

from django.core.management import call_command

from demo.seed import DEMO_PASSWORD
from portal.models import User
from teams.models import Commune, Team, Village


def test_seed_demo_prints_logins_that_work_and_can_run_twice(client, db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    output = out.getvalue()
    assert "xa.hatay" in output and DEMO_PASSWORD in output
    ha_tay = Commune.objects.get(name="Xã Hà Tây", province__code=31)
    assert Village.objects.filter(commune=ha_tay).count() == 14
    assert Team.objects.filter(commune=ha_tay, level=Team.Level.VILLAGE).count() == 14
    assert User.objects.filter(username="xa.hatay").count() == 1
    assert client.login(username="xa.hatay", password=DEMO_PASSWORD)


def test_seed_demo_gives_the_hai_phong_department_an_onboarding_file_that_previews_cleanly(client, db, settings):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    output = out.getvalue()
    assert "/tai-khoan/" in output
    path = settings.MEDIA_ROOT / "demo" / "tai-khoan-hai-phong.xlsx"
    assert str(path) in output
    client.force_login(User.objects.get(username="so.haiphong"))
    province = User.objects.get(username="so.haiphong").province
    with open(path, "rb") as upload:
        page = client.post(f"/tai-khoan/tinh/{province.pk}/nhap-excel/", {"file": upload}).content.decode()
    assert "Sẽ tạo 3 tài khoản" in page
