from io import StringIO

from django.core.management import call_command

from teams.models import Commune, Province, Village


def run():
    out = StringIO()
    call_command("import_admin_units", stdout=out)
    return out.getvalue()


def test_it_loads_34_provinces_and_3321_communes_and_changes_nothing_the_second_time(db):
    run()
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert Commune.objects.filter(kind="dac_khu").count() == 13
    assert Commune.objects.get(code=10846).name == "Xã Hà Tây"
    assert "Không có thay đổi." in run()
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_a_rerun_restores_a_changed_name_and_says_so(db):
    run()
    Commune.objects.filter(code=10846).update(name="Xã Hà Tây Cũ")
    output = run()
    assert "Xã Hà Tây Cũ" in output and "Xã Hà Tây" in output
    assert Commune.objects.get(code=10846).name == "Xã Hà Tây"


def test_a_unit_gone_from_the_package_is_closed_not_deleted(db):
    run()
    hai_phong = Province.objects.get(code=31)
    gone = Commune.objects.create(province=hai_phong, code=999999, name="Xã Đã Nhập", codename="xa_da_nhap", kind="xa")
    Village.objects.create(commune=gone, name="Thôn Cũ")
    output = run()
    gone.refresh_from_db()
    assert gone.closed_on is not None
    assert "Đóng: Xã Đã Nhập" in output
    assert gone.villages.count() == 1


def test_a_province_gone_from_the_package_is_closed_not_deleted(db):
    run()
    merged = Province.objects.create(code=99, name="Tỉnh Đã Hợp Nhất", codename="tinh_cu", division_type="tỉnh")
    output = run()
    merged.refresh_from_db()
    assert merged.closed_on is not None and "Đóng: " in output and "Tỉnh Đã Hợp Nhất (99)" in output
    assert Province.objects.filter(closed_on__isnull=True).count() == 34


def test_a_renumbered_commune_keeps_its_row_and_villages(db):
    run()
    ha_tay = Commune.objects.get(code=10846)
    Village.objects.create(commune=ha_tay, name="Thôn Đông")
    Commune.objects.filter(pk=ha_tay.pk).update(code=555555)
    run()
    ha_tay.refresh_from_db()
    assert ha_tay.code == 10846
    assert ha_tay.villages.count() == 1
    assert Commune.objects.count() == 3321


def test_dry_run_writes_nothing(db):
    call_command("import_admin_units", "--dry-run", stdout=StringIO())
    assert Province.objects.count() == 0
