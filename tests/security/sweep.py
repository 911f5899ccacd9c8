"""Every form of the project, filled through its page as a browser would, with one text in every
free-text field; then the pages, PDFs and exports that show what was saved.

Used by the XSS sweep (a script tag and an onerror image in every field, none may come back live)
and by the text-normalisation sweep (control characters and decomposed Vietnamese). A form class of
the project that has a free-text field and no case here fails ``test_every_form_has_a_case``, as an
undeclared URL fails the permission matrix; a text column of a model that no case fills, and that
``NOT_TYPED`` does not explain, fails ``test_every_text_column_is_filled_by_a_case``.
"""

import datetime
import importlib
import io
import pkgutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from demo import signing as demo_signing
from exports.models import Export
from reports.models import Report, ReportRequest
from teams.models import Village

APPS = ["portal", "exports", "teams", "reports", "dashboards", "demo"]
TEXT_INPUTS = {"text", "search", "email", "url", "tel", ""}

# Text columns no form or import of the portal fills, and why.
NOT_TYPED = {
    "teams.Province.name": "the official list (vietnam-provinces, import_admin_units)",
    "teams.Province.codename": "the official list",
    "teams.Province.division_type": "the official list",
    "teams.Commune.name": "the official list",
    "teams.Commune.codename": "the official list",
    "teams.Team.zalo_url": "a zalo.me link, checked by TeamForm.clean_zalo_url (the sweep sends a valid one)",
    "teams.Decision.number": "'241/QĐ-UBND' shape, checked by DecisionForm.clean_number",
    "teams.Member.phone": "a mobile number, normalised by normalize_phone",
    "reports.Report.number": "digits only, checked by clean_document_number",
    "reports.ProvinceSummary.number": "digits only, checked by clean_document_number",
    "reports.CommuneCertificate.serial": "the certificate's serial number, written by the portal in hexadecimal",
    "reports.SignedDocument.content_type": "set by the portal from the file's first bytes",
    "reports.SignedDocument.sha256": "computed by the portal",
    "reports.ReportVersion.pdf_sha256": "computed by the portal",
    "reports.IndicatorTarget.indicator": "a code of the indicator catalogue",
    "reports.IndicatorValue.indicator": "a code of the indicator catalogue",
    "reports.Indicator.code": "the catalogue's code (SlugField)",
    "portal.User.password": "a hash",
    "portal.User.username": "an administrator's choice, checked by Django's username validator",
    "portal.User.email": "checked by EmailField",
    "portal.User.phone": "an administrator's entry (admin only), shown nowhere but the admin",
    "portal.User.first_name": "unused by the portal (full_name is)",
    "portal.User.last_name": "unused by the portal (full_name is)",
    "portal.WorkerHeartbeat.worker_id": "written by the background worker about itself",
    "portal.WorkerHeartbeat.host": "written by the background worker about itself",
    "portal.ReminderLog.task_id": "the task queue's identifier",
    "exports.Export.kind": "the name of a builder, set by the view",
    "exports.Export.task_id": "the task queue's identifier",
    "exports.Export.error": "one of the portal's own messages (exports/jobs.py)",
    "teams.HistoricalTeam.zalo_url": "as Team.zalo_url",
    "teams.HistoricalMember.phone": "as Member.phone",
    "teams.HistoricalVillage.history_change_reason": "unused (django-simple-history)",
    "teams.HistoricalTeam.history_change_reason": "unused (django-simple-history)",
    "teams.HistoricalMember.history_change_reason": "unused (django-simple-history)",
    "teams.HistoricalDecision.number": "as Decision.number",
    "teams.HistoricalDecision.file": "the stored file's name, given by the portal (a FileField in Decision)",
    "teams.HistoricalDecision.history_change_reason": "unused (django-simple-history)",
}


