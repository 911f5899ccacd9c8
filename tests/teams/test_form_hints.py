"""What the activity and team forms tell before a second submission: photos to choose again
after an error, and only the villages that can still take an active team."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from teams.models import Activity, ActivityPhoto, Team, Village
from tests.cast import make_team

WARNING = "Ảnh đã chọn chưa được lưu: hãy chọn lại ảnh ({} ảnh) trước khi lưu."


def photo(name="anh.png", fmt="PNG"):
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def activity_data(**changes):
    data = {
        "date": "15/13/2026",  # no 13th month: the form is shown again
        "kind": "training",
        "topics": ["1"],
        "place": "Nhà văn hóa thôn",
        "people_helped": "25",
        "households_reached": "12",
        "accounts_created": "4",
        "notes": "Ghi chú giữ lại",
    }
    return {**data, **changes}


def activity_urls(cast):
    return {
        "add": reverse("teams:activity_add", args=[cast.team_x.pk]),
        "edit": reverse("teams:activity_edit", args=[cast.activity_x.pk]),
    }


@pytest.mark.parametrize("which", ["add", "edit"])
@pytest.mark.parametrize("count", [1, 2])
def test_photos_sent_with_a_refused_form_are_to_be_chosen_again(client, cast, which, count):
    client.force_login(cast.official_x)
    photos = [photo("a.png"), photo("b.jpg", "JPEG")][:count]
    before = Activity.objects.count()
    response = client.post(activity_urls(cast)[which], activity_data(photos=photos))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ghi chú giữ lại" in page  # the other fields are kept
    assert WARNING.format(count) in page
    # Beside the photo field, and the file input points at it.
    assert page.index('name="photos"') < page.index("data-photos-not-kept") < page.index("Lưu hoạt động</button>")
    photo_input = re.search(r'<input type="file" name="photos"[^>]*>', page).group(0)
    assert 'aria-describedby="id_photos_not_kept"' in photo_input
    assert Activity.objects.count() == before and not ActivityPhoto.objects.exists()


@pytest.mark.parametrize("which", ["add", "edit"])
def test_no_photo_warning_when_no_file_was_sent(client, cast, which):
    client.force_login(cast.official_x)
    response = client.post(activity_urls(cast)[which], activity_data())
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_date_error"' in page
    assert "Ảnh đã chọn chưa được lưu" not in page and "data-photos-not-kept" not in page


def test_no_photo_warning_on_the_empty_form(client, cast):
    client.force_login(cast.official_x)
    assert "Ảnh đã chọn chưa được lưu" not in client.get(activity_urls(cast)["add"]).content.decode()


def test_a_photo_that_is_not_an_image_gets_both_its_error_and_the_warning(client, cast):
    client.force_login(cast.official_x)
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    page = client.post(activity_urls(cast)["add"], activity_data(date="03/02/2026", photos=[bad])).content.decode()
    assert "không phải là ảnh" in page and WARNING.format(1) in page
    photo_input = re.search(r'<input type="file" name="photos"[^>]*>', page).group(0)
    assert 'aria-describedby="id_photos_error id_photos_not_kept"' in photo_input


def test_the_photos_are_saved_when_the_form_is_valid(client, cast):
    client.force_login(cast.official_x)
    response = client.post(activity_urls(cast)["add"], activity_data(date="03/02/2026", photos=[photo()]))
    assert response.status_code == 302
    assert ActivityPhoto.objects.filter(activity__team=cast.team_x).count() == 1


# The team form's villages ------------------------------------------------------------------------


def village_options(page):
    select = re.search(r'<select name="village".*?</select>', page, re.S).group(0)
    return {int(value) for value in re.findall(r'<option value="(\d+)"', select)}


@pytest.fixture
def villages(cast):
    """Commune X: village_x (team_x, active), west (an active team), south (a dissolved team), north (none)."""
    west, _ = make_team(cast.commune_x, "Thôn Tây")
    south, south_team = make_team(cast.commune_x, "Thôn Nam")
    Team.objects.filter(pk=south_team.pk).update(status=Team.Status.DISSOLVED)
    north = Village.objects.create(commune=cast.commune_x, name="Thôn Bắc")
    return west, south, north


def test_adding_a_team_offers_only_villages_without_an_active_team(client, cast, villages):
    west, south, north = villages
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:team_add", args=[cast.commune_x.pk])).content.decode()
    assert village_options(page) == {south.pk, north.pk}


def test_editing_a_team_offers_its_own_village(client, cast, villages):
    west, south, north = villages
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:team_edit", args=[cast.team_x.pk])).content.decode()
    assert village_options(page) == {cast.village_x.pk, south.pk, north.pk}
    assert f'<option value="{cast.village_x.pk}" selected>' in page


def test_the_choices_take_as_many_queries_whatever_the_number_of_villages(client, cast, villages):
    client.force_login(cast.official_x)
    url = reverse("teams:team_add", args=[cast.commune_x.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        make_team(cast.commune_x, f"Thôn mới {n}")
        Village.objects.create(commune=cast.commune_x, name=f"Xóm mới {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert len(village_options(page)) == len(villages) - 1 + 5


def test_a_village_taken_since_the_page_was_shown_still_gets_the_clear_message(client, cast):
    client.force_login(cast.official_x)
    data = {"name": "Tổ thứ hai", "level": "village", "status": "active", "village": cast.village_x.pk}
    response = client.post(reverse("teams:team_add", args=[cast.commune_x.pk]), data)
    assert "Thôn này đã có một Tổ đang hoạt động." in response.content.decode()
