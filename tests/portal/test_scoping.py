from teams.models import Activity, Commune, Member, Team


def names(queryset):
    return sorted(str(obj) for obj in queryset)


def test_each_role_sees_only_its_own_units(cast):
    assert Commune.objects.visible_to(cast.admin).count() == 3
    assert names(Commune.objects.visible_to(cast.staff_p)) == ["Phường Trần Hưng Đạo", "Xã Hà Tây"]
    assert names(Commune.objects.visible_to(cast.staff_q)) == ["Phường Ba Đình"]
    assert names(Commune.objects.visible_to(cast.official_x)) == ["Xã Hà Tây"]
    assert names(Team.objects.visible_to(cast.lead_x)) == ["Tổ CNSCĐ Thôn Đông"]
    assert names(Member.objects.visible_to(cast.official_y)) == ["Trần Thị Bình"]
    assert list(Activity.objects.visible_to(cast.lead_x)) == [cast.activity_x]


def test_an_inactive_user_sees_nothing(cast):
    cast.official_x.is_active = False
    assert not Team.objects.visible_to(cast.official_x).exists()