def project_form_classes():
    """Every Form and ModelForm class defined in a forms module of the project's apps."""
    modules = []
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if info.name.rsplit(".", 1)[-1] == "forms" and "migrations" not in info.name:
                modules.append(importlib.import_module(info.name))
    classes = set()
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                classes.add(value)
    return classes


def free_text_fields(form_class):
    """Names of the fields where a person types free text (not choices, passwords or hidden values)."""
    names = set()
    for name, form_field in form_class.base_fields.items():
        widget = form_field.widget
        if isinstance(form_field, forms.CharField) and not isinstance(widget, forms.PasswordInput | forms.HiddenInput):
            names.add(name)
    return names


def typed_text_columns():
    """'app.Model.field' of every CharField and TextField without choices in the project's models."""
    columns = set()
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for model_field in model._meta.get_fields():
                if isinstance(model_field, models.CharField | models.TextField) and not model_field.choices:
                    columns.add(f"{app}.{model.__name__}.{model_field.name}")
    return columns


class FormParser(HTMLParser):
    """The fields of every <form> of a page, with the values a browser would send untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {"action": attrs.get("action") or "", "method": attrs.get("method", "get"), "fields": []}
            self.forms.append(self.form)
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "file", "button"):
                return
            self.form["fields"].append([name, attrs.get("value", "on" if kind == "checkbox" else ""), kind])
        elif tag == "textarea" and name:
            self.textarea = [name, "", "textarea"]
            self.form["fields"].append(self.textarea)
        elif tag == "select" and name:
            self.select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            values = self.select["chosen"] or ([self.select["first"]] if self.select["first"] is not None else [])
            self.form["fields"] += [[self.select["name"], value, "select"] for value in values]
            self.select = None
        elif tag == "form":
            self.form = None


def page_form(page, action):
    """The POST form of ``page`` whose action is ``action`` (or empty: the page's own URL)."""
    parser = FormParser()
    parser.feed(page)
    found = [f for f in parser.forms if f["method"].lower() == "post" and f["action"] in ("", action)]
    found = found or [f for f in parser.forms if f["action"] == action]
    assert found, f"no form posting to {action}"
    return max(found, key=lambda f: len(f["fields"]))


def typed_names(response, form_class):
    """The free-text fields of the ``form_class`` forms the view rendered (dynamic fields and
    formsets included), as named in the page; None when the case names no class (Django's admin)."""
    if form_class is None:
        return None
    values = {id(v): v for c in response.context for d in c.dicts for v in d.values()}.values()
    found = [v for v in values if isinstance(v, form_class)]
    found += [v.form for v in values if isinstance(getattr(v, "form", None), form_class)]  # the admin's
    found += [f for v in values if isinstance(v, forms.BaseFormSet) for f in v.forms if isinstance(f, form_class)]
    assert found, f"the page does not render a {form_class.__name__}"
    return {
        form.add_prefix(name)
        for form in found
        for name, form_field in form.fields.items()
        if isinstance(form_field, forms.CharField)
        and not isinstance(form_field.widget, forms.PasswordInput | forms.HiddenInput)
    }


def fitting(text, max_length):
    return text if not max_length or len(text) <= max_length else text[:max_length]


@dataclass
class Case:
    """One form, posted through its page: ``page`` is where it is shown, ``action`` where it posts."""

    form: type | None
    user: str | None  # a name of the cast; None: logged out
    page: object  # (cast, ctx) -> URL of the page that holds the form
    action: object = None  # (cast, ctx) -> URL it posts to; the page's own by default
    fixed: dict = field(default_factory=dict)  # values for fields the text may not go in (validated)
    choose: object = field(default_factory=dict)  # non-text values to send, or (cast, ctx) -> them
    files: object = None  # (text) -> {name: upload}
    shown: object = None  # (cast, ctx) -> URLs that show what was saved
    method: str = "post"
    expect: int = 302
    after: object = None  # (cast, ctx) -> None, run after a successful post
    typed: set | None = None  # the free-text fields, when the page writes the form by hand


def fill(client, case, cast, ctx, text, lengths=None, check_page=None):
    """Posts ``case`` with ``text`` in every free-text field; returns (response, names filled).

    ``check_page(url, html)`` sees the form's page first: it shows what earlier cases saved
    (the report editor shows the outline's guidance as help text)."""
    page_url = case.page(cast, ctx)
    action = case.action(cast, ctx) if case.action else page_url
    if case.user:
        client.force_login(cast.user(case.user))
    else:
        client.logout()
    if case.method == "get":
        response = client.get(page_url, {"q": text})
        return response, {"q"}
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    if check_page:
        check_page(page_url, page.content.decode())
    form = page_form(page.content.decode(), action)
    typed = case.typed or typed_names(page, case.form)
    data, filled = {}, set()
    for name, value, kind in form["fields"]:
        if kind in TEXT_INPUTS or kind == "textarea":
            if name in case.fixed:
                value = case.fixed[name]
            elif name in typed if typed is not None else not name.endswith(("_0", "_1")):
                value = fitting(text, (lengths or {}).get(name.rsplit("-", 1)[-1]))
                filled.add(name)
        data.setdefault(name, []).append(value)
    choose = case.choose(cast, ctx) if callable(case.choose) else case.choose
    for name, value in choose.items():
        value = value(cast, ctx) if callable(value) else value
        data[name] = value if isinstance(value, list) else [value]
    if case.files:
        data.update(case.files(text))
    response = client.post(action, data)
    return response, filled


def _report_request(ctx):
    return ReportRequest.objects.get(pk=ctx["request_pk"])


def _report(ctx):
    return Report.objects.get(pk=ctx["report_pk"])


def _start_report(cast, ctx):
    report_request = ReportRequest.objects.order_by("-pk").first()
    ctx["request_pk"] = report_request.pk
    from reports import workflow

    ctx["report_pk"] = workflow.start(report_request, cast.commune_x, cast.official_x).pk


def _submit(cast, ctx):
    from reports import workflow

    workflow.submit(_report(ctx), cast.official_x)
    ctx["version_pk"] = _report(ctx).versions.order_by("-number").first().pk


def _accept(cast, ctx):
    from reports import workflow

    report = _report(ctx)
    if report.status == Report.Status.RETURNED:
        workflow.submit(report, cast.official_x)
        report.refresh_from_db()
    workflow.accept(report, cast.staff_p)
    ctx["version_pk"] = report.versions.order_by("-number").first().pk


def _new_village(cast, ctx):
    ctx["free_village"] = Village.objects.create(commune=cast.commune_x, name="Thôn Mới").pk


def _certificate(text):
    p12 = demo_signing.make_test_p12(text[:64] or "x", text[:64] or "x", "mat-khau-p12")
    return {"p12_file": SimpleUploadedFile("cert.p12", p12), "password": "mat-khau-p12"}


def _scan(text):
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(png, "PNG")
    name = "".join(c for c in text if c not in "/\\")[:100] + ".png"
    return {"file": SimpleUploadedFile(name, png.getvalue(), content_type="image/png")}


def _x(cast):
    return cast.commune_x.pk


LISTS = ["teams:village_list", "teams:team_list", "teams:member_list", "activity_list"]


def _commune_pages(cast, ctx):
    x = cast.commune_x.pk
    return [
        reverse("teams:commune_detail", args=[x]),
        reverse("teams:village_list", args=[x]),
        reverse("teams:team_list", args=[x]),
        reverse("teams:member_list", args=[x]),
        reverse("teams:activity_list", args=[x]),
        reverse("teams:team_detail", args=[cast.team_x.pk]),
        reverse("teams:team_activity_list", args=[cast.team_x.pk]),
    ]


def _exports(cast, ctx):
    x = cast.commune_x.pk
    names = ["village_export", "team_export", "member_export", "activity_export"]
    return [reverse(f"teams:{name}", args=[x]) for name in names] + [
        reverse("teams:team_activity_export", args=[cast.team_x.pk])
    ]


def _report_pages(cast, ctx):
    pages = [
        reverse("reports:request_list"),
        reverse("reports:request_detail", args=[ctx["request_pk"]]),
        reverse("reports:report_detail", args=[ctx["report_pk"]]),
        reverse("reports:report_print", args=[ctx["report_pk"]]),
        reverse("reports:report_pdf", args=[ctx["report_pk"]]),
    ]
    if "version_pk" in ctx:
        pages += [
            reverse("reports:version_print", args=[ctx["version_pk"]]),
            reverse("reports:version_pdf", args=[ctx["version_pk"]]),
            reverse("reports:version_signatures", args=[ctx["version_pk"]]),
        ]
    return pages


def _staff_pages(cast, ctx):
    r = ctx["request_pk"]
    return [
        reverse("dashboards:completeness", args=[r]),
        reverse("reports:summary_detail", args=[r]),
        # The summary's PDF and appendix and a province's list, made in the background (exports/).
        reverse("exports:export_list"),
        *[
            reverse(name, args=[ctx[key]])
            for key in ("summary_pdf_export", "summary_xlsx_export", "member_export")
            for name in ("exports:export_detail", "exports:export_download")
        ],
        reverse("dashboards:province_dashboard", args=[cast.province_p.pk]),
        reverse("reports:indicator_list"),
        reverse("dashboards:home"),
    ]


def _everything(cast, ctx):
    """Who sees what: (user, URL) of every page, PDF and export that can show stored text."""
    official = _commune_pages(cast, ctx) + _exports(cast, ctx) + _report_pages(cast, ctx)
    official += [
        reverse("teams:member_detail", args=[ctx["member_pk"]]),
        reverse("teams:activity_detail", args=[ctx["activity_pk"]]),
        reverse("dashboards:home"),
    ]
    staff = _staff_pages(cast, ctx) + _report_pages(cast, ctx)[:3]
    admin = [
        reverse("reports:certificate_list"),
        reverse("reports:certificate_detail", args=[cast.commune_x.pk]),
        reverse("admin:reports_reportrequest_changelist"),
        reverse("admin:reports_report_changelist"),
        reverse("admin:teams_team_changelist"),
        reverse("admin:teams_member_changelist"),
        reverse("admin:teams_activity_changelist"),
        reverse("admin:portal_user_changelist"),
        reverse("admin:teams_village_change", args=[ctx["village_pk"]]),
    ]
    return (
        [("official_x", url) for url in official]
        + [("staff_p", url) for url in staff]
        + [("admin", url) for url in admin]
        + [("lead_x", reverse("dashboards:home"))]
    )


def _remember(model, key):
    def after(cast, ctx):
        ctx[key] = model.objects.order_by("-pk").first().pk

    return after


def cases():
    """The cases in the order they run: later ones use what earlier ones saved (ctx)."""
    from portal.forms import AdminUserChangeForm, AdminUserCreationForm, LoginForm
    from reports.forms import (
        IndicatorForm,
        OutlineSectionForm,
        ProvinceSummaryForm,
        ReasonForm,
        ReportForm,
        RequestForm,
    )
    from reports.signing.forms import CertificateForm, ScanUploadForm
    from teams import forms as team_forms
    from teams.models import Activity, Member

    day = datetime.date(2026, 1, 20).isoformat()
    x = _x
    return [
        Case(
            team_forms.VillageForm,
            "official_x",
            lambda cast, ctx: reverse("teams:village_add", args=[x(cast)]),
            after=_remember(Village, "village_pk"),
        ),
        Case(
            team_forms.TeamForm,
            "official_x",
            lambda cast, ctx: reverse("teams:team_add", args=[x(cast)]),
            fixed={"zalo_url": "https://zalo.me/g/abcxyz", "zalo_planned_month": ""},
            choose={"level": "commune", "status": "active"},
        ),
        Case(
            team_forms.DecisionForm,
            "official_x",
            lambda cast, ctx: reverse("teams:decision_add", args=[x(cast)]),
            fixed={"number": "241/QĐ-UBND"},
            choose={"signed_on": day, "teams": lambda cast, ctx: [str(cast.team_x.pk)]},
        ),
        Case(
            team_forms.MemberForm,
            "official_x",
            lambda cast, ctx: reverse("teams:member_add", args=[cast.team_x.pk]),
            fixed={"phone": "0912000111"},
            after=_remember(Member, "member_pk"),
        ),
        Case(
            team_forms.ActivityForm,
            "lead_x",
            lambda cast, ctx: reverse("teams:activity_add", args=[cast.team_x.pk]),
            choose={"date": day, "kind": Activity.Kind.DOOR_TO_DOOR, "people_helped": "3"},
            after=_remember(Activity, "activity_pk"),
        ),
        *[
            Case(
                form, "official_x", lambda cast, ctx, name=name: reverse(name, args=[x(cast)]), method="get", expect=200
            )
            for form, name in [
                (team_forms.VillageFilterForm, "teams:village_list"),
                (team_forms.TeamFilterForm, "teams:team_list"),
                (team_forms.MemberFilterForm, "teams:member_list"),
                (team_forms.ActivityFilterForm, "teams:activity_list"),
            ]
        ],
        Case(
            IndicatorForm,
            "staff_p",
            lambda cast, ctx: reverse("reports:indicator_create"),
            fixed={"code": "chi-tieu-thu"},
        ),
        Case(
            RequestForm,
            "staff_p",
            lambda cast, ctx: reverse("reports:request_create"),
            choose={
                "letter_date": "2026-01-05",
                "period_start": "2025-07-01",
                "period_end": "2026-03-31",
                "deadline_0": "2027-01-31",
                "deadline_1": "17:00",
                "communes": lambda cast, ctx: [str(cast.commune_x.pk), str(cast.commune_y.pk)],
                "outline_name": "plan",  # the outline with indicators: their explanations are typed too
            },
            after=_start_report,
        ),
        Case(
            OutlineSectionForm,
            "staff_p",
            lambda cast, ctx: reverse("reports:request_outline", args=[ctx["request_pk"]]),
        ),
        Case(
            ReportForm,
            "official_x",
            lambda cast, ctx: reverse("reports:report_edit", args=[ctx["report_pk"]]),
            fixed={"number": ""},
            # A rate for each indicator, so that its explanation is kept too.
            choose=lambda cast, ctx: {
                f"indicator_{code}_ty_le": "50" for code in _report_request(ctx).indicator_codes()
            },
            after=_submit,
        ),
        Case(
            ReasonForm,
            "staff_p",
            lambda cast, ctx: reverse("reports:report_detail", args=[ctx["report_pk"]]),
            action=lambda cast, ctx: reverse("reports:report_return", args=[ctx["report_pk"]]),
            typed={"reason"},
            after=_accept,
        ),
        Case(
            ProvinceSummaryForm,
            "staff_p",
            lambda cast, ctx: reverse("reports:summary_edit", args=[ctx["request_pk"]]),
            fixed={"number": ""},
        ),
        Case(
            ScanUploadForm,
            "official_x",
            lambda cast, ctx: reverse("reports:version_signatures", args=[ctx["version_pk"]]),
            action=lambda cast, ctx: reverse("reports:version_upload_scan", args=[ctx["version_pk"]]),
            files=_scan,
        ),
        Case(
            CertificateForm,
            "admin",
            lambda cast, ctx: reverse("reports:certificate_detail", args=[x(cast)]),
            action=lambda cast, ctx: reverse("reports:certificate_upload", args=[x(cast)]),
            files=_certificate,
        ),
        # A failed login shows the user name typed again.
        Case(LoginForm, None, lambda cast, ctx: reverse("login"), expect=200),
        # The administrator's user forms (Django's admin): the names shown on every page.
        Case(
            AdminUserCreationForm,
            "admin",
            lambda cast, ctx: reverse("admin:portal_user_add"),
            fixed={"username": "nguoi_moi"},
            choose={"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!", "role": "admin"},
        ),
        Case(
            AdminUserChangeForm,
            "admin",
            lambda cast, ctx: reverse("admin:portal_user_change", args=[cast.official_x.pk]),
            fixed={"username": "official_x", "email": "", "phone": "", "first_name": "", "last_name": ""},
        ),
        # The department's buttons that make a file in the background (exports/): pressed last, so
        # that the files hold everything typed above; _staff_pages opens each file's page and download.
        Case(
            None,
            "staff_p",
            lambda cast, ctx: reverse("reports:summary_detail", args=[ctx["request_pk"]]),
            action=lambda cast, ctx: reverse("reports:summary_pdf", args=[ctx["request_pk"]]),
            after=_remember(Export, "summary_pdf_export"),
        ),
        Case(
            None,
            "staff_p",
            lambda cast, ctx: reverse("reports:summary_detail", args=[ctx["request_pk"]]),
            action=lambda cast, ctx: reverse("reports:summary_xlsx", args=[ctx["request_pk"]]),
            after=_remember(Export, "summary_xlsx_export"),
        ),
        Case(
            None,
            "staff_p",
            lambda cast, ctx: reverse("dashboards:province_dashboard", args=[cast.province_p.pk]),
            action=lambda cast, ctx: reverse("teams:province_member_export", args=[cast.province_p.pk]),
            after=_remember(Export, "member_export"),
        ),
    ]


# Forms where nobody types text that is kept or shown: why.
NO_CASE = {
    "ListFilterForm": "the base of the four list filters, each of which has its case",
    "PortalSignForm": "a password only",
    "SignedPdfUploadForm": "a signed PDF: its file name is kept as the scan's is (ScanUploadForm's case)",
}


def column_lengths():
    """Field name -> max_length over the project's models, so that a text fits where it goes."""
    lengths = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for model_field in model._meta.get_fields():
                if isinstance(model_field, models.CharField) and model_field.max_length:
                    current = lengths.get(model_field.name)
                    lengths[model_field.name] = min(current or model_field.max_length, model_field.max_length)
    return lengths


def pdf_text(data):
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def run_all(client, cast, text, check_page=None):
    """Runs every case with ``text``; returns ctx (what was saved, for the pages to check)."""
    ctx = {}
    lengths = column_lengths()
    for case in cases():
        response, filled = fill(client, case, cast, ctx, text, lengths, check_page)
        if check_page and case.expect == 200:
            check_page(case.page(cast, ctx), response.content.decode())
        label = case.form.__name__ if case.form else case.page(cast, ctx)
        assert response.status_code == case.expect, (label, response.status_code, _errors(response))
        if case.form is not None and case.method == "post":
            missing = {name for name in free_text_fields(case.form) if name not in case.fixed} - {
                name.rsplit("-", 1)[-1] for name in filled
            }
            assert not missing, (label, "not filled from the page", missing)
        if case.after:
            case.after(cast, ctx)
    return ctx


def _errors(response):
    context = getattr(response, "context", None)
    if not context:
        return ""
    found = []
    values = [v for c in context for d in c.dicts for v in d.values()] if hasattr(context, "__iter__") else []
    for value in {id(v): v for v in values}.values():
        if isinstance(value, forms.BaseForm) and value.errors:
            found.append(dict(value.errors))
        if isinstance(value, forms.BaseFormSet):
            found.append([f.errors for f in value.forms] + [value.non_form_errors()])
    return found


def shown_pages(cast, ctx):
    return _everything(cast, ctx)
