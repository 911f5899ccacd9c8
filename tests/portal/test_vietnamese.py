import datetime
from decimal import Decimal

from portal import vietnamese


def test_numbers_use_dots_between_thousands_and_a_comma_for_decimals():
    assert vietnamese.number(35932) == "35.932"
    assert vietnamese.number(1234567) == "1.234.567"
    assert vietnamese.number(Decimal("66.89"), 2) == "66,89"
    assert vietnamese.number(100.0, 2) == "100"
    assert vietnamese.number(-1500) == "-1.500"
    assert vietnamese.number(None) == ""


def test_percent_drops_trailing_zeros_and_refuses_a_zero_whole():
    assert vietnamese.percent(14, 14) == "100 %"
    assert vietnamese.percent(13, 14) == "92,86 %"
    assert vietnamese.percent(1, 0) == ""


def test_days_under_ten_and_january_february_take_a_leading_zero():
    assert vietnamese.long_date(datetime.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert vietnamese.long_date(datetime.date(2025, 9, 26)) == "ngày 26 tháng 9 năm 2025"
    assert vietnamese.citation_date(datetime.date(2025, 9, 5)) == "05/9/2025"
    assert vietnamese.citation_date(datetime.date(2025, 12, 19)) == "19/12/2025"
    assert vietnamese.month_year(datetime.date(2026, 1, 1)) == "tháng 01 năm 2026"


def test_document_numbers_under_ten_take_a_leading_zero_and_blank_ones_keep_room():
    assert vietnamese.document_number(12, "BC-UBND") == "12/BC-UBND"
    assert vietnamese.document_number("5", "BC-UBND") == "05/BC-UBND"
    assert vietnamese.document_number("", "BC-UBND") == "      /BC-UBND"


def test_names_sort_as_in_a_vietnamese_dictionary():
    names = [
        "Xã Yên Lãng",
        "Phường Đông Hải",
        "Xã Ân Thi",
        "Xã An Lão",
        "Phường Dương Kinh",
        "Xã Bình Giang",
        "Xã Ăn Mòn",
    ]
    assert sorted(names, key=vietnamese.sort_key) == [
        "Phường Dương Kinh",
        "Phường Đông Hải",
        "Xã An Lão",
        "Xã Ăn Mòn",
        "Xã Ân Thi",
        "Xã Bình Giang",
        "Xã Yên Lãng",
    ]
    # Same letters: the tone decides (ngang, huyền, hỏi, ngã, sắc, nặng).
    assert sorted(["Hà", "Hạ", "Ha", "Há", "Hả", "Hã"], key=vietnamese.sort_key) == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]


def test_a_deadline_early_in_the_morning_in_vietnam_is_shown_on_its_own_day():
    from django.template import Context, Template

    deadline = datetime.datetime(2026, 2, 9, 17, 30, tzinfo=datetime.UTC)  # 00:30 on 10/02 in Vietnam
    html = Template("{{ d|citation_date }} · {{ d|long_date }}").render(Context({"d": deadline}))
    assert html == "10/02/2026 · ngày 10 tháng 02 năm 2026"


def test_whole_numbers_take_the_quick_path_with_the_same_result():
    from portal.vietnamese import number

    assert [number(n) for n in (0, 7, 1250, -1250, 408999, 5111102)] == [
        "0",
        "7",
        "1.250",
        "-1.250",
        "408.999",
        "5.111.102",
    ]
    assert number(1250.0) == "1.250"
