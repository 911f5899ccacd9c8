from django.contrib import admin


def columns(model_admin):
    """(field name, header) of a ModelAdmin's list columns and its inlines' read-only columns."""
    names = [(model_admin.model, name) for name in model_admin.list_display]
    for inline in model_admin.inlines:
        names += [(inline.model, name) for name in inline.readonly_fields]
    return [(name, str(model._meta.get_field(name).verbose_name)) for model, name in names]


def test_every_reports_admin_column_has_a_vietnamese_header():
    """Django's default header is the field's name with spaces ("uploaded by"): a sign one was forgotten."""
    admins = [a for m, a in admin.site._registry.items() if m._meta.app_label == "reports"]
    untitled = [(name, header) for a in admins for name, header in columns(a) if header == name.replace("_", " ")]
    assert untitled == []
