"""Signing a submitted report version: a scan, a PDF signed elsewhere, or signing in the portal."""

import functools
import hashlib
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal import permissions
from portal.uploads import stored_file_response
from reports.models import CommuneCertificate, ReportVersion, SignedDocument
from reports.rendering import version_pdf
from reports.signing import pdf as signing
from reports.signing.forms import CertificateForm, PortalSignForm, ScanUploadForm, SignedPdfUploadForm
from teams.models import Commune

logger = logging.getLogger(__name__)


def version_for(user, pk):
    """The submitted version ``pk`` if ``user`` may see it (404 otherwise), with what its pages and
    signing read: the report, its request, and the commune with its province (the signing place)."""
    versions = ReportVersion.objects.visible_to(user).select_related("report__commune__province", "report__request")
    return get_object_or_404(versions, pk=pk)


def signable(view):
    """Gives ``view`` the submitted version ``pk`` once ``request.user`` may sign it (404 or 403
    otherwise); a version that can no longer be signed sends the user back to its signatures
    with why."""

    @functools.wraps(view)
    def signing_view(request, pk):
        version = version_for(request.user, pk)
        permissions.require(request.user, "report.sign")
        if not version.is_signable:
            messages.error(request, version.signing_refusal)
            return redirect("reports:version_signatures", pk=version.pk)
        return view(request, version)

    return signing_view


def signing_options(user, commune_id):
    """What the report pages offer ``user`` for a commune's versions: ``can_sign`` (upload a scan
    or a signed PDF), ``certificate`` (the commune's, or None) and ``can_sign_in_portal`` (with it)."""
    can_sign = permissions.can(user, "report.sign")
    certificate = CommuneCertificate.objects.filter(commune=commune_id).first()
    return {
        "can_sign": can_sign,
        "certificate": certificate,
        "can_sign_in_portal": can_sign and certificate is not None and certificate.is_current,
    }


def _signatures_page(request, version, status=200, **forms):
    context = {
        "version": version,
        "documents": version.signed_documents.select_related("uploaded_by"),
        **signing_options(request.user, version.report.commune_id),
        "scan_form": forms.get("scan_form") or ScanUploadForm(),
        "pdf_form": forms.get("pdf_form") or SignedPdfUploadForm(),
        "sign_form": forms.get("sign_form") or PortalSignForm(),
    }
    return render(request, "reports/signing/signatures.html", context, status=status)


def _store(version, user, kind, name, data, content_type, validation=None):
    document = SignedDocument(
        version=version,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        validation=validation or {},
        uploaded_by=user,
    )
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document


@login_required
def version_signatures(request, pk):
    return _signatures_page(request, version_for(request.user, pk))


@login_required
@require_POST
@signable
def version_upload_scan(request, version):
    form = ScanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _signatures_page(request, version, status=400, scan_form=form)
    upload = form.cleaned_data["file"]
    _store(version, request.user, SignedDocument.Kind.SCAN, upload.name, upload.data, upload.content_type)
    messages.success(request, "Đã lưu bản quét có chữ ký và con dấu.")
    return redirect("reports:version_signatures", pk=version.pk)


@login_required
@require_POST
@signable
def version_upload_signed(request, version):
    form = SignedPdfUploadForm(request.POST, request.FILES, original=version_pdf(version))
    if not form.is_valid():
        return _signatures_page(request, version, status=400, pdf_form=form)
    upload = form.cleaned_data["file"]
    document = _store(
        version,
        request.user,
        SignedDocument.Kind.EXTERNAL,
        upload.name,
        upload.data,
        upload.content_type,
        upload.validation,
    )
    result = document.result
    if result.state == signing.State.VALID:
        messages.success(request, "Đã lưu tệp PDF ký số. Hợp lệ: chữ ký đúng, người ký đã được xác minh.")
    elif result.state == signing.State.UNVERIFIED:
        why = "; ".join(result.trust_problems)
        messages.warning(
            request,
            f"Đã lưu tệp PDF ký số. Tài liệu không bị thay đổi sau khi ký, nhưng chưa xác minh được người ký: {why}.",
        )
    else:
        messages.warning(request, "Đã lưu tệp PDF, nhưng chữ ký không hợp lệ hoặc tài liệu đã bị thay đổi sau khi ký.")
    return redirect("reports:version_signatures", pk=version.pk)


def _paused_message(certificate):
    until = timezone.localtime(certificate.paused_until)
    return (
        f"Đã nhập sai mật khẩu {certificate.WRONG_PASSWORD_LIMIT} lần liên tiếp: ký số bằng chứng thư này "
        f"tạm khóa đến {until:%H:%M} ngày {until:%d/%m/%Y}. Nếu không nhớ mật khẩu, đề nghị liên hệ quản trị hệ thống."
    )


