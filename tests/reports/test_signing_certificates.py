"""Administrators upload each commune's PKCS#12 certificate, with its signature and seal images."""

from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from demo import signing as demo_signing
from reports.models import CommuneCertificate
from tests.reports.signing_data import P12_PASSWORD, SIGNER_NAME, make_certificate, make_document, p12_upload


def upload(client, user, commune, **data):
    client.force_login(user)
    fields = {"p12_file": p12_upload(), "password": P12_PASSWORD, "seal_diameter_mm": 35, **data}
    return client.post(reverse("reports:certificate_upload", args=[commune.pk]), fields)


def png(name, data):
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_an_administrator_uploads_a_certificate_and_its_subject_and_validity_are_shown(client, cast):
    response = upload(
        client,
        cast.admin,
        cast.commune_x,
        signature_image=png("chu-ky.png", demo_signing.signature_png()),
        seal_image=png("con-dau.png", demo_signing.seal_png()),
    )
    assert response.status_code == 302
    certificate = CommuneCertificate.objects.get(commune=cast.commune_x)
    assert certificate.common_name == SIGNER_NAME and certificate.is_current
    assert certificate.uploaded_by == cast.admin
    with certificate.seal_image.open("rb") as seal:
        assert seal.read() == demo_signing.seal_png()
    html = client.get(reverse("reports:certificate_detail", args=[cast.commune_x.pk])).content.decode()
    assert SIGNER_NAME in html and certificate.not_after.strftime("%Y") in html


def test_the_certificate_password_is_never_stored(client, cast):
    upload(client, cast.admin, cast.commune_x)
    certificate = CommuneCertificate.objects.get()
    stored = " ".join(str(getattr(certificate, f.attname)) for f in CommuneCertificate._meta.concrete_fields)
    assert P12_PASSWORD not in stored


def test_a_wrong_password_leaves_no_certificate(client, cast):
    response = upload(client, cast.admin, cast.commune_x, password="sai")
    assert response.status_code == 400
    assert "Mật khẩu không đúng" in response.content.decode()
    assert not CommuneCertificate.objects.exists()


def test_a_seal_of_too_many_pixels_is_refused_however_few_its_bytes(client, cast):
    """The sweep: a PNG of 170 million pixels passed (a few kilobytes), and every signing decoded it
    in full (some 700 MB)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (12000, 3000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    response = upload(client, cast.admin, cast.commune_x, seal_image=png("con-dau.png", out.getvalue()))
    assert response.status_code == 400
    assert "Ảnh quá lớn (12.000 × 3.000 điểm ảnh): tối đa 2.000 × 2.000 điểm ảnh." in response.content.decode()
    assert not CommuneCertificate.objects.exists()


def test_a_seal_that_is_not_a_png_is_refused(client, cast):
    response = upload(client, cast.admin, cast.commune_x, seal_image=png("con-dau.png", b"not an image"))
    assert response.status_code == 400
    assert "Chỉ nhận ảnh PNG." in response.content.decode()
    assert not CommuneCertificate.objects.exists()


def test_uploading_again_replaces_the_communes_certificate(client, cast):
    make_certificate(cast.commune_x)
    other = demo_signing.make_test_p12("UBND xã Hà Tây mới (TEST)", "UBND xã Hà Tây mới (TEST)", "moi")
    response = upload(client, cast.admin, cast.commune_x, p12_file=SimpleUploadedFile("moi.p12", other), password="moi")
    assert response.status_code == 302
    certificate = CommuneCertificate.objects.get()
    assert certificate.common_name == "UBND xã Hà Tây mới (TEST)"
    assert certificate.signature_image  # kept when no new image is given


def test_a_commune_official_may_not_upload_its_own_certificate(client, cast):
    assert upload(client, cast.official_x, cast.commune_x).status_code == 403
    assert not CommuneCertificate.objects.exists()


def test_department_staff_may_not_upload_a_certificate(client, cast):
    assert upload(client, cast.staff_p, cast.commune_x).status_code == 403


def test_uploading_a_certificate_by_get_is_not_allowed(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("reports:certificate_upload", args=[cast.commune_x.pk])).status_code == 405


def test_the_list_finds_communes_to_give_a_certificate(client, cast, django_assert_max_num_queries):
    """One query for the certificates with their communes, one for the search: cheap for 3,321 communes."""
    make_certificate(cast.commune_y)
    client.force_login(cast.admin)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reports:certificate_list"), {"q": "Hà Tây"})
    html = response.content.decode()
    assert "Phường Trần Hưng Đạo" in html
    assert reverse("reports:certificate_detail", args=[cast.commune_x.pk]) in html


def test_seed_demo_gives_ha_tay_a_test_certificate_and_prints_its_password(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    certificate = CommuneCertificate.objects.get(commune__name="Xã Hà Tây", commune__province__code=31)
    assert "(TEST)" in certificate.common_name
    assert certificate.signature_image and certificate.seal_image
    assert demo_signing.DEMO_CERTIFICATE_PASSWORD in out.getvalue()
    call_command("seed_demo", stdout=StringIO())
    assert CommuneCertificate.objects.count() == 1


def test_the_django_admin_shows_certificates_and_signed_documents_read_only(client, cast):
    certificate, document = make_certificate(cast.commune_x), make_document(cast)
    client.force_login(cast.admin)
    for model, obj in (("communecertificate", certificate), ("signeddocument", document)):
        assert client.get(reverse(f"admin:reports_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:reports_{model}_change", args=[obj.pk])).status_code == 200
    assert client.get(reverse("admin:reports_signeddocument_add")).status_code == 403
