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
    assert "Quyết định số 241/QĐ-UBND ngày 26/9/2025 của UBND xã Hà Tây" in page


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
