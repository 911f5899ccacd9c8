"""On submission the figures are frozen: later changes in the registry do not change a sent report."""

from django.urls import reverse

from reports import workflow
from teams.models import Member, Team, Village


def general(content):
    return next(s["data"] for s in content["sections"] if s["kind"] == "general")


def grow_registry(cast):
    village = Village.objects.create(commune=cast.commune_x, name="Thôn Mới")
    team = Team.objects.create(commune=cast.commune_x, village=village, name="Tổ CNSCĐ Thôn Mới")
    Member.objects.create(team=team, full_name="Lê Văn Mới")


def test_a_submitted_version_keeps_the_figures_of_the_day_it_was_sent(cast, submitted_x):
    version = submitted_x.versions.get()
    assert (general(version.content)["villages"], general(version.content)["members"]) == (1, 1)
    grow_registry(cast)
    version.refresh_from_db()
    assert (general(version.content)["villages"], general(version.content)["members"]) == (1, 1)


def test_the_printed_report_does_not_change_after_submission(client, cast, submitted_x):
    client.force_login(cast.staff_p)
    url = reverse("reports:report_print", args=[submitted_x.pk])
    before = client.get(url).content
    grow_registry(cast)
    assert client.get(url).content == before


def test_a_returned_report_shows_the_registry_as_it_is_now(client, cast, submitted_x):
    grow_registry(cast)
    workflow.return_for_changes(submitted_x, cast.staff_p, "Cập nhật số liệu")
    client.force_login(cast.official_x)
    page = client.get(reverse("reports:report_print", args=[submitted_x.pk])).content.decode()
    assert "Số lượng thôn trên địa bàn: 2 thôn" in page
    workflow.submit(submitted_x, cast.official_x)
    first, second = submitted_x.versions.order_by("number")
    assert (general(first.content)["villages"], general(second.content)["villages"]) == (1, 2)
