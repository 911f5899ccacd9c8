from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và mọi tệp đã tải lên vào một tệp .tar (kèm SHA-256 của từng phần)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. /var/backups/cnscd/2026-12-01.tar")

    def handle(self, *args, file, **options):
        try:
            backup(file, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu vào {file}"))
