"""Vietnamese ways of writing numbers and dates, as Decree 30/2020 and officials use them.

Every template filter and every PDF goes through these functions, so that a figure looks
the same on the screen, in the report and in the Excel export.
"""

import datetime
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

# The Vietnamese alphabet, in dictionary order (with f, j, w, z for foreign names), and the
# tones in the order dictionaries use: ngang, huyền, hỏi, ngã, sắc, nặng.
ALPHABET = {letter: index for index, letter in enumerate("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")}
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def number(value, decimals=0):
    """35932 -> "35.932"; number(66.89, 2) -> "66,89"; None -> "".

    Trailing zeros of the decimal part are dropped (100,0 -> 100), as people write them.
    """
    if value is None or value == "":
        return ""
    if type(value) is int:  # the usual case, a count: no Decimal needed (a dashboard formats ~1,000)
        return f"{value:,}".replace(",", ".")
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    fraction = fraction.rstrip("0")
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def percent(part, whole, decimals=2):
    """Share of part in whole as "92,86 %"; "" when whole is zero or unknown."""
    if not whole or part is None:
        return ""
    return number(Decimal(part) * 100 / Decimal(whole), decimals) + " %"


def ratio(part, whole, decimals=2):
    """The share itself (0 to 100) as a Decimal, or None when whole is zero."""
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _day(d):
    return f"{d.day:02d}"


def _month(d):
    # Decree 30: days under 10 and the months January and February take a leading zero.
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def citation_date(d):
    """The date as cited in a document: 19/12/2025, 05/9/2025, 05/01/2026."""
    if not d:
        return ""
    return f"{_day(d)}/{_month(d)}/{d.year}"


def long_date(d):
    """ "ngày 05 tháng 01 năm 2026", as in the place-date line of a document."""
    if not d:
        return ""
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def blank_long_date(year):
    """The place-date line of an unregistered document: the clerk writes day and month by hand."""
    return f"ngày      tháng      năm {year}"


def month_year(d):
    """ "tháng 01 năm 2026"."""
    if not d:
        return ""
    return f"tháng {_month(d)} năm {d.year}"


def short_month_year(d):
    """ "tháng 01 năm 2026" ... "tháng 12 năm 2026": a month on a screen, in a list of months."""
    if not d:
        return ""
    return f"tháng {d.month:02d} năm {d.year}"


def short_date(d):
    """dd/mm/yyyy, for tables and forms."""
    if not d:
        return ""
    if isinstance(d, datetime.datetime):
        d = d.date()
    return d.strftime("%d/%m/%Y")


def document_number(number, symbol):
    """ "Số" line of a document: 12/BC-UBND, 05/BC-UBND, and blanks when not registered yet."""
    if number in (None, ""):
        return f"{' ' * 6}/{symbol}"
    number = str(number).strip()
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    return f"{number}/{symbol}"


def sort_key(text):
    """A key that sorts names as a Vietnamese dictionary does: "Ân Thi" after "An Lão" and
    before "Bình Giang", "Đông Hải" after "Dương Kinh"; by letters first, then by tones."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", text or "").casefold():
        parts = unicodedata.normalize("NFD", char)
        tones.append(next((TONES[mark] for mark in parts if mark in TONES), 0))
        base = unicodedata.normalize("NFC", "".join(mark for mark in parts if mark not in TONES))
        # Spaces, digits and punctuation come before letters, as they do in code point order.
        letters.append(1000 + ALPHABET[base] if base in ALPHABET else ord(base[0]))
    return letters, tones
