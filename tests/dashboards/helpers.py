import datetime

from django.utils import timezone

from reports.models import ReportRequest

DEADLINE = timezone.make_aware(datetime.datetime(2026, 2, 10, 17, 0))


def make_request(cast, communes=None):
    request = ReportRequest.objects.create(
        province=cast.province_p,
        letter_number="123/SKHCN-CNTT",
        letter_date=datetime.date(2026, 1, 20),
        subject="Báo cáo hoạt động Tổ CNSCĐ tháng 01/2026",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 1, 31),
        deadline=DEADLINE,
    )
    request.communes.set(communes or [cast.commune_x, cast.commune_y])
    return request
