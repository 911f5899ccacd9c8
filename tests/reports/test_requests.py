"""Department staff create requests; communes see theirs; the department follows who reported."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from reports import workflow
from reports.models import ReportRequest
from teams.models import Commune
from tests.reports.factories import make_request
from tests.reports.matrix import request_data


def test_department_staff_create_a_request_from_a_built_in_outline(client, cast):
    client.force_login(cast.staff_p)
    data = {**request_data(cast), "communes": [cast.commune_x.pk, cast.commune_y.pk], "outline_name": "plan"}
    response = client.post(reverse("reports:request_create"), data)
    report_request = ReportRequest.objects.get(letter_number="12/SKHCN-CNTT")
    assert response.status_code == 302
    assert report_request.province == cast.province_p and report_request.created_by == cast.staff_p
    assert timezone.localtime(report_request.deadline).replace(tzinfo=None) == datetime.datetime(2026, 4, 5, 17, 0)
    assert set(report_request.communes.all()) == {cast.commune_x, cast.commune_y}
    assert [s["key"] for s in report_request.outline] == [f"s{n}" for n in range(1, 12)]
    assert report_request.document_type == "KH" and report_request.numbering == "roman"
    assert report_request.targets.count() == 5


def test_the_form_ticks_no_commune_at_first_and_lists_them_in_vietnamese_order(client, cast):
    Commune.objects.create(province=cast.province_p, code=11001, name="Xã Đan Điền", codename="d", kind="xa")
    Commune.objects.create(province=cast.province_p, code=11002, name="Xã Dương Kinh", codename="e", kind="xa")
    client.force_login(cast.staff_p)
    response = client.get(reverse("reports:request_create"))
    form = response.context["form"]
    assert "communes" not in form.initial
    assert [label for _, label in form.fields["communes"].choices] == [
        "Phường Trần Hưng Đạo",
        "Xã Dương Kinh",
        "Xã Đan Điền",
        "Xã Hà Tây",
    ]
    page = response.content.decode()
    assert "Chọn tất cả" in page and "Bỏ chọn tất cả" in page and "data-checklist-search" in page
    assert not re.search(r'type="checkbox"[^>]*\schecked', page)


def test_a_period_that_ends_before_it_starts_is_refused_and_the_typing_kept(client, cast):
    client.force_login(cast.staff_p)
    data = {**request_data(cast), "period_end": "2025-12-01"}
    response = client.post(reverse("reports:request_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ngày cuối kỳ báo cáo phải sau ngày đầu kỳ." in page and "12/SKHCN-CNTT" in page
    assert not ReportRequest.objects.exists()


def test_a_commune_sees_its_open_requests_with_its_reports_state(client, cast, draft_x):
    client.force_login(cast.official_x)
    page = client.get(reverse("reports:request_list")).content.decode()
    assert "4675/SKHCN-CNTT" in page and "Đang soạn" in page
    client.force_login(cast.staff_q)
    assert "4675/SKHCN-CNTT" not in client.get(reverse("reports:request_list")).content.decode()


def test_the_request_list_costs_the_same_queries_for_many_requests(client, cast, django_assert_max_num_queries):
    """Session, user, the user's province and commune (navigation bar), the requests, and the
    commune's own reports in one prefetch: not one query per request."""
    for _ in range(5):
        workflow.start(make_request(cast), cast.commune_x, cast.official_x)
    client.force_login(cast.official_x)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reports:request_list"))
    assert response.content.decode().count("Đang soạn") == 5


def test_the_request_page_lists_every_commune_in_a_fixed_number_of_queries(
    client, cast, submitted_x, django_assert_max_num_queries
):
    """Session, user, the request, its communes and their reports: the table does not query per row."""
    client.force_login(cast.staff_p)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reports:request_detail", args=[submitted_x.request_id]))
    page = response.content.decode()
    assert "Phường Trần Hưng Đạo" in page and "Chưa soạn" in page
    assert f'value="{submitted_x.pk}"' in page  # a submitted report can be ticked for acceptance


def test_the_request_page_counts_each_status_and_shows_one_at_a_time(client, cast, submitted_x):
    """The walk-through: the reports waiting were buried among all the communes, and the button to
    accept them sat at the foot of the list. Counts link to the rows of each status, and the button
    sits above the table as well."""
    client.force_login(cast.staff_p)
    url = reverse("reports:request_detail", args=[submitted_x.request_id])
    page = client.get(url).content.decode()
    found = re.findall(r'data-status-filter="[^"]*">([^<]+) <span class="badge text-bg-light">(\d+)</span>', page)
    counts = {label: int(count) for label, count in found}
    assert counts == {
        "Tất cả": 2,
        "Chờ tiếp nhận": 1,
        "Đã tiếp nhận": 0,
        "Bị trả lại": 0,
        "Đang soạn": 0,
        "Chưa soạn": 1,
    }
    assert page.index("Tiếp nhận các báo cáo đã chọn") < page.index("<table")
    waiting = client.get(url, {"trang_thai": "submitted"}).content.decode()
    table = waiting.split("<tbody>")[1]
    assert "Xã Hà Tây" in table and "Phường Trần Hưng Đạo" not in table
    not_started = client.get(url, {"trang_thai": "chua-soan"}).content.decode().split("<tbody>")[1]
    assert "Phường Trần Hưng Đạo" in not_started and "Xã Hà Tây" not in not_started
    none = client.get(url, {"trang_thai": "accepted"}).content.decode()
    assert "Không có xã/phường nào ở tình trạng này." in none and "Tiếp nhận các báo cáo đã chọn" in none
    assert "Xã Hà Tây" in client.get(url, {"trang_thai": "khong-co"}).content.decode().split("<tbody>")[1]


def test_a_commune_no_longer_sees_a_request_once_its_report_is_accepted_unless_it_asks(client, cast, submitted_x):
    workflow.accept(submitted_x, cast.staff_p)
    client.force_login(cast.official_x)
    assert "4675/SKHCN-CNTT" not in client.get(reverse("reports:request_list")).content.decode()
    page = client.get(reverse("reports:request_list") + "?tat-ca").content.decode()
    assert "4675/SKHCN-CNTT" in page and "Đã tiếp nhận" in page
