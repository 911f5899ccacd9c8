"""The department edits a request's outline; prose already written stays with its section."""

from django.urls import reverse

from reports import prose
from tests.reports.factories import outline_data


def post_outline(client, user, report_request, sections):
    client.force_login(user)
    return client.post(reverse("reports:request_outline", args=[report_request.pk]), outline_data(sections))


def test_department_staff_reorder_rename_remove_and_add_sections(client, cast, report_request, draft_x):
    s1, s2, s3 = report_request.outline
    sections = [
        {**s2, "title": "Mô hình hay"},
        {**s1},
        {**s3, "DELETE": True},
        {"kind": "indicators", "title": "Chỉ tiêu", "guidance": "Nhập số liệu"},
    ]
    response = post_outline(client, cast.staff_p, report_request, sections)
    assert response.status_code == 302
    report_request.refresh_from_db()
    assert [(s["key"], s["title"]) for s in report_request.outline] == [
        ("s2", "Mô hình hay"),
        ("s1", "Báo cáo tình hình chung"),
        ("s4", "Chỉ tiêu"),
    ]
    assert [n["number"] for n in report_request.numbered_sections()] == ["1.", "2.", "3."]
    assert len(report_request.indicator_codes()) == 6
    draft_x.refresh_from_db()
    assert draft_x.prose["s2"] == prose.stored(
        "Các Tổ đã hướng dẫn người dân **cài đặt VNeID**.\n- Hỗ trợ tại hộ gia đình."
    )


def test_an_outline_needs_at_least_one_section(client, cast, report_request):
    sections = [{**item, "DELETE": True} for item in report_request.outline]
    response = post_outline(client, cast.staff_p, report_request, sections)
    assert response.status_code == 200
    assert "Đề cương cần ít nhất một mục." in response.content.decode()
    report_request.refresh_from_db()
    assert len(report_request.outline) == 3


def test_a_commune_cannot_edit_the_outline(client, cast, report_request):
    response = post_outline(client, cast.official_x, report_request, report_request.outline[:1])
    assert response.status_code == 403
    response = post_outline(client, cast.staff_q, report_request, report_request.outline[:1])
    assert response.status_code == 404
    report_request.refresh_from_db()
    assert len(report_request.outline) == 3


def test_the_outline_editor_needs_post_to_change_anything(client, cast, report_request):
    client.force_login(cast.staff_p)
    response = client.get(reverse("reports:request_outline", args=[report_request.pk]))
    assert response.status_code == 200
    assert "Báo cáo tình hình chung" in response.content.decode()
