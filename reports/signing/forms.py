import io

from django import forms
from django.conf import settings
from PIL import Image

from portal.sandbox import TooCostly, run_limited
from portal.text import strip_text
from portal.uploads import too_large
from portal.vietnamese import number
from reports.models import CommuneCertificate
from reports.signing import pdf as signing

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_STAMP_SIDE = 2000  # pixels, each side of a signature or seal image


def read_upload(upload):
    """The uploaded file's bytes, refused with a Vietnamese message when over the size limit."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(too_large())
    upload.seek(0)
    return upload.read()


def image_format(data):
    """'PNG' or 'JPEG' when ``data`` is such an image Pillow can read, else None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format if image.format in IMAGE_FORMATS else None
    except Exception:
        return None


class UploadedDocument:
    """What a valid upload carries into SignedDocument: bytes, name, type and, for PDFs, the check."""

    def __init__(self, upload, data, content_type, validation=None):
        self.name = strip_text(upload.name)[:255]  # NFC, no control characters (portal/text.py)
        self.data = data
        self.content_type = content_type
        self.validation = validation or {}


class ScanUploadForm(forms.Form):
    file = forms.FileField(
        label="Bản quét (PDF, PNG hoặc JPEG)",
        help_text="Bản in đã ký tay và đóng dấu, quét hoặc chụp lại.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        data = read_upload(upload)
        if data.startswith(b"%PDF-"):
            return UploadedDocument(upload, data, "application/pdf")
        kind = image_format(data)
        if kind is None:
            raise forms.ValidationError("Chỉ nhận tệp PDF hoặc ảnh PNG, JPEG.")
        return UploadedDocument(upload, data, IMAGE_FORMATS[kind])


NOT_THE_REPORT = (
    "Tệp này không phải là báo cáo đã gửi: phần được ký phải đúng là tệp PDF của lần gửi này tải về từ cổng, "
    "không sửa gì. Hãy tải tệp PDF của lần gửi này về, ký số đúng tệp đó rồi tải lên lại."
)


UNSIGNED = "Tệp PDF này không có chữ ký số. Bản in ký tay thì tải lên ở mục bản quét."
TOO_COSTLY = (
    "Không kiểm tra được chữ ký của tệp PDF này: đọc tệp cần quá nhiều bộ nhớ hoặc thời gian, tệp có thể bị hỏng. "
    "Hãy ký số lại đúng tệp PDF tải về từ cổng rồi tải lên lại."
)


class SignedPdfUploadForm(forms.Form):
    """A PDF signed elsewhere; ``original`` is the exact PDF of the version sent, which it must sign."""

    file = forms.FileField(
        label="Tệp PDF đã ký số",
        help_text="Tải tệp PDF của lần gửi này về, ký bằng phần mềm ký số của USB token, rồi tải lên đây.",
    )

    def __init__(self, *args, original=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = original

    def clean_file(self):
        upload = self.cleaned_data["file"]
        data = read_upload(upload)
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError("Tệp này không phải PDF.")
        # The cheap checks first: only the report as sent, with something appended, is parsed at all.
        if data == self.original:
            raise forms.ValidationError(UNSIGNED)
        if self.original is None or not data.startswith(self.original):
            raise forms.ValidationError(NOT_THE_REPORT)
        try:
            result, signs_original = run_limited(signing.check_upload, data, self.original)
        except TooCostly:
            raise forms.ValidationError(TOO_COSTLY) from None
        if result.problem:
            raise forms.ValidationError("Không đọc được tệp PDF này; tệp có thể bị hỏng.")
        if not result.signatures:
            raise forms.ValidationError(UNSIGNED)
        if not signs_original:
            raise forms.ValidationError(NOT_THE_REPORT)
        return UploadedDocument(upload, data, "application/pdf", result.as_json())


class PortalSignForm(forms.Form):
    password = forms.CharField(
        label="Mật khẩu chứng thư số",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Mật khẩu chỉ dùng cho lần ký này, cổng không lưu lại.",
    )


class CertificateForm(forms.ModelForm):
    field_order = ["p12_file", "password", "signature_image", "seal_image", "seal_diameter_mm"]
    p12_file = forms.FileField(label="Tệp chứng thư số (.p12, .pfx)")
    password = forms.CharField(
        label="Mật khẩu của tệp",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Chỉ dùng để đọc thông tin chứng thư; cổng không lưu mật khẩu.",
    )

    class Meta:
        model = CommuneCertificate
        fields = ["signature_image", "seal_image", "seal_diameter_mm"]
        help_texts = {
            "signature_image": "Ảnh PNG nền trong suốt, mực xanh.",
            "seal_image": "Ảnh PNG nền trong suốt, mực đỏ; in theo đường kính bên dưới.",
        }

    def clean_signature_image(self):
        return self._clean_png("signature_image")

    def clean_seal_image(self):
        return self._clean_png("seal_image")

    def _clean_png(self, name):
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "content_type"):
            data = read_upload(upload)
            if image_format(data) != "PNG":
                raise forms.ValidationError("Chỉ nhận ảnh PNG.")
            # Decoded in full at every signing (reports/signing/pdf.py): its pixels are bounded, not
            # only its bytes (a PNG of 170 million pixels fits in a few kilobytes).
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
            if width > MAX_STAMP_SIDE or height > MAX_STAMP_SIDE:
                raise forms.ValidationError(
                    f"Ảnh quá lớn ({number(width)} × {number(height)} điểm ảnh): tối đa "
                    f"{number(MAX_STAMP_SIDE)} × {number(MAX_STAMP_SIDE)} điểm ảnh."
                )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, password = cleaned.get("p12_file"), cleaned.get("password")
        if upload is not None and password is not None:
            try:
                self.instance.set_p12(read_upload(upload), password)
            except signing.WrongPassword:
                self.add_error("password", "Mật khẩu không đúng hoặc tệp không phải chứng thư số PKCS#12.")
            except forms.ValidationError as error:
                self.add_error("p12_file", error)
        return cleaned
