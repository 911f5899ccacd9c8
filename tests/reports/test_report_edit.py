"""The commune's editor: header, prose (sanitised), indicators (checked) and optimistic locking."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reports import workflow
from reports.models import IndicatorValue, Report
from reports.outlines import PLAN
from tests.reports.factories import make_request


def form_data(report, **changes):
    data = {
        "revision": report.revision,
        "number": "",
        "issued_on": "",
        "place": report.place,
        "subject": report.subject,
        "opening": report.opening,
        "closing": report.closing,
        "signer_authority": report.signer_authority,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
        "recipients": report.recipients,
    }
    data.update(changes)
    return data


def edit(client, user, report, **changes):
    client.force_login(user)
    return client.post(reverse("reports:report_edit", args=[report.pk]), form_data(report, **changes))


def test_an_official_opens_a_report_from_the_request_with_the_defaults(client, cast, report_request):
    client.force_login(cast.official_x)
    response = client.post(reverse("reports:report_start", args=[report_request.pk]))
    report = Report.objects.get(request=report_request, commune=cast.commune_x)
    assert response.status_code == 302 and response["Location"] == reverse("reports:report_edit", args=[report.pk])
    assert report.place == "Hà Tây"
    assert report.recipients == report_request.recipients
    assert report.opening.startswith("Thực hiện Công văn số 4675/SKHCN-CNTT ngày 19/12/2025 của Sở Khoa học")
    assert report.events.get().kind == "created"


def test_the_editor_shows_every_section_with_its_guidance(client, cast, draft_x):
    client.force_login(cast.official_x)
    page = client.get(reverse("reports:report_edit", args=[draft_x.pk])).content.decode()
    for item in draft_x.request.numbered_sections():
        assert item["title"] in page
    assert "Nêu các mô hình tiêu biểu" in page


def test_prose_is_stored_sanitised_with_bullets_and_bold(client, cast, draft_x):
    text = "Mở đầu **quan trọng** <script>alert(1)</script>\n- ý một\n+ ý phụ"
    response = edit(client, cast.official_x, draft_x, prose_s2=text, number="7", issued_on="2026-01-05")
    assert response.status_code == 302
    draft_x.refresh_from_db()
    assert draft_x.prose["s2"]["text"] == text
    html = draft_x.prose["s2"]["html"]
    assert "<strong>quan trọng</strong>" in html and "<script>" not in html
    assert '<p class="bullet-1">- ý một</p><p class="bullet-2">+ ý phụ</p>' in html
    assert draft_x.number == "7" and str(draft_x.issued_on) == "2026-01-05"
    assert draft_x.revision == 2


def test_a_number_with_its_symbol_is_refused_with_a_message_and_nothing_lost(client, cast, draft_x):
    response = edit(client, cast.official_x, draft_x, number="12/BC-UBND", prose_s2="Đoạn văn đã gõ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "ký hiệu /BC-UBND được thêm tự động" in page and "Đoạn văn đã gõ" in page


def test_department_staff_cannot_edit_a_communes_prose(client, cast, draft_x):
    assert edit(client, cast.staff_p, draft_x, prose_s2="Sửa hộ").status_code == 403
    assert edit(client, cast.official_y, draft_x, prose_s2="Sửa hộ").status_code == 404
    draft_x.refresh_from_db()
    assert "Sửa hộ" not in draft_x.prose["s2"]["text"]


def test_the_report_page_offers_sua_to_exactly_those_the_editor_lets_in(client, cast, draft_x):
    """The page and the editor ask the same rule (portal.permissions): the administrator too."""
    url = reverse("reports:report_detail", args=[draft_x.pk])
    for name, offered in [("official_x", True), ("admin", True), ("staff_p", False)]:
        client.force_login(cast.user(name))
        assert ("Sửa báo cáo" in client.get(url).content.decode()) is offered, name
        assert client.get(reverse("reports:report_edit", args=[draft_x.pk])).status_code == (200 if offered else 403)


def test_the_second_of_two_simultaneous_saves_is_refused_and_keeps_the_typing(client, cast, draft_x):
    stale = Report.objects.get(pk=draft_x.pk)  # both opened the editor at the same revision
    assert edit(client, cast.official_x, draft_x, prose_s2="Bản của người thứ nhất").status_code == 302
    response = edit(client, cast.official_x, stale, prose_s2="Bản của người thứ hai")
    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được người khác lưu" in page
    assert "Bản của người thứ hai" in page
    draft_x.refresh_from_db()
    assert draft_x.prose["s2"]["text"] == "Bản của người thứ nhất"


@pytest.fixture
def plan_x(cast):
    """Commune X's report on a plan with indicator targets; X has one village of 100 households."""
    cast.village_x.households = 100
    cast.village_x.save()
    report_request = make_request(cast, outline=PLAN)
    return workflow.start(report_request, cast.commune_x, cast.official_x)


def test_the_plan_outline_stores_its_targets(plan_x):
    targets = {t.indicator: (t.comparison, t.target) for t in plan_x.request.targets.all()}
    assert targets["households_digital_skills"] == ("gte", Decimal("70.00"))
    assert targets["adults_e_payment"] == ("gt", Decimal("80.00"))
    assert "vneid_level2" not in targets


