import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo import registry as demo
from portal.models import User
from teams.models import Activity, Commune, Decision, Member, Team
from tests.teams.test_kept_counts import counted_directly, kept, provinces_counted_directly, provinces_kept


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())
    return Commune.objects.get(code=demo.HA_TAY)


def test_the_ha_tay_home_page_shows_14_villages_14_teams_full_coverage_and_70_members(client, seeded):
    client.force_login(User.objects.get(username="xa.hatay"))
    page = client.get(reverse("teams:commune_detail", args=[seeded.pk])).content.decode()
    assert 'data-figure="villages">14<' in page
    assert 'data-figure="teams">14<' in page
    assert 'data-figure="coverage">100 %<' in page
    assert 'data-figure="members">70<' in page


def test_the_counts_kept_for_the_dashboards_match_the_demo_registry(seeded):
    assert kept() == counted_directly()
    assert provinces_kept() == provinces_counted_directly()


def test_the_founding_decision_of_ha_tay_covers_its_14_teams(seeded):
    decision = Decision.objects.get(commune=seeded, number="241/QĐ-UBND")
    assert decision.signed_on == datetime.date(2025, 9, 26)
    assert decision.issuer == "UBND xã Hà Tây"
    assert decision.teams.count() == 14
    assert set(Team.objects.filter(commune=seeded).values_list("zalo_planned_month", flat=True)) == {
        datetime.date(2026, 1, 1)
    }


def test_tran_hung_dao_has_28_residential_group_teams_with_139_members_and_a_ward_team_of_50(seeded):
    ward = Commune.objects.get(code=demo.TRAN_HUNG_DAO)
    village_teams = Team.objects.filter(commune=ward, level=Team.Level.VILLAGE)
    assert village_teams.count() == 28
    assert Member.objects.filter(team__in=village_teams).count() == 139
    ward_team = Team.objects.get(commune=ward, level=Team.Level.COMMUNE)
    assert ward_team.members.count() == 50
    assert ward_team.decisions.get().number == "597/QĐ-UBND"
    assert (ward.area_km2, ward.population) == (Decimal("66.89"), 35932)


def test_seeding_twice_changes_nothing(seeded):
    counts = (Member.objects.count(), Activity.objects.count(), Decision.objects.count())
    demo.seed_registry()
    assert (Member.objects.count(), Activity.objects.count(), Decision.objects.count()) == counts
    assert Activity.objects.filter(commune=seeded, date__gte=demo.ACTIVITIES_FROM).count() > 14 * 4
