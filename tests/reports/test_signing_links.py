"""Signing reached from the report's own page: links per submitted version, signed copies listed."""

import datetime

import lxml.html
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from reports import workflow
from reports.signing import pdf as signing
from tests.reports.signing_data import (
    keep_sent_pdf,
    make_certificate,
    pdf_upload,
    png_upload,
    signed_pdf,
    with_annotation,
)


def parse(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def detail(client, user, report):
    client.force_login(user)
    return parse(client.get(reverse("reports:report_detail", args=[report.pk])))


def box(page, name="signing"):
    """The element with id ``name``, None when the page has none."""
    return page.get_element_by_id(name, None)


def version_item(page, number=1):
    return page.xpath(f"//*[@data-version='{number}']")[0]


def hrefs(element):
    return element.xpath(".//a/@href")


def test_the_official_reaches_the_three_ways_to_sign_from_the_report(client, cast, submitted_x):
    make_certificate(cast.commune_x, with_images=False)
    version = submitted_x.versions.get()
    url = reverse("reports:version_signatures", args=[version.pk])
    page = detail(client, cast.official_x, submitted_x)
    assert hrefs(box(page)) == [f"{url}#ky-so", f"{url}#pdf-da-ky", f"{url}#ban-quet", url]
    assert "Ký số trên cổng" in box(page).text_content()
    # The anchors exist on the signatures page.
    target = parse(client.get(url))
    assert all(box(target, anchor) is not None for anchor in ("ky-so", "pdf-da-ky", "ban-quet"))


def test_without_a_certificate_there_is_no_portal_signing_but_uploads_remain(client, cast, submitted_x):
    page = detail(client, cast.official_x, submitted_x)
    text = box(page).text_content()
    assert "Ký số trên cổng" not in text
    assert "Xã/phường chưa có chứng thư số trên cổng" in text
    assert [link.split("#")[-1] for link in hrefs(box(page))][:2] == ["pdf-da-ky", "ban-quet"]


def test_an_expired_certificate_offers_no_portal_signing(client, cast, submitted_x):
    certificate = make_certificate(cast.commune_x, with_images=False)
    expired = certificate.not_before + datetime.timedelta(days=1)
    type(certificate).objects.filter(pk=certificate.pk).update(not_after=expired)
    text = box(detail(client, cast.official_x, submitted_x)).text_content()
    assert "Ký số trên cổng" not in text and "đã hết hiệu lực" in text


def test_department_staff_only_see_the_signed_copies(client, cast, submitted_x):
    make_certificate(cast.commune_x, with_images=False)
    page = detail(client, cast.staff_p, submitted_x)
    version = submitted_x.versions.get()
    assert hrefs(box(page)) == [reverse("reports:version_signatures", args=[version.pk])]
    assert "Tải lên" not in box(page).text_content()


def test_a_draft_has_nothing_to_sign(client, cast, draft_x):
    assert box(detail(client, cast.official_x, draft_x)) is None


def test_a_returned_report_is_not_offered_for_signing_but_its_versions_keep_their_links(client, cast, submitted_x):
    workflow.return_for_changes(submitted_x, cast.staff_p, "Thiếu số liệu hoạt động.")
    page = detail(client, cast.official_x, submitted_x)
    assert box(page) is None
    version = submitted_x.versions.get()
    assert reverse("reports:version_signatures", args=[version.pk]) in hrefs(version_item(page))


def test_after_sending_again_only_the_new_version_is_offered_for_signing(client, cast, submitted_x):
    workflow.return_for_changes(submitted_x, cast.staff_p, "Thiếu số liệu hoạt động.")
    workflow.submit(submitted_x, cast.official_x)
    first, second = submitted_x.versions.order_by("number")
    page = detail(client, cast.official_x, submitted_x)
    assert "lần gửi 2" in box(page).text_content()
    assert reverse("reports:version_signatures", args=[second.pk]) in hrefs(box(page))
    assert "ký, tải lên bản đã ký" in version_item(page, 2).text_content()
    assert "ký, tải lên bản đã ký" not in version_item(page, 1).text_content()
    assert reverse("reports:version_signatures", args=[first.pk]) in hrefs(version_item(page, 1))


def test_each_version_lists_its_signed_copies_with_their_check_and_a_download(client, cast, submitted_x, trusted_root):
    version = keep_sent_pdf(submitted_x.versions.get())
    client.force_login(cast.official_x)
    for data in (signed_pdf(), with_annotation(signed_pdf())):
        client.post(reverse("reports:version_upload_signed", args=[version.pk]), {"file": pdf_upload(data)})
    client.post(reverse("reports:version_upload_scan", args=[version.pk]), {"file": png_upload()})
    page = detail(client, cast.staff_p, submitted_x)
    item = version_item(page)
    assert sorted(item.xpath(".//*[@data-check]/@data-check")) == ["invalid", "scan", "valid"]
    downloads = [href for href in hrefs(item) if "/tai-ve/" in href]
    assert len(downloads) == 3
    assert "Các bản đã ký (3)" in box(page).text_content()
    assert all(client.get(href).status_code == 200 for href in downloads)


def test_the_report_page_costs_the_same_queries_with_many_versions_and_copies(
    client, cast, submitted_x, django_assert_max_num_queries
):
    """Versions with their signed copies in two queries; one more asks whether the last version
    may be signed (ReportVersion.is_signable), whatever the number of versions."""
    client.force_login(cast.official_x)
    for _ in range(3):
        version = submitted_x.versions.order_by("number").last()
        client.post(reverse("reports:version_upload_scan", args=[version.pk]), {"file": png_upload()})
        workflow.return_for_changes(submitted_x, cast.staff_p, "Bổ sung.")
        workflow.submit(submitted_x, cast.official_x)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("reports:report_detail", args=[submitted_x.pk]))
    assert response.content.decode().count("data-version=") == 4


@pytest.mark.parametrize(("user", "shown"), [("admin", True), ("staff_p", False), ("official_x", False)])
def test_only_the_administrators_menu_links_to_the_certificates(client, cast, user, shown):
    client.force_login(cast.user(user))
    page = parse(client.get(reverse("reports:request_list")))
    assert (reverse("reports:certificate_list") in page.xpath("//nav//a/@href")) is shown


def test_an_unreadable_trust_root_is_a_configuration_error_that_names_the_file(settings, tmp_path):
    broken = tmp_path / "root.pem"
    broken.write_text("không phải chứng thư")
    settings.SIGNING_TRUST_ROOTS = [str(broken)]
    with pytest.raises(ImproperlyConfigured, match="root.pem"):
        signing.trust_roots()