def test_indicator_values_are_stored_as_numerator_and_denominator_with_their_rate(client, cast, plan_x):
    """Households: the denominator is the registry's when left blank; dossiers: both typed; a rate typed alone."""
    response = edit(
        client,
        cast.official_x,
        plan_x,
        indicator_households_digital_skills="75",
        indicator_dossiers_online="37",
        indicator_dossiers_online_mau_so="40",
        indicator_adults_smartphone_ty_le="82,5",
    )
    assert response.status_code == 302
    values = {
        v.indicator: (v.numerator, v.denominator, v.share, v.rate_only)
        for v in IndicatorValue.objects.filter(report=plan_x)
    }
    assert values["households_digital_skills"] == (Decimal(75), Decimal(100), Decimal("75.00"), False)
    assert values["dossiers_online"] == (Decimal(37), Decimal(40), Decimal("92.50"), False)
    assert values["adults_smartphone"] == (None, None, Decimal("82.50"), True)
    target = plan_x.request.targets.get(indicator="households_digital_skills")
    assert target.is_met(values["households_digital_skills"][2]) is True
    page = client.get(reverse("reports:report_detail", args=[plan_x.pk])).content.decode()
    row = page.split('data-indicator="adults_smartphone"')[1].split("</tr>")[0]
    assert "82,5 % (chỉ nhập tỷ lệ)" in row


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"indicator_dossiers_online_ty_le": "120"}, "tỷ lệ không được lớn hơn 100 %"),
        ({"indicator_households_digital_skills": "150"}, "tử số (150) không được lớn hơn mẫu số (100)"),
        (
            {"indicator_dossiers_online": "50", "indicator_dossiers_online_mau_so": "40"},
            "tử số (50) không được lớn hơn mẫu số (40)",
        ),
        ({"indicator_dossiers_online": "50"}, "cần nhập cả tử số và mẫu số"),
    ],
)
def test_indicators_that_make_no_sense_are_refused_with_a_vietnamese_message(client, cast, plan_x, fields, message):
    response = edit(client, cast.official_x, plan_x, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IndicatorValue.objects.filter(report=plan_x).exists()


def test_the_editor_prefills_the_denominator_from_the_registry(client, cast, plan_x):
    client.force_login(cast.official_x)
    page = client.get(reverse("reports:report_edit", args=[plan_x.pk])).content.decode()
    field = page.split('name="indicator_households_digital_skills_mau_so"')[1].split(">")[0]
    assert 'value="100"' in field
    assert "Theo sổ theo dõi: 100" in page


def test_a_draft_saves_with_the_registrys_denominator_left_as_the_editor_filled_it(client, cast, plan_x):
    """The walk-through: the browser sends the pre-filled denominator back; with no numerator typed
    yet, the draft was refused ("cần nhập cả tử số và mẫu số") until the commune made one up."""
    response = edit(client, cast.official_x, plan_x, indicator_households_digital_skills_mau_so="100")
    assert response.status_code == 302
    assert not IndicatorValue.objects.filter(report=plan_x).exists()
    # Half a pair the commune typed itself is still refused.
    response = edit(client, cast.official_x, plan_x, indicator_households_digital_skills_mau_so="90")
    assert response.status_code == 200 and "cần nhập cả tử số và mẫu số" in response.content.decode()


def test_a_denominator_far_from_the_registry_is_saved_with_a_warning(client, cast, plan_x):
    response = edit(
        client,
        cast.official_x,
        plan_x,
        indicator_households_digital_skills="75",
        indicator_households_digital_skills_mau_so="180",
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "mẫu số 180 khác nhiều so với sổ theo dõi (100)" in page
    assert IndicatorValue.objects.get(report=plan_x).denominator == 180


def test_a_big_change_from_the_previous_request_needs_an_explanation_that_is_printed(client, cast, plan_x):
    earlier = make_request(cast, outline=PLAN, deadline=plan_x.request.deadline - datetime.timedelta(days=180))
    old = workflow.start(earlier, cast.commune_x, cast.official_x)
    figure = {"numerator": 30, "denominator": 100, "share": Decimal(30), "rate_only": False}
    workflow.save_draft(old, old.revision, {"households_digital_skills": figure})
    workflow.submit(old, cast.official_x)

    response = edit(client, cast.official_x, plan_x, indicator_households_digital_skills="75")
    assert response.status_code == 200
    assert "tỷ lệ 75 % khác kỳ trước (30 %) hơn 20 điểm phần trăm: ghi một dòng giải trình" in response.content.decode()
    assert not IndicatorValue.objects.filter(report=plan_x).exists()

    why = "Mở lớp tập huấn tại 14 thôn"
    response = edit(
        client,
        cast.official_x,
        plan_x,
        indicator_households_digital_skills="75",
        indicator_households_digital_skills_giai_trinh=why,
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get(report=plan_x).explanation == why
    workflow.submit(Report.objects.get(pk=plan_x.pk), cast.official_x)
    page = client.get(reverse("reports:report_print", args=[plan_x.pk])).content.decode()
    assert f"Giải trình: {why}" in page


def test_the_editor_shows_each_indicators_target(client, cast, plan_x):
    client.force_login(cast.official_x)
    page = client.get(reverse("reports:report_edit", args=[plan_x.pk])).content.decode()
    # Help text is escaped: ">" is sent as "&gt;".
    assert "Mục tiêu của kế hoạch: ≥ 70 %" in page and "Mục tiêu của kế hoạch: &gt; 80 %" in page
