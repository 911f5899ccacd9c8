"""In Chromium: the editor opens with the registry's denominator filled in and no error; the rules
speak only of what the commune types."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports import workflow
from reports.outlines import PLAN
from tests.cast import PASSWORD
from tests.reports.factories import make_request

pytestmark = pytest.mark.browser


def test_the_registrys_half_of_a_pair_is_no_error_until_the_commune_types(cast, login_page, live_server):
    cast.village_x.households = 100
    cast.village_x.save()
    report = workflow.start(make_request(cast, outline=PLAN), cast.commune_x, cast.official_x)
    page = login_page(cast.official_x, PASSWORD)
    page.goto(live_server.url + reverse("reports:report_edit", args=[report.pk]))
    group = page.locator('[data-indicator-group="households_digital_skills"]')
    problems = group.locator("[data-indicator-problems]")
    expect(group.locator("[data-part=denominator]")).to_have_value("100")
    expect(problems).to_have_text("")
    expect(group.locator("[data-part=numerator]")).not_to_have_class("is-invalid")
    group.locator("[data-part=numerator]").fill("75")
    expect(group.locator("[data-indicator-rate]")).to_have_text("Tỷ lệ: 75,00 %")
    group.locator("[data-part=numerator]").fill("")
    expect(problems).to_have_text("")
    group.locator("[data-part=denominator]").fill("90")
    expect(problems).to_contain_text("Cần nhập cả tử số và mẫu số")
    group.locator("[data-part=denominator]").fill("100")
    page.fill("input[name=signer_name]", "Nguyễn Quang Ngọc")
    page.click("button:has-text('Lưu báo cáo')")
    expect(page.locator("main .alert").first).to_contain_text("Đã lưu báo cáo.")
