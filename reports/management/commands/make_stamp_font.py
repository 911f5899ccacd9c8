from django.core.management.base import BaseCommand

from reports.signing.pdf import FONT_SOURCE, STAMP_FONT, rescale_font


class Command(BaseCommand):
    help = (
        "Tạo lại static/fonts/LiberationSerif-Regular-1000upem.ttf (phông chữ của dấu chữ ký số) từ "
        "LiberationSerif-Regular.ttf, đổi về 1000 đơn vị/em vì pyHanko ghi độ rộng ký tự theo đơn vị của phông."
    )

    def handle(self, *args, **options):
        rescale_font(FONT_SOURCE, STAMP_FONT)
        self.stdout.write(f"Đã tạo {STAMP_FONT}")
