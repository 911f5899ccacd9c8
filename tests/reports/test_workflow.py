"""Draft → submitted → returned → resubmitted → accepted → reopened, through HTTP, for every role."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reports import workflow
from reports.models import Report, ReportEvent
from tests.reports.factories import make_request


def post(client, user, name, report, **data):
    client.force_login(user)
    return client.post(reverse(name, args=[report.pk]), data)


def events(report):
    return list(report.events.values_list("kind", "actor__username", "reason"))


def test_an_official_submits_a_draft(client, cast, draft_x):
    response = post(client, cast.official_x, "reports:report_submit", draft_x)
    assert response.status_code == 302
    draft_x.refresh_from_db()
    assert draft_x.status == Report.Status.SUBMITTED
    assert draft_x.first_submitted_at is not None
    assert draft_x.versions.get().submitted_by == cast.official_x
    assert events(draft_x)[-1] == ("submitted", "official_x", "")


def test_submitting_needs_post(client, cast, draft_x):
    client.force_login(cast.official_x)
    assert client.get(reverse("reports:report_submit", args=[draft_x.pk])).status_code == 405


def test_another_commune_cannot_submit_the_report(client, cast, draft_x):
    assert post(client, cast.official_y, "reports:report_submit", draft_x).status_code == 404
    draft_x.refresh_from_db()
    assert draft_x.status == Report.Status.DRAFT


def test_department_staff_cannot_submit_a_communes_report(client, cast, draft_x):
    assert post(client, cast.staff_p, "reports:report_submit", draft_x).status_code == 403
    assert post(client, cast.lead_x, "reports:report_submit", draft_x).status_code == 404


def test_a_submitted_report_cannot_be_submitted_again(client, cast, submitted_x):
    response = post(client, cast.official_x, "reports:report_submit", submitted_x)
    assert response.status_code == 302
    assert submitted_x.versions.count() == 1
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Báo cáo này đã được gửi."]


def test_returning_a_report_needs_a_reason(client, cast, submitted_x):
    response = post(client, cast.staff_p, "reports:report_return", submitted_x, reason="  ")
    assert response.status_code == 302
    submitted_x.refresh_from_db()
    assert submitted_x.status == Report.Status.SUBMITTED
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Cần ghi rõ lý do."]


def test_department_staff_return_a_report_with_a_reason(client, cast, submitted_x):
    response = post(client, cast.staff_p, "reports:report_return", submitted_x, reason="Bổ sung số liệu mục 1")
    assert response.status_code == 302
    submitted_x.refresh_from_db()
    assert submitted_x.status == Report.Status.RETURNED
    assert events(submitted_x)[-1] == ("returned", "staff_p", "Bổ sung số liệu mục 1")


def test_a_commune_cannot_return_or_accept_its_own_report(client, cast, submitted_x):
    assert post(client, cast.official_x, "reports:report_return", submitted_x, reason="x").status_code == 403
    assert post(client, cast.official_x, "reports:report_accept", submitted_x).status_code == 403
    with pytest.raises(workflow.WorkflowError):
        workflow.accept(submitted_x, cast.official_x)
    submitted_x.refresh_from_db()
    assert submitted_x.status == Report.Status.SUBMITTED


def test_another_provinces_staff_cannot_review_the_report(client, cast, submitted_x):
    assert post(client, cast.staff_q, "reports:report_accept", submitted_x).status_code == 404
    assert post(client, cast.staff_q, "reports:report_return", submitted_x, reason="x").status_code == 404


def test_a_returned_report_is_edited_and_resubmitted_as_a_second_version(client, cast, submitted_x):
    first_submitted_at = submitted_x.first_submitted_at
    workflow.return_for_changes(submitted_x, cast.staff_p, "Bổ sung")
    client.force_login(cast.official_x)
    assert client.get(reverse("reports:report_edit", args=[submitted_x.pk])).status_code == 200
    response = post(client, cast.official_x, "reports:report_submit", submitted_x)
    assert response.status_code == 302
    submitted_x.refresh_from_db()
    assert submitted_x.status == Report.Status.SUBMITTED
    assert submitted_x.first_submitted_at == first_submitted_at
    assert list(submitted_x.versions.values_list("number", flat=True)) == [1, 2]
    assert [kind for kind, _, _ in events(submitted_x)] == ["created", "submitted", "returned", "resubmitted"]


def test_department_staff_accept_a_submitted_report_which_is_then_locked(client, cast, submitted_x):
    assert post(client, cast.staff_p, "reports:report_accept", submitted_x).status_code == 302
    submitted_x.refresh_from_db()
    assert submitted_x.status == Report.Status.ACCEPTED and submitted_x.accepted_at is not None
    assert events(submitted_x)[-1] == ("accepted", "staff_p", "")
    client.force_login(cast.official_x)
    response = client.get(reverse("reports:report_edit", args=[submitted_x.pk]))
    assert response.status_code == 302
    post(client, cast.official_x, "reports:report_submit", submitted_x)
    assert submitted_x.versions.count() == 1


def test_a_draft_cannot_be_accepted(client, cast, draft_x):
    post(client, cast.staff_p, "reports:report_accept", draft_x)
    draft_x.refresh_from_db()
    assert draft_x.status == Report.Status.DRAFT


def test_reopening_an_accepted_report_needs_a_reason_and_is_recorded(client, cast, submitted_x):
    workflow.accept(submitted_x, cast.staff_p)
    post(client, cast.staff_p, "reports:report_reopen", submitted_x, reason="")
    submitted_x.refresh_from_db()
    assert submitted_x.status == Report.Status.ACCEPTED
    assert post(client, cast.official_x, "reports:report_reopen", submitted_x, reason="x").status_code == 403
    post(client, cast.staff_p, "reports:report_reopen", submitted_x, reason="Sai số thành viên")
    submitted_x.refresh_from_db()
    assert submitted_x.status == Report.Status.RETURNED and submitted_x.accepted_at is None
    assert events(submitted_x)[-1] == ("reopened", "staff_p", "Sai số thành viên")


def test_department_staff_accept_many_reports_at_once(client, cast, report_request, submitted_x):
    report_y = workflow.start(report_request, cast.commune_y, cast.official_y)
    workflow.submit(report_y, cast.official_y)
    other = make_request(cast)
    draft_other = workflow.start(other, cast.commune_x, cast.official_x)
    client.force_login(cast.staff_p)
    url = reverse("reports:report_accept_many", args=[report_request.pk])
    response = client.post(url, {"reports": [submitted_x.pk, report_y.pk, draft_other.pk]})
    assert response.status_code == 302
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses == {submitted_x.pk: "accepted", report_y.pk: "accepted", draft_other.pk: "draft"}
    assert ReportEvent.objects.filter(kind="accepted", actor=cast.staff_p).count() == 2


def test_accepting_many_skips_a_report_returned_meanwhile_and_accepts_the_others(
    cast, report_request, submitted_x, monkeypatch
):
    """Ticked while waiting, returned by a colleague before this staff member pressed the button:
    the others are still accepted, that one stays returned."""
    report_y = workflow.start(report_request, cast.commune_y, cast.official_y)
    workflow.submit(report_y, cast.official_y)
    locked = workflow._locked

    def returned_by_a_colleague_first(report):
        if report.pk == report_y.pk:
            Report.objects.filter(pk=report_y.pk).update(status=Report.Status.RETURNED)
        return locked(report)

    monkeypatch.setattr(workflow, "_locked", returned_by_a_colleague_first)
    reports = Report.objects.filter(pk__in=[submitted_x.pk, report_y.pk])
    assert workflow.accept_many(reports, cast.staff_p) == 1
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses == {submitted_x.pk: "accepted", report_y.pk: "returned"}


def test_staff_of_another_province_cannot_accept_many(client, cast, report_request, submitted_x):
    client.force_login(cast.staff_q)
    url = reverse("reports:report_accept_many", args=[report_request.pk])
    assert client.post(url, {"reports": [submitted_x.pk]}).status_code == 404
    submitted_x.refresh_from_db()
    assert submitted_x.status == Report.Status.SUBMITTED


@pytest.mark.parametrize(("minutes", "late"), [(-1, False), (1, True)])
def test_a_report_is_late_when_first_submitted_after_the_deadline(cast, minutes, late, time_machine):
    deadline = timezone.make_aware(datetime.datetime(2026, 1, 10, 17, 0))
    report_request = make_request(cast, deadline=deadline)
    report = workflow.start(report_request, cast.commune_x, cast.official_x)
    time_machine.move_to(deadline + datetime.timedelta(minutes=minutes), tick=False)
    workflow.submit(report, cast.official_x)
    report.refresh_from_db()
    assert report.is_late is late
    assert list(Report.objects.late_for(report_request)) == ([report] if late else [])


def test_every_submitted_version_can_be_opened_and_printed(client, cast, submitted_x):
    version = submitted_x.versions.get()
    client.force_login(cast.staff_p)
    page = client.get(reverse("reports:version_print", args=[version.pk]))
    assert page.status_code == 200 and "Nguyễn Quang Ngọc" in page.content.decode()
    pdf = client.get(reverse("reports:version_pdf", args=[version.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_reason_a_report_was_returned_heads_its_page_and_its_edit_form(client, cast, submitted_x):
    """On a phone the steps' list lies below the whole document: the reason must be at the top,
    and again where the commune corrects the report."""
    post(client, cast.staff_p, "reports:report_return", submitted_x, reason="Thiếu số liệu <b>tháng 12</b>")
    client.force_login(cast.official_x)
    for name in ("reports:report_detail", "reports:report_edit"):
        html = client.get(reverse(name, args=[submitted_x.pk])).content.decode()
        notice = html.index('id="returned-reason"')
        assert name == "reports:report_detail" or notice < html.index("Phần đầu văn bản")
        assert "Sở trả lại báo cáo" in html[notice:] and "(Staff P)" in html[notice:]
        assert "Lý do: Thiếu số liệu &lt;b&gt;tháng 12&lt;/b&gt;" in html[notice:]
    detail = client.get(reverse("reports:report_detail", args=[submitted_x.pk])).content.decode()
    assert detail.index('id="returned-reason"') < detail.index('class="vb')
    workflow.submit(submitted_x, cast.official_x)
    detail = client.get(reverse("reports:report_detail", args=[submitted_x.pk])).content.decode()
    assert 'id="returned-reason"' not in detail
