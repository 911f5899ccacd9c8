"""Finding 9 of issue 10: control characters typed or pasted into any text field are refused with a
Vietnamese message, Vietnamese typed with combining marks is stored as NFC, by every form
(tests/security/sweep.py's cases) and the Excel imports; rows stored before are cleaned by a
migration, and no stored text can make an export or a PDF fail."""

import importlib
import io
import unicodedata
from pathlib import Path

import xlsxwriter
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from portal.text import MESSAGE, clean_text, strip_text
from teams.models import Activity, Member, Village
from tests.security import sweep

NFC = "Hường Đông"
NFD = unicodedata.normalize("NFD", NFC)
BAD = "Thôn\x07 Đông\x08\x0b\x1f"


def test_the_rule_itself():
    assert NFD != NFC and clean_text(NFD) == NFC
    assert clean_text("Dòng một\nDòng hai\tcột") == "Dòng một\nDòng hai\tcột"
    for char in ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\u202e"]:
        try:
            clean_text(f"a{char}b")
        except Exception as error:
            assert MESSAGE in str(error)
        else:
            raise AssertionError(f"{char!r} accepted")
    assert strip_text(BAD) == "Thôn Đông"


def test_every_form_refuses_control_characters_then_stores_nfc(client, cast):
    ctx, lengths, refused = {}, sweep.column_lengths(), []
    for case in sweep.cases():
        response, filled = sweep.fill(client, case, cast, ctx, BAD, lengths)
        if filled and case.method == "post":
            label = case.form.__name__ if case.form else "admin"
            if response.status_code == 302:  # a button on a page: the message is on the page it returns to
                response = client.get(response["Location"])
            assert response.status_code in (200, 400), (label, response.status_code)
            assert MESSAGE in response.content.decode(), label
            refused.append(label)
        response, _ = sweep.fill(client, case, cast, ctx, NFD, lengths)
        assert response.status_code == case.expect, (case.form, response.status_code, sweep._errors(response))
        if case.after:
            case.after(cast, ctx)
    assert len(refused) >= 12, refused
    stored_bad, stored_nfd, stored_nfc = [], [], []
    for column in sorted(sweep.typed_text_columns()):
        app, model_name, name = column.split(".")
        rows = apps.get_model(app, model_name).objects
        if rows.filter(Q(**{f"{name}__contains": "\x07"}) | Q(**{f"{name}__contains": "\x08"})).exists():
            stored_bad.append(column)
        if rows.filter(**{f"{name}__contains": NFD}).exists():
            stored_nfd.append(column)
        if rows.filter(**{f"{name}__contains": NFC[:5]}).exists():
            stored_nfc.append(column)
    assert stored_bad == [] and stored_nfd == []
    assert "teams.Village.name" in stored_nfc and "reports.Report.opening" in stored_nfc


def xlsx(headers, *rows):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for n, row in enumerate([headers, *rows]):
        for m, value in enumerate(row):
            sheet.write_string(n, m, value)  # a control character is stored as _x0007_, as Excel does
    book.close()
    return SimpleUploadedFile("nhap.xlsx", out.getvalue())


def test_the_imports_refuse_control_characters_and_store_nfc(client, cast):
    client.force_login(cast.official_x)
    village_url = reverse("teams:village_import", args=[cast.commune_x.pk])
    headers = ["Tên", "Loại", "Số hộ", "Số nhân khẩu"]
    page = client.post(village_url, {"file": xlsx(headers, [BAD, "Thôn", "", ""])}).content.decode()
    assert "Dòng 2, cột Tên: có ký tự điều khiển không nhìn thấy được" in page
    assert not Village.objects.filter(name__contains="\x07").exists()

    client.post(village_url, {"file": xlsx(headers, [NFD, "Thôn", "", ""])})
    client.post(reverse("teams:village_import_confirm", args=[cast.commune_x.pk]))
    assert Village.objects.filter(name=NFC).exists() and not Village.objects.filter(name=NFD).exists()

    member_url = reverse("teams:member_import", args=[cast.commune_x.pk])
    headers = [column.header for column in __import__("teams.excel").excel.member_sheet(cast.commune_x).columns]
    row = [BAD if column == "Họ và tên" else "" for column in headers]
    row[headers.index("Tổ")] = cast.team_x.name
    page = client.post(member_url, {"file": xlsx(headers, row)}).content.decode()
    assert "cột Họ và tên: có ký tự điều khiển không nhìn thấy được" in page
    assert not Member.objects.filter(full_name__contains="\x07").exists()


def test_stored_control_characters_are_cleaned_by_the_migration_and_break_no_export_or_pdf(client, cast):
    ctx = sweep.run_all(client, cast, "Nội dung")
    # Rows as they could be stored before this change: control characters and decomposed text.
    Village.objects.filter(pk=cast.village_x.pk).update(name=BAD)
    Member.objects.filter(team=cast.team_x).update(full_name=BAD + NFD)
    Activity.objects.filter(team=cast.team_x).update(place=BAD, notes=BAD + "\nghi chú")
    apps.get_model("reports", "Report").objects.update(opening=BAD, signer_name=BAD)
    broken = []
    for user, url in sweep.shown_pages(cast, ctx):
        client.force_login(cast.user(user))
        response = client.get(url, follow=True)
        body = b"".join(response) if response.streaming else response.content
        if response.status_code != 200:
            broken.append((url, response.status_code))
        elif response["Content-Type"] == "application/pdf":
            text = sweep.pdf_text(body)
            assert "\x07" not in text and "\x08" not in text, url
        elif "spreadsheetml" in response["Content-Type"]:
            load_workbook(io.BytesIO(body))
    assert broken == []

    migration = importlib.import_module("reports.migrations.0012_clean_stored_text")
    migration.clean_rows(apps, None)
    assert Village.objects.get(pk=cast.village_x.pk).name == "Thôn Đông"
    assert Member.objects.filter(team=cast.team_x).first().full_name == "Thôn Đông" + NFC
    assert Activity.objects.filter(team=cast.team_x).first().notes == "Thôn Đông\nghi chú"


def test_every_form_of_the_portal_with_a_text_field_applies_the_rule():
    """A new form cannot forget it: every Form class of the portal's own apps that has a text
    field (a password aside) cleans its text as portal/text.py says."""
    import pkgutil

    from django import forms as django_forms

    from portal.text import CleanTextMixin

    own = [config for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR]
    assert {"portal", "teams", "reports", "accounts"} <= {config.name for config in own}
    for config in own:
        for module in pkgutil.walk_packages([config.path], f"{config.name}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forgotten = []
    for form in set(subclasses(django_forms.BaseForm)):
        if not form.__module__.startswith(tuple(f"{config.name}." for config in own)):
            continue
        try:
            fields = form.base_fields
        except AttributeError:
            continue
        texts = [
            name
            for name, field in fields.items()
            if isinstance(field, django_forms.CharField) and not isinstance(field.widget, django_forms.PasswordInput)
        ]
        if texts and not issubclass(form, CleanTextMixin):
            forgotten.append(f"{form.__module__}.{form.__qualname__} ({', '.join(texts)})")
    assert forgotten == []
    assert issubclass(importlib.import_module("accounts.forms").UserForm, CleanTextMixin)


def test_a_name_typed_decomposed_sorts_as_its_composed_form():
    from portal.vietnamese import sort_key

    composed = "Nguyễn Thị Hường"
    assert sort_key(unicodedata.normalize("NFD", composed)) == sort_key(composed)