@login_required
@require_POST
@signable
def version_sign(request, version):
    certificate = CommuneCertificate.objects.filter(commune=version.report.commune_id).first()
    if certificate is None or not certificate.is_current:
        messages.error(request, "Xã/phường chưa có chứng thư số còn hiệu lực; đề nghị quản trị hệ thống tải lên.")
        return redirect("reports:version_signatures", pk=version.pk)
    form = PortalSignForm(request.POST)
    if not form.is_valid():
        return _signatures_page(request, version, status=400, sign_form=form)
    if certificate.paused():
        form.add_error("password", _paused_message(certificate))
        return _signatures_page(request, version, status=429, sign_form=form)
    try:
        signed = signing.sign_pdf(
            version_pdf(version),
            bytes(certificate.p12),
            form.cleaned_data["password"],
            signature_image=_read(certificate.signature_image),
            seal_image=_read(certificate.seal_image),
            organisation=certificate.stamp_organisation,
            location=f"{version.report.commune.short_name}, {version.report.commune.province.short_name}",
            seal_mm=certificate.seal_diameter_mm,
            signed_at=timezone.now(),
        )
    except signing.WrongPassword:
        certificate = certificate.password_refused()
        logger.warning("Wrong certificate password for commune %s by user %s", certificate.commune_id, request.user.pk)
        message = "Mật khẩu chứng thư số không đúng. Chưa ký, chưa lưu gì."
        if certificate.paused():
            message = f"{message} {_paused_message(certificate)}"
        else:
            left = certificate.WRONG_PASSWORD_LIMIT - certificate.wrong_passwords
            message = f"{message} Còn {left} lần thử trước khi ký số bằng chứng thư này bị tạm khóa."
        form.add_error("password", message)
        return _signatures_page(request, version, status=400, sign_form=form)
    except signing.SigningError:
        # pyHanko refusing the key or the document is the certificate's or the file's problem,
        # not a crash: the official is told, nothing is stored, and the details go to the log.
        logger.warning("Signing version %s failed", version.pk, exc_info=True)
        form.add_error(
            None,
            "Không ký số được báo cáo bằng chứng thư số này. Chưa ký, chưa lưu gì; đề nghị liên hệ quản trị hệ thống.",
        )
        return _signatures_page(request, version, status=400, sign_form=form)
    certificate.password_accepted()
    name = f"bao-cao-{version.report.commune.codename}-lan-{version.number}-da-ky.pdf"
    validation = signing.validate_pdf(signed).as_json()
    _store(version, request.user, SignedDocument.Kind.PORTAL, name, signed, "application/pdf", validation)
    messages.success(request, "Đã ký số báo cáo bằng chứng thư số của xã/phường.")
    return redirect("reports:version_signatures", pk=version.pk)


def _read(field):
    if not field:
        return None
    with field.open("rb") as image:
        return image.read()


@login_required
def signed_document_download(request, pk):
    document = get_object_or_404(SignedDocument.objects.visible_to(request.user), pk=pk)
    return stored_file_response(document.file.open("rb"), document.original_name, document.content_type)


@login_required
def certificate_list(request):
    permissions.require(request.user, "certificate.manage")
    query = request.GET.get("q", "").strip()
    communes = Commune.objects.open_on().select_related("province").filter(name__icontains=query)[:30] if query else []
    certificates = CommuneCertificate.objects.select_related("commune__province")
    context = {"certificates": certificates, "communes": communes, "query": query}
    return render(request, "reports/signing/certificate_list.html", context)


@login_required
def certificate_detail(request, commune_pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), pk=commune_pk)
    permissions.require(request.user, "certificate.manage")
    certificate = CommuneCertificate.objects.filter(commune=commune).first()
    context = {"commune": commune, "certificate": certificate, "form": CertificateForm()}
    return render(request, "reports/signing/certificate_detail.html", context)


@login_required
@require_POST
def certificate_upload(request, commune_pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), pk=commune_pk)
    permissions.require(request.user, "certificate.manage")
    certificate = CommuneCertificate.objects.filter(commune=commune).first() or CommuneCertificate(commune=commune)
    form = CertificateForm(request.POST, request.FILES, instance=certificate)
    if not form.is_valid():
        stored = CommuneCertificate.objects.filter(commune=commune).first()  # not the half-changed instance
        context = {"commune": commune, "certificate": stored, "form": form}
        return render(request, "reports/signing/certificate_detail.html", context, status=400)
    certificate = form.save(commit=False)
    certificate.uploaded_by, certificate.uploaded_at = request.user, timezone.now()
    certificate.save()
    messages.success(request, f"Đã lưu chứng thư số của {commune}: {certificate.common_name}.")
    return redirect("reports:certificate_detail", commune_pk=commune.pk)
