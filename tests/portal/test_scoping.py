from reports.models import Indicator
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


def test_the_indicator_catalogue_is_scoped_like_everything_else(cast):
    """portal.scoping decides it too: the national catalogue (scope_shared) for everyone signed in,
    a province's own indicators for that province's people only."""
    Indicator.objects.ensure_seed()
    national = set(Indicator.objects.filter(province__isnull=True).values_list("code", flat=True))
    for code, province in (("rieng_p", cast.province_p), ("rieng_q", cast.province_q)):
        Indicator.objects.create(code=code, name=code, province=province, numerator_label="a", denominator_label="b")

    def codes(user):
        return set(Indicator.objects.visible_to(user).values_list("code", flat=True))

    assert national and codes(cast.admin) == national | {"rieng_p", "rieng_q"}
    for user in (cast.staff_p, cast.official_x, cast.official_y, cast.lead_x):
        assert codes(user) == national | {"rieng_p"}, user
    assert codes(cast.staff_q) == national | {"rieng_q"}
    assert Indicator.objects.visible_to(cast.official_x).count() == len(national) + 1  # no row twice through the joins
    cast.official_x.is_active = False
    assert codes(cast.official_x) == set()
