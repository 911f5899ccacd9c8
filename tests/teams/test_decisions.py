import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teams.models import Decision


def decision_data(cast, file):
    return {
        "kind": "founding",
        "number": "241/QĐ-UBND",
        "signed_on": "2025-09-26",
        "issuer": "UBND xã Hà Tây",
        "teams": [cast.team_x.pk],
        "file": file,
    }


def test_an_official_records_a_signed_founding_decision_that_the_team_page_shows(client, cast):
    client.force_login(cast.official_x)
    pdf = SimpleUploadedFile("qd.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    response = client.post(reverse("teams:decision_add", args=[cast.commune_x.pk]), decision_data(cast, pdf))
    assert response.status_code == 302
    decision = Decision.objects.get(number="241/QĐ-UBND")
    assert list(decision.teams.all()) == [cast.team_x] and decision.commune == cast.commune_x
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert "Quyết định số 241/QĐ-UBND ngày 26/09/2025 của UBND xã Hà Tây" in page


def test_a_file_that_is_not_a_pdf_is_refused(client, cast):
    client.force_login(cast.official_x)
    fake = SimpleUploadedFile("qd.pdf", b"PK\x03\x04 a zip", content_type="application/pdf")
    response = client.post(reverse("teams:decision_add", args=[cast.commune_x.pk]), decision_data(cast, fake))
    assert "Tệp không phải PDF" in response.content.decode()
    assert not Decision.objects.exists()


def test_an_over_size_pdf_is_refused(client, cast, settings):
    settings.MAX_UPLOAD_BYTES = 100
    client.force_login(cast.official_x)
    big = SimpleUploadedFile("qd.pdf", b"%PDF-" + b"x" * 200, content_type="application/pdf")
    response = client.post(reverse("teams:decision_add", args=[cast.commune_x.pk]), decision_data(cast, big))
    assert "Tệp quá lớn" in response.content.decode()
    assert not Decision.objects.exists()


def test_staff_of_the_province_may_not_record_a_decision(client, cast):
    client.force_login(cast.staff_p)
    response = client.post(reverse("teams:decision_add", args=[cast.commune_x.pk]), decision_data(cast, ""))
    assert response.status_code == 403


def recorded_decision(client, cast):
    client.force_login(cast.official_x)
    pdf = SimpleUploadedFile("qd.pdf", b"%PDF-1.7\nthe first scan", content_type="application/pdf")
    client.post(reverse("teams:decision_add", args=[cast.commune_x.pk]), decision_data(cast, pdf))
    return Decision.objects.get(number="241/QĐ-UBND")


def downloaded(client, decision):
    response = client.get(reverse("teams:decision_file", args=[decision.pk]))
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_an_official_corrects_a_decision_and_replaces_its_signed_file(client, cast, django_capture_on_commit_callbacks):
    """The correction is a new version: the first one, its number, teams and signed file, is kept."""
    decision = recorded_decision(client, cast)
    old_name = decision.file.name
    new_pdf = SimpleUploadedFile("qd-moi.pdf", b"%PDF-1.7\nthe signed copy", content_type="application/pdf")
    data = {**decision_data(cast, new_pdf), "kind": "recomposition", "number": "245/QĐ-UBND"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teams:decision_edit", args=[decision.pk]), data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.kind, decision.number) == ("recomposition", "245/QĐ-UBND")
    assert downloaded(client, decision) == b"%PDF-1.7\nthe signed copy"
    versions = list(decision.history.order_by("history_date", "history_id"))
    first, latest = [v for v in versions if v.number == "241/QĐ-UBND"][-1], versions[-1]
    assert (first.number, first.kind, first.file) == ("241/QĐ-UBND", "founding", old_name)
    assert [team.team_id for team in first.teams.all()] == [cast.team_x.pk]
    assert (latest.number, latest.history_user) == ("245/QĐ-UBND", cast.official_x)
    with decision.file.storage.open(first.file, "rb") as kept:
        assert kept.read() == b"%PDF-1.7\nthe first scan"


def test_editing_without_a_new_file_keeps_the_old_one(client, cast):
    decision = recorded_decision(client, cast)
    client.post(reverse("teams:decision_edit", args=[decision.pk]), {**decision_data(cast, ""), "issuer": "UBND xã"})
    decision.refresh_from_db()
    assert decision.issuer == "UBND xã"
    assert downloaded(client, decision) == b"%PDF-1.7\nthe first scan"


def test_a_replacement_that_is_not_a_pdf_is_refused_and_the_old_file_stays(client, cast):
    decision = recorded_decision(client, cast)
    fake = SimpleUploadedFile("qd.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(reverse("teams:decision_edit", args=[decision.pk]), decision_data(cast, fake))
    assert "Tệp không phải PDF" in response.content.decode()
    assert downloaded(client, decision) == b"%PDF-1.7\nthe first scan"


def test_the_signed_file_is_served_only_to_those_who_see_the_decision(client, cast):
    decision = recorded_decision(client, cast)
    client.force_login(cast.lead_x)  # the lead of a team the decision founds
    assert downloaded(client, decision) == b"%PDF-1.7\nthe first scan"
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert reverse("teams:decision_file", args=[decision.pk]) in page
    assert decision.file.url not in page  # media URLs are not scoped
    for user in ("official_y", "staff_q"):
        client.force_login(cast.user(user))
        assert client.get(reverse("teams:decision_file", args=[decision.pk])).status_code == 404
        assert client.get(reverse("teams:decision_edit", args=[decision.pk])).status_code == 404


def test_a_decision_without_a_file_has_nothing_to_download(client, cast):
    client.force_login(cast.official_x)
    client.post(reverse("teams:decision_add", args=[cast.commune_x.pk]), decision_data(cast, ""))
    decision = Decision.objects.get()
    assert client.get(reverse("teams:decision_file", args=[decision.pk])).status_code == 404


def test_a_number_not_in_the_decree_s_form_is_refused_and_what_was_typed_is_kept(client, cast):
    client.force_login(cast.official_x)
    pdf = SimpleUploadedFile("qd.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    data = {**decision_data(cast, pdf), "number": "quyết định 241"}
    response = client.post(reverse("teams:decision_add", args=[cast.commune_x.pk]), data)
    page = response.content.decode()
    assert "Số quyết định cần có dạng 241/QĐ-UBND." in page and 'value="quyết định 241"' in page
    assert not Decision.objects.exists()


def test_a_teams_page_adds_a_decision_of_that_team_and_comes_back_to_it(client, cast):
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    url = reverse("teams:decision_add", args=[cast.commune_x.pk]) + f"?to={cast.team_x.pk}"
    assert f'href="{url}"' in page
    form = client.get(url).content.decode()
    assert re.search(rf'name="teams" value="{cast.team_x.pk}"[^>]* checked', form)
    response = client.post(url, decision_data(cast, ""))
    assert response.url == reverse("teams:team_detail", args=[cast.team_x.pk])
    assert "241/QĐ-UBND" in client.get(response.url).content.decode()
    other = reverse("teams:decision_add", args=[cast.commune_x.pk]) + f"?to={cast.team_y.pk}"  # not X's team
    assert f'value="{cast.team_y.pk}"' not in client.get(other).content.decode()
    client.force_login(cast.staff_p)
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert "Thêm quyết định của tổ" not in page
