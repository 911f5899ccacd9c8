from django.urls import reverse

from teams.models import Member

NEW_MEMBER = {
    "full_name": "Lê Thị Hoa",
    "role": "deputy",
    "origin": "women_union",
    "phone": "+84 98.765.4321",
    "gender": "female",
    "birth_year": "1990",
    "trainings": "1",
    "joined_on": "2025-10-01",
}


def test_a_team_lead_adds_a_member_whose_phone_is_normalised(client, cast):
    client.force_login(cast.lead_x)
    response = client.post(reverse("teams:member_add", args=[cast.team_x.pk]), NEW_MEMBER)
    assert response.status_code == 302
    member = Member.objects.get(full_name="Lê Thị Hoa")
    assert (member.team, member.phone, member.role) == (cast.team_x, "0987654321", Member.Role.DEPUTY)


def test_a_bad_phone_is_refused_in_vietnamese_and_what_was_typed_is_kept(client, cast):
    client.force_login(cast.official_x)
    response = client.post(reverse("teams:member_add", args=[cast.team_x.pk]), {**NEW_MEMBER, "phone": "12345"})
    assert response.status_code == 200
    assert "Số điện thoại di động không hợp lệ" in response.content.decode()
    assert "Lê Thị Hoa" in response.content.decode()
    assert not Member.objects.filter(full_name="Lê Thị Hoa").exists()


def test_a_member_who_leaves_stays_in_history_but_no_longer_counts(client, cast):
    client.force_login(cast.official_x)
    data = {**NEW_MEMBER, "full_name": cast.member_x.full_name, "role": "lead", "left_on": "2026-02-01"}
    response = client.post(reverse("teams:member_edit", args=[cast.member_x.pk]), data)
    assert response.status_code == 302
    cast.member_x.refresh_from_db()
    assert str(cast.member_x.left_on) == "2026-02-01"
    assert Member.objects.filter(pk=cast.member_x.pk).active_on(cast.member_x.left_on).count() == 0
    assert Member.objects.filter(pk=cast.member_x.pk).exists()


def test_staff_of_the_province_may_not_edit_a_member(client, cast):
    client.force_login(cast.staff_p)
    response = client.post(reverse("teams:member_edit", args=[cast.member_x.pk]), NEW_MEMBER)
    assert response.status_code == 403


def test_an_official_of_another_commune_does_not_find_the_member(client, cast):
    client.force_login(cast.official_y)
    response = client.post(reverse("teams:member_edit", args=[cast.member_x.pk]), NEW_MEMBER)
    assert response.status_code == 404


def test_the_member_page_shows_who_changed_what_from_which_value_to_which(client, cast):
    client.force_login(cast.official_x)
    data = {**NEW_MEMBER, "full_name": cast.member_x.full_name, "role": "lead", "phone": "0911111111"}
    client.post(reverse("teams:member_edit", args=[cast.member_x.pk]), data)
    page = client.get(reverse("teams:member_detail", args=[cast.member_x.pk])).content.decode()
    assert "số điện thoại: “0912345678” → “0911111111”" in page
    assert "Official X" in page


def test_an_impossible_birth_year_and_leaving_before_joining_are_refused(client, cast):
    client.force_login(cast.official_x)
    data = {**NEW_MEMBER, "birth_year": "1890", "left_on": "2025-09-01"}
    response = client.post(reverse("teams:member_add", args=[cast.team_x.pk]), data)
    page = response.content.decode()
    assert "Năm sinh không hợp lệ." in page and "Ngày rời tổ phải sau ngày tham gia." in page
    assert not Member.objects.filter(full_name="Lê Thị Hoa").exists()


def test_save_and_add_the_next_keeps_the_team_and_opens_an_empty_form(client, cast):
    client.force_login(cast.official_x)
    url = reverse("teams:member_add", args=[cast.team_x.pk])
    assert "Lưu và thêm người tiếp theo" in client.get(url).content.decode()
    response = client.post(url + "?tiep=1", NEW_MEMBER, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Đã thêm thành viên Lê Thị Hoa." in response.content.decode()
    assert response.context["team"] == cast.team_x and not response.context["form"].is_bound
    assert Member.objects.get(full_name="Lê Thị Hoa").team == cast.team_x


def test_a_name_typed_with_extra_spaces_is_the_member_the_import_knows(client, cast):
    """A one-line box keeps single spaces between words, as the Excel import does, so the import's
    duplicate check finds a member typed "Lê  Thị Hoa " in the form; a note keeps its lines."""
    from tests.teams.test_member_excel import confirm, upload, xlsx

    client.force_login(cast.official_x)
    data = {**NEW_MEMBER, "full_name": "  Lê  Thị\u00a0Hoa ", "phone": "0987654321"}
    assert client.post(reverse("teams:member_add", args=[cast.team_x.pk]), data).status_code == 302
    assert Member.objects.filter(full_name="Lê Thị Hoa").count() == 1
    row = ["Tổ CNSCĐ Thôn Đông", "Lê Thị Hoa", "Tổ phó", "Hội Phụ nữ", "0987654321", "Nữ", "1990", "1", "01/10/2025"]
    page = upload(client, cast, xlsx(row)).content.decode()
    assert "đã có, bỏ qua" in page
    confirm(client, cast)
    assert Member.objects.filter(full_name="Lê Thị Hoa").count() == 1
    from django import forms

    from portal.text import CleanTextMixin

    class NoteForm(CleanTextMixin, forms.Form):
        name = forms.CharField()
        notes = forms.CharField(widget=forms.Textarea)

    form = NoteForm({"name": " Thôn \t Đông ", "notes": "Dòng một\r\nDòng  hai"})
    assert form.is_valid() and form.cleaned_data == {"name": "Thôn Đông", "notes": "Dòng một\r\nDòng  hai"}
