from django.urls import reverse

from teams.models import Member


def test_the_list_finds_members_by_name_or_phone_and_hides_those_who_left(client, cast):
    Member.objects.create(team=cast.team_x, full_name="Vũ Thị Mai", phone="0933000111", left_on="2025-12-01")
    client.force_login(cast.official_x)
    url = reverse("teams:member_list", args=[cast.commune_x.pk])
    assert "Nguyễn Văn An" in client.get(url, {"q": "0912345"}).content.decode()
    assert "Vũ Thị Mai" not in client.get(url).content.decode()
    assert "Vũ Thị Mai" in client.get(url, {"trang_thai": "tat-ca"}).content.decode()
    assert "Trần Thị Bình" not in client.get(url).content.decode()  # commune Y's member


def test_the_member_list_needs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    """Teams are joined in the same query, so 60 members cost what 1 does; the team filter's
    choices are one more query."""
    for n in range(60):
        Member.objects.create(team=cast.team_x, full_name=f"Người {n}")
    client.force_login(cast.official_x)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("teams:member_list", args=[cast.commune_x.pk]))
    assert "Trang 1 / 2" in response.content.decode()
