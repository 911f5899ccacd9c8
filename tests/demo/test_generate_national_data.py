"""The national-scale generator, run at 1 % scale (one or two communes a province)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min, Q, Sum

from portal.models import Role, User
from reports.models import Report, ReportRequest
from reports.summary import summary_figures
from teams.models import Activity, ActivityMonth, Commune, Member, Province, Team, Topic, Village
from tests.teams.test_kept_counts import counted_directly, kept, provinces_counted_directly, provinces_kept

UNTIL = datetime.date(2026, 11, 23)

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator writes PostgreSQL's SQL")
# VACUUM cannot run inside the transaction that an ordinary database test is wrapped in.
transactional = pytest.mark.django_db(transaction=True)


def generate(**options):
    out = StringIO()
    call_command("generate_national_data", scale=0.01, seed=7, until=UNTIL, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def generated():
    return generate()


@postgresql_only
@transactional
def test_it_fills_every_province_with_villages_teams_members_and_activities_and_says_how_long_each_step_took(
    generated,
):
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert "Hoạt động:" in generated and " s  Thành viên: " in generated
    communes_with_villages = Commune.objects.filter(villages__isnull=False).distinct()
    assert communes_with_villages.values("province").distinct().count() == 34
    # 1 % of each province's communes, rounded up: one or two a province.
    assert 34 <= communes_with_villages.count() <= 68
    open_villages = Village.objects.filter(closed_on__isnull=True)
    per_commune = open_villages.values("commune").annotate(n=Count("id")).aggregate(low=Min("n"), high=Max("n"))
    assert per_commune["low"] >= 8 and per_commune["high"] <= 37
    # Teams for most villages, not all: coverage varies between communes.
    covered = open_villages.filter(teams__status=Team.Status.ACTIVE).distinct().count()
    assert 0.8 < covered / open_villages.count() < 1
    assert Team.objects.filter(level=Team.Level.COMMUNE, village__isnull=True).count() > 20


@postgresql_only
@transactional
def test_the_generated_registry_keeps_the_portal_s_invariants(generated):
    assert Activity.objects.exclude(commune=F("team__commune")).count() == 0
    assert not Village.objects.annotate(active=Count("teams", filter=Q(teams__status="active"))).filter(active__gt=1)
    per_team = Team.objects.annotate(n=Count("members")).aggregate(low=Min("n"), high=Max("n"))
    assert per_team["low"] == 5 and per_team["high"] <= 10
    assert not Team.objects.filter(status="active", village__closed_on__isnull=False).exists()
    assert not Member.objects.filter(left_on__lte=F("joined_on")).exists()
    members = Member.objects.count()
    assert 0.03 < Member.objects.filter(left_on__isnull=False).count() / members < 0.15
    assert set(Member.objects.values_list("origin", flat=True)) >= {"village_head", "youth_union", "police"}
    assert Member.objects.filter(role="lead").count() == Team.objects.count()
    # Two years of activities before UNTIL, two or three a month for a typical team.
    span = Activity.objects.aggregate(first=Min("date"), last=Max("date"))
    assert span["first"] >= UNTIL - datetime.timedelta(days=730) and span["last"] < UNTIL
    active_teams = Team.objects.filter(status="active").count()
    assert 40 < Activity.objects.count() / active_teams < 100
    assert not Activity.objects.filter(Q(topics=0) | Q(topics__gte=512)).exists()
    vneid = Activity.objects.filter(topics__in=[m for m in range(512) if m & Topic.VNEID]).count()
    assert 0.4 < vneid / Activity.objects.count() < 0.7
    assert set(Activity.objects.values_list("kind", flat=True)) == set(Activity.Kind.values)
    # The dashboards' monthly counts hold every activity the generator wrote in bulk.
    counted = ActivityMonth.objects.aggregate(count=Sum("count"), people=Sum("people"), vneid=Sum("vneid"))
    assert counted == {
        "count": Activity.objects.count(),
        "people": Activity.objects.aggregate(people=Sum("people_helped"))["people"],
        "vneid": vneid,
    }
    # So do the counts kept per commune and per province and month.
    assert kept() == counted_directly()
    assert provinces_kept() == provinces_counted_directly()


@postgresql_only
@transactional
def test_each_province_asks_for_reports_and_gets_them_in_every_status_some_late_some_missing(generated):
    assert ReportRequest.objects.count() == 3 * 34
    assert set(Report.objects.values_list("status", flat=True)) == set(Report.Status.values)
    late = Report.objects.filter(first_submitted_at__gt=F("request__deadline"))
    assert late.exists()
    assert not late.filter(status=Report.Status.DRAFT).exists()
    now = datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC)
    assert not Report.objects.filter(Q(first_submitted_at__gt=now) | Q(accepted_at__gt=now)).exists()
    requested = sum(r.communes.count() for r in ReportRequest.objects.all())
    assert Report.objects.count() < requested  # some communes have not started
    assert not Report.objects.exclude(request__communes=F("commune")).exists()
    for role in Role.values:
        assert User.objects.filter(role=role, username__startswith="bench.").exists()


@postgresql_only
@transactional
def test_it_refuses_a_database_with_registry_data_and_starts_over_the_same_with_replace(generated):
    counts = (Village.objects.count(), Member.objects.count(), Activity.objects.count(), Report.objects.count())
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert "Xóa trắng" in generate(replace=True)
    assert (Village.objects.count(), Member.objects.count(), Activity.objects.count(), Report.objects.count()) == counts
    assert User.objects.filter(username="bench.admin").count() == 1


def test_it_refuses_a_database_that_is_not_postgresql_and_says_so(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="chỉ chạy trên PostgreSQL"):
        generate()


@postgresql_only
@transactional
def test_every_sent_report_has_the_version_it_was_sent_as_so_summaries_have_figures(generated):
    sent = Report.objects.exclude(status=Report.Status.DRAFT)
    assert sent.exists() and not sent.filter(versions__isnull=True).exists()
    assert not Report.objects.filter(status=Report.Status.DRAFT, versions__isnull=False).exists()
    for report in Report.objects.filter(status=Report.Status.ACCEPTED).select_related("request", "commune")[:5]:
        version = report.versions.get()
        assert version.submitted_at == report.first_submitted_at
        general = next(s for s in version.content["sections"] if s["kind"] == "general")["data"]
        assert general["villages"] == report.commune.villages.filter(closed_on__isnull=True).count()
    request = ReportRequest.objects.filter(reports__status=Report.Status.ACCEPTED).first()
    assert request.outline and request.report_subject  # the outline a department would choose
    rows = summary_figures(request)["rows"]
    accepted = {r.commune_id for r in request.reports.filter(status=Report.Status.ACCEPTED)}
    assert {row["id"] for row in rows if row["accepted"]} == accepted
    assert all(row["villages"] is not None for row in rows if row["accepted"])
    out = StringIO()
    call_command("generate_national_data", check=True, stdout=out)
    assert "bản báo cáo đã gửi: " in out.getvalue()
