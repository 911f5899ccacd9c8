import hashlib

from django.core.management.base import BaseCommand
from django.db import transaction

from reports.models import SignedDocument
from reports.signing import pdf as signing


def verdict(validation):
    """The document's state in the words of the signatures page: "Hợp lệ" only when trusted."""
    result = signing.ValidationResult.from_json(validation)
    if result.state == signing.State.UNVERIFIED:
        return f"{result.headline} ({'; '.join(result.trust_problems)})"
    return result.headline


class Command(BaseCommand):
    help = (
        "Kiểm tra lại chữ ký của mọi tệp PDF ký số đã lưu (ký trên cổng hoặc tải lên) theo các chứng thư gốc "
        "hiện có trong SIGNING_TRUST_ROOTS, ví dụ sau khi thêm chứng thư gốc của Bộ TT&TT hay Ban Cơ yếu, và ghi "
        "kết quả mới để trang báo cáo hiển thị. Mỗi tệp được đối chiếu mã băm SHA-256 lưu khi nhận: tệp bị thay "
        "đổi trên đĩa được báo, không được ghi kết quả. --dry-run chỉ in những gì sẽ thay đổi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ in, không ghi gì.")

    def handle(self, *args, dry_run, **options):
        documents = SignedDocument.objects.exclude(kind=SignedDocument.Kind.SCAN).select_related(
            "version__report__commune"
        )
        checked = changed = 0
        for document in documents:
            where = f"{document.version.report.commune.name}, lần gửi {document.version.number} (tệp #{document.pk})"
            try:
                with document.file.open("rb") as stored:
                    data = stored.read()
            except OSError:  # one file gone from the store stops neither the others nor their results
                self.stderr.write(f"{where}: không đọc được tệp đã lưu (không còn trong kho lưu trữ?).")
                continue
            if hashlib.sha256(data).hexdigest() != document.sha256:
                self.stderr.write(f"{where}: tệp trên đĩa khác tệp đã nhận (mã băm SHA-256 không khớp).")
                continue
            checked += 1
            validation = signing.validate_pdf(data, at=document.uploaded_at).as_json()  # as when received
            if validation == document.validation:
                continue
            changed += 1
            self.stdout.write(f"{where}: {verdict(document.validation)} → {verdict(validation)}")
            if not dry_run:  # each result saved as it is found, whatever happens to the next file
                with transaction.atomic():
                    document.validation = validation
                    document.save(update_fields=["validation"])
        verb = "sẽ đổi" if dry_run else "đã cập nhật"
        self.stdout.write(f"Đã kiểm tra lại {checked} tệp; {verb} kết quả của {changed} tệp.")
