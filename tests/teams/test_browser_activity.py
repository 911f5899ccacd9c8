import pytest

from teams.models import Activity, Topic
from tests.cast import PASSWORD

pytestmark = pytest.mark.browser


def test_a_team_lead_logs_an_activity_from_a_phone(cast, login_page, live_server):
    page = login_page(cast.lead_x, PASSWORD, viewport={"width": 390, "height": 844})
    page.click("main >> text=Ghi hoạt động")
    page.select_option("select[name=kind]", "door_to_door")
    page.check("input[name=topics][value='1']")
    page.check("input[name=topics][value='8']")
    page.fill("input[name=people_helped]", "7")
    page.click("main button[type=submit]")
    # The phone keeps a copy of the typing before posting it (static/offline.js), then the page moves on.
    page.wait_for_selector("text=Đã ghi hoạt động")
    # The form fits the phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    activity = Activity.objects.filter(team=cast.team_x).exclude(pk=cast.activity_x.pk).get()
    assert (activity.people_helped, activity.topics, activity.created_by) == (
        7,
        Topic.VNEID | Topic.EHEALTH,
        cast.lead_x,
    )
