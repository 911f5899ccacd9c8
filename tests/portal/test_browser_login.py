import pytest

from tests.cast import PASSWORD

pytestmark = pytest.mark.browser


def test_a_commune_official_logs_in_and_sees_the_commune_home_page(cast, login_page):
    page = login_page(cast.official_x, PASSWORD)
    assert page.text_content("h1") == "Xã Hà Tây"
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Thôn, tổ dân phố" in page.text_content("main")
    # Bootstrap came from the portal itself: the navigation bar is styled.
    assert page.eval_on_selector("nav.navbar", "el => getComputedStyle(el).display") == "flex"
