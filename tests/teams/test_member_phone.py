import pytest
from django.core.exceptions import ValidationError

from teams.forms import normalize_phone


@pytest.mark.parametrize(
    "typed",
    ["0912345678", "+84912345678", "84912345678", "+84 912 345 678", "0912.345.678", "0912-345-678", "912345678"],
)
def test_a_mobile_number_typed_any_usual_way_becomes_ten_digits_starting_with_zero(typed):
    assert normalize_phone(typed) == "0912345678"


def test_an_empty_phone_stays_empty():
    assert normalize_phone("  ") == ""


@pytest.mark.parametrize("typed", ["0212345678", "091234567", "09123456789", "abc", "+1 912345678"])
def test_it_refuses_what_is_not_a_vietnamese_mobile_number(typed):
    with pytest.raises(ValidationError, match="Số điện thoại"):
        normalize_phone(typed)
