"""Text a person or an import gives the portal: one rule, used by every form and every import.

- Unicode NFC: Vietnamese typed with combining marks ("Hu\u031bo\u031b\u0300ng", as some keyboards
  and pasted documents give it) is stored as the precomposed "Hường", so searches, duplicate
  checks and sorting see one spelling.
- Control characters (BEL, backspace, vertical tab, U+001F, the C1 range...) and the invisible
  bidirectional overrides are refused with a Vietnamese message: they are never typed on
  purpose, they break spreadsheet writers and print as nothing in PDFs. Line breaks and tabs
  stay.

``clean_text`` refuses; ``strip_text`` removes (for rows already stored, and at write time in
exports and PDFs, so that no stored text can make them fail).
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError

# C0 except tab, line feed and carriage return; DEL; C1; bidirectional embeddings, overrides and
# isolates (text that displays reversed); the non-characters U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
MESSAGE = (
    "Nội dung có ký tự điều khiển không nhìn thấy được (thường do sao chép từ tệp khác): "
    "hãy gõ lại đoạn này hoặc dán dưới dạng văn bản thường."
)


def clean_text(value):
    """``value`` in NFC; raises ValidationError (Vietnamese) if it holds a control character."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    if FORBIDDEN.search(value):
        raise ValidationError(MESSAGE, code="control_characters")
    return value


def strip_text(value):
    """``value`` in NFC with every forbidden character removed (never raises)."""
    if not isinstance(value, str):
        return value
    return FORBIDDEN.sub("", unicodedata.normalize("NFC", value))


def _cleaning(to_python, one_line=False):
    def cleaned(value):
        value = clean_text(to_python(value))
        return " ".join(value.split()) if one_line and isinstance(value, str) else value

    cleaned.cleans_text = True
    return cleaned


class CleanTextMixin:
    """For every form of the portal: each text field's value goes through ``clean_text`` before the
    field's own validation and the form's ``clean_<field>`` see it, and a one-line box (not a
    textarea) keeps single spaces between its words, as the Excel imports do: "Nguyễn  Văn An"
    typed with two spaces is the member the import knows. Passwords are left as typed."""

    def full_clean(self):
        for form_field in self.fields.values():
            if (
                isinstance(form_field, forms.CharField)
                and not isinstance(form_field.widget, forms.PasswordInput)
                and not getattr(form_field.to_python, "cleans_text", False)
            ):
                one_line = not isinstance(form_field.widget, forms.Textarea)
                form_field.to_python = _cleaning(form_field.to_python, one_line)
        super().full_clean()


class CleanTextModelForm(CleanTextMixin, forms.ModelForm):
    """The ModelForm every admin page starts from (portal/apps.py)."""


def as_id(value):
    """The row id that a query or form value names, or None: ASCII digits only ("²".isdigit() is
    true too, and int() refuses it), at most 18 of them (a bigint)."""
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None
