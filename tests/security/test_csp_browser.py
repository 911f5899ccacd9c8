"""Finding 1 of issue 10, the class: every page is served under a strict Content-Security-Policy
(portal/settings.py SECURE_CSP), and no page of any role breaks it: a violation would mean an
inline script, an on*= handler or a style attribute that the policy refuses (and that the page
then silently loses)."""

import pytest
from django.urls import reverse

from reports import workflow
from tests.cast import PASSWORD
from tests.reports.factories import make_request

pytestmark = pytest.mark.browser

# Collects the browser's own CSP violation events; added through Playwright (not a <script> of
# the page, which the policy would refuse anyway).
LISTEN = """() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
}"""


def pages_of(cast, report, version):
    commune_pages = [
        reverse("dashboards:home"),
        reverse("teams:commune_detail", args=[cast.commune_x.pk]),
        reverse("teams:village_list", args=[cast.commune_x.pk]),
        reverse("teams:team_list", args=[cast.commune_x.pk]),
        reverse("teams:member_list", args=[cast.commune_x.pk]),
        reverse("teams:activity_list", args=[cast.commune_x.pk]),
        reverse("teams:team_detail", args=[cast.team_x.pk]),
        reverse("teams:member_detail", args=[cast.member_x.pk]),
        reverse("teams:activity_detail", args=[cast.activity_x.pk]),
        reverse("reports:request_list"),
        reverse("reports:report_detail", args=[report.pk]),
        reverse("reports:version_print", args=[version.pk]),
        reverse("reports:version_signatures", args=[version.pk]),
        reverse("password_change"),
    ]
    official = [
        reverse("teams:village_add", args=[cast.commune_x.pk]),
        reverse("teams:team_add", args=[cast.commune_x.pk]),
        reverse("teams:member_add", args=[cast.team_x.pk]),
        reverse("teams:activity_add", args=[cast.team_x.pk]),
        reverse("teams:decision_add", args=[cast.commune_x.pk]),
        reverse("teams:member_import", args=[cast.commune_x.pk]),
    ]
    staff = [
        reverse("dashboards:province_dashboard", args=[cast.province_p.pk]),
        reverse("dashboards:completeness", args=[report.request.pk]),
        reverse("reports:request_create"),
        reverse("reports:request_detail", args=[report.request.pk]),
        reverse("reports:request_outline", args=[report.request.pk]),
        reverse("reports:summary_detail", args=[report.request.pk]),
        reverse("reports:summary_edit", args=[report.request.pk]),
        reverse("exports:export_list"),
    ]
    return {
        "admin": commune_pages
        + staff
        + [
            reverse("dashboards:national_dashboard"),
            reverse("reports:certificate_list"),
            reverse("reports:certificate_detail", args=[cast.commune_x.pk]),
            reverse("admin:index"),
            reverse("admin:teams_team_changelist"),
            reverse("admin:teams_team_change", args=[cast.team_x.pk]),
            reverse("admin:portal_user_change", args=[cast.official_x.pk]),
        ],
        "staff_p": commune_pages + staff,
        "official_x": commune_pages + official + [reverse("reports:report_edit", args=[report.pk])],
        "lead_x": [
            reverse("dashboards:home"),
            reverse("teams:team_detail", args=[cast.team_x.pk]),
            reverse("teams:team_activity_list", args=[cast.team_x.pk]),
            reverse("teams:activity_add", args=[cast.team_x.pk]),
            reverse("teams:activity_detail", args=[cast.activity_x.pk]),
            reverse("password_change"),
        ],
    }


def test_no_page_of_any_role_breaks_the_content_security_policy(cast, browser, live_server):
    report_request = make_request(cast)
    report = workflow.start(report_request, cast.commune_x, cast.official_x)
    workflow.submit(report, cast.official_x)
    version = report.versions.get()
    report = workflow.start(report_request, cast.commune_x, cast.official_x)
    problems = []
    for role, urls in pages_of(cast, report, version).items():
        page = browser.new_page(locale="vi-VN")
        console = []
        page.on("console", lambda message, console=console: console.append(message.text))
        page.goto(live_server.url + "/dang-nhap/")
        page.evaluate(LISTEN)
        page.fill("input[name=username]", cast.user(role).username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, (role, url, response.status)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.evaluate(LISTEN)
            page.wait_for_load_state("networkidle")
            # Events fired while the page loaded are reported to the console as well.
            problems += [(role, url, v) for v in page.evaluate("window.__cspViolations")]
        problems += [(role, text) for text in console if "Content Security Policy" in text]
        page.close()
    assert problems == []
