from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu vào cơ sở dữ liệu và kho tệp còn trống."

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by manage.py backup")

    def handle(self, *args, file, **options):
        try:
            restore(file, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục từ {file}"))
