"""Migration reports 0009: seed 003's six indicators become the catalogue's first entries, and the
values communes had entered keep their figures (the rate, and the count as numerator)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("reports", "0008_official_document")]
AFTER = [("reports", "0010_numerator_not_above_denominator")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    """Every app at its latest migration again afterwards, whatever the test left: the tests after
    this one expect the current schema (a column added after reports 0010 was missing for them)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_six_seed_indicators_keep_todays_figures_after_the_migration(back_to_the_latest_schema):
    apps = migrate(BEFORE)
    Province = apps.get_model("teams", "Province")
    Commune = apps.get_model("teams", "Commune")
    ReportRequest = apps.get_model("reports", "ReportRequest")
    Report = apps.get_model("reports", "Report")
    IndicatorValue = apps.get_model("reports", "IndicatorValue")
    IndicatorTarget = apps.get_model("reports", "IndicatorTarget")
    province = Province.objects.create(code=31, name="Thành phố Hải Phòng", codename="hai_phong", division_type="tp")
    commune = Commune.objects.create(province=province, code=11311, name="Xã Hà Tây", codename="ha_tay", kind="xa")
    request = ReportRequest.objects.create(
        province=province,
        letter_number="4102/SKHCN-CNTT",
        letter_date=datetime.date(2025, 12, 2),
        subject="kế hoạch",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        deadline=timezone.now(),
    )
    IndicatorTarget.objects.create(request=request, indicator="households_digital_skills", target=70)
    report = Report.objects.create(request=request, commune=commune, status="accepted")
    before = {
        # code: (value typed, share stored): counts of households and people, then percentages.
        "households_digital_skills": (Decimal(1200), Decimal("68.57")),  # of 1,750 households
        "vneid_level2": (Decimal(4100), None),  # the population was unknown
        "dossiers_online": (Decimal("91.20"), Decimal("91.20")),
        "adults_e_payment": (Decimal("72.40"), Decimal("72.40")),
        "adults_smartphone": (Decimal("82.50"), Decimal("82.50")),
        "vneid_online_services": (Decimal("76.00"), Decimal("76.00")),
    }
    for code, (value, share) in before.items():
        IndicatorValue.objects.create(report=report, indicator=code, value=value, share=share)

    apps = migrate(AFTER)
    Indicator = apps.get_model("reports", "Indicator")
    IndicatorValue = apps.get_model("reports", "IndicatorValue")
    catalogue = {i.code: i for i in Indicator.objects.all()}
    assert list(catalogue) == list(
        ["households_digital_skills", "dossiers_online", "adults_e_payment", "adults_smartphone"]
        + ["vneid_level2", "vneid_online_services"]
    )
    assert catalogue["households_digital_skills"].name == "Số hộ gia đình có kỹ năng số"
    assert catalogue["households_digital_skills"].denominator_source == "households"
    assert catalogue["dossiers_online"].name == "Tỷ lệ hồ sơ thủ tục hành chính nộp và xử lý trực tuyến"
    assert all(i.province_id is None and i.active for i in catalogue.values())
    after = {v.indicator: v for v in IndicatorValue.objects.all()}
    for code, (_, share) in before.items():
        assert after[code].share == share, code
    households = after["households_digital_skills"]
    assert (households.numerator, households.denominator, households.rate_only) == (1200, 1750, False)
    assert (after["vneid_level2"].numerator, after["vneid_level2"].denominator) == (4100, None)
    for code in ("dossiers_online", "adults_e_payment", "adults_smartphone", "vneid_online_services"):
        assert (after[code].numerator, after[code].denominator, after[code].rate_only) == (None, None, True)
    assert apps.get_model("reports", "IndicatorTarget").objects.get().target == 70
