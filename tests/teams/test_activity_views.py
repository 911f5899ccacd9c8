import datetime
import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from teams.models import Activity, ActivityMonth, ActivityPhoto, Topic
from tests.cast import make_team


def activity(team, day, kind="door_to_door", topics=Topic.VNEID, people=5, **extra):
    return Activity.objects.create(team=team, date=day, kind=kind, topics=topics, people_helped=people, **extra)


def image(name="anh.jpg", fmt="JPEG", size=(8, 8)):
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_data(**changes):
    data = {
        "date": "2026-02-03",
        "kind": "training",
        "topics": ["1", "2"],
        "place": "Nhà văn hóa thôn",
        "people_helped": "25",
        "households_reached": "12",
        "accounts_created": "4",
        "notes": "",
    }
    return {**data, **changes}


def rows_of(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))


# The lists ---------------------------------------------------------------------------------


@pytest.fixture
def activities(cast):
    """Besides the cast's (15/1/2026, team_x): three more of commune X over two teams."""
    _, west = make_team(cast.commune_x, "Thôn Tây")
    activity(cast.team_x, datetime.date(2026, 2, 10), "training", Topic.CASHLESS | Topic.VNEID, 40, place="Chợ Đông")
    activity(west, datetime.date(2026, 3, 5), "meeting", Topic.EHEALTH, 8, notes="Họp tổ dân phố")
    activity(west, datetime.date(2025, 12, 20), "door_to_door", Topic.VNEID, 3)
    return west


def test_the_commune_list_filters_by_team_kind_topic_and_dates(client, cast, activities):
    client.force_login(cast.official_x)
    url = reverse("teams:activity_list", args=[cast.commune_x.pk])
    assert "Hoạt động (4)" in client.get(url).content.decode()
    assert "Hoạt động (2)" in client.get(url, {"team": activities.pk}).content.decode()
    assert "Hoạt động (1)" in client.get(url, {"kind": "meeting"}).content.decode()
    assert "Hoạt động (3)" in client.get(url, {"topic": Topic.VNEID.value}).content.decode()
    assert "Hoạt động (1)" in client.get(url, {"topic": Topic.CASHLESS.value}).content.decode()
    dates = {"tu_ngay": "2026-01-01", "den_ngay": "2026-02-28"}
    assert "Hoạt động (2)" in client.get(url, dates).content.decode()
    assert "Hoạt động (1)" in client.get(url, {"q": "chợ"}).content.decode()
    assert "Hoạt động (1)" in client.get(url, {"q": "họp tổ"}).content.decode()
    assert "Tổ CNSCĐ Tổ dân phố số 1" not in client.get(url).content.decode()  # commune Y's


def test_the_commune_list_sorts_newest_first_by_default(client, cast, activities):
    client.force_login(cast.official_x)
    url = reverse("teams:activity_list", args=[cast.commune_x.pk])
    page = client.get(url).content.decode()
    assert page.index("05/03/2026") < page.index("10/02/2026") < page.index("15/01/2026") < page.index("20/12/2025")
    page = client.get(url, {"sap_xep": "nguoi"}).content.decode()
    assert page.index("10/02/2026") < page.index("15/01/2026") < page.index("05/03/2026")
    page = client.get(url, {"sap_xep": "cu-nhat"}).content.decode()
    assert page.index("20/12/2025") < page.index("05/03/2026")


def test_the_activity_list_needs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    """Teams are joined in the page's query, so 60 activities cost what 1 does: session,
    user, the user's unit in the menu (2), commune, the team filter's choices, count, page."""
    Activity.objects.bulk_create(
        Activity(team=cast.team_x, commune=cast.commune_x, date=datetime.date(2026, 1, 1), kind="meeting")
        for _ in range(60)
    )
    client.force_login(cast.official_x)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("teams:activity_list", args=[cast.commune_x.pk]))
    assert "Trang 1 / 2" in response.content.decode()


def test_a_team_lead_sees_their_teams_activities_but_not_the_communes(client, cast, activities):
    client.force_login(cast.lead_x)
    page = client.get(reverse("teams:team_activity_list", args=[cast.team_x.pk])).content.decode()
    assert "Hoạt động (2)" in page
    assert 'name="team"' not in page  # one team: nothing to choose
    assert client.get(reverse("teams:team_activity_list", args=[activities.pk])).status_code == 404
    assert client.get(reverse("teams:activity_list", args=[cast.commune_x.pk])).status_code == 404
    rows = rows_of(client.get(reverse("teams:team_activity_export", args=[cast.team_x.pk]), {"kind": "training"}))
    assert [row[:3] for row in rows[1:]] == [(datetime.datetime(2026, 2, 10), "Tổ CNSCĐ Thôn Đông", "Lớp tập huấn")]


def test_the_team_lead_menu_leads_to_the_team_and_its_activities(client, cast):
    client.force_login(cast.lead_x)
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert reverse("teams:team_activity_list", args=[cast.team_x.pk]) in page
    assert reverse("teams:activity_add", args=[cast.team_x.pk]) in page


def test_the_export_has_every_matching_activity_with_its_topics_and_follows_the_filters(client, cast, activities):
    client.force_login(cast.staff_p)
    url = reverse("teams:activity_export", args=[cast.commune_x.pk])
    rows = rows_of(client.get(url, {"sap_xep": "cu-nhat", "trang": "2"}))
    assert rows[0][:4] == ("Ngày", "Tổ", "Hình thức", "Nội dung")
    assert len(rows) == 5  # every activity, not one page
    assert rows[3][3] == "VNeID, Thanh toán không dùng tiền mặt"
    assert rows[3][5] == 40
    assert len(rows_of(client.get(url, {"team": activities.pk}))) == 3


def test_a_formula_like_note_is_exported_as_text(client, cast):
    Activity.objects.filter(pk=cast.activity_x.pk).update(notes="=1+1", place="@SUM(A1)")
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:activity_export", args=[cast.commune_x.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert (sheet["I2"].value, sheet["I2"].data_type) == ("=1+1", "s")
    assert (sheet["E2"].value, sheet["E2"].data_type) == ("@SUM(A1)", "s")


# Detail, edit, photos ----------------------------------------------------------------------


def test_a_team_lead_edits_an_activity_and_adds_photos_that_only_the_scope_sees(client, cast):
    client.force_login(cast.lead_x)
    url = reverse("teams:activity_edit", args=[cast.activity_x.pk])
    response = client.post(url, form_data(photos=[image("a.jpg"), image("b.png", "PNG")]))
    assert response.status_code == 302
    cast.activity_x.refresh_from_db()
    assert (cast.activity_x.kind, cast.activity_x.people_helped, cast.activity_x.topics) == (
        "training",
        25,
        Topic.VNEID | Topic.ONLINE_SERVICES,
    )
    photos = list(ActivityPhoto.objects.filter(activity=cast.activity_x))
    assert len(photos) == 2
    page = client.get(reverse("teams:activity_detail", args=[cast.activity_x.pk])).content.decode()
    assert "Nhà văn hóa thôn" in page and "Lớp tập huấn" in page
    photo_url = reverse("teams:activity_photo", args=[photos[0].pk])
    assert photo_url in page
    served = client.get(photo_url)
    assert served.status_code == 200
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).size == (8, 8)
    client.force_login(cast.official_y)
    assert client.get(photo_url).status_code == 404


def test_a_file_that_is_not_an_image_is_refused_in_vietnamese_and_nothing_is_saved(client, cast):
    client.force_login(cast.lead_x)
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post(reverse("teams:activity_add", args=[cast.team_x.pk]), form_data(photos=[fake]))
    assert response.status_code == 200
    assert "Tệp “anh.jpg” không phải là ảnh hoặc ảnh bị hỏng" in response.content.decode()
    assert Activity.objects.filter(team=cast.team_x).count() == 1
    assert not ActivityPhoto.objects.exists()


def test_an_image_of_a_format_browsers_do_not_show_is_refused(client, cast):
    client.force_login(cast.lead_x)
    tiff = image("anh.tif", "TIFF")
    response = client.post(reverse("teams:activity_add", args=[cast.team_x.pk]), form_data(photos=[tiff]))
    assert "cần có dạng JPG, PNG, WEBP hoặc GIF" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_an_over_size_photo_is_refused(client, cast, settings):
    settings.MAX_UPLOAD_BYTES = 200
    client.force_login(cast.lead_x)
    big = image("to.png", "PNG", size=(300, 300))
    response = client.post(reverse("teams:activity_add", args=[cast.team_x.pk]), form_data(photos=[big]))
    assert "Ảnh “to.png” quá lớn" in response.content.decode()
    assert Activity.objects.filter(team=cast.team_x).count() == 1


def test_editing_is_refused_to_staff_and_to_another_commune(client, cast):
    url = reverse("teams:activity_edit", args=[cast.activity_x.pk])
    client.force_login(cast.staff_p)
    assert client.post(url, form_data()).status_code == 403
    client.force_login(cast.official_y)
    assert client.post(url, form_data()).status_code == 404
    assert client.get(reverse("teams:activity_detail", args=[cast.activity_x.pk])).status_code == 404
    cast.activity_x.refresh_from_db()
    assert cast.activity_x.people_helped == 12


def export_peak(client, url):
    """Python's peak memory (bytes) while the export is made and sent."""
    tracemalloc.start()
    try:
        for _ in client.get(url).streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def add_activities(cast, count):
    Activity.objects.bulk_create(
        Activity(
            team=cast.team_x,
            commune=cast.commune_x,
            date=datetime.date(2026, 1, 1) - datetime.timedelta(days=n % 700),
            kind="meeting",
            topics=Topic.VNEID | Topic.CASHLESS,
            place="Nhà văn hóa thôn Đông",
            notes="Hướng dẫn cài đặt VNeID mức 2 cho người cao tuổi",
        )
        for n in range(count)
    )


def test_a_large_export_streams_in_bounded_memory(client, cast):
    """Rows are read 2,000 at a time and handed to the writer one by one: past the first
    2,000, 7,200 more activities add only their compressed file (about 0.2 MB) to the peak
    (held as rows, they would add 4 MB)."""
    client.force_login(cast.official_x)
    url = reverse("teams:activity_export", args=[cast.commune_x.pk])
    b"".join(client.get(url).streaming_content)  # imports the writer and the URLconf first
    add_activities(cast, 2400)
    small = export_peak(client, url)
    add_activities(cast, 7200)
    large = export_peak(client, url)
    assert large - small < 1_000_000
    sheet = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 9602


def add_photos(client, cast, *names):
    client.post(reverse("teams:activity_edit", args=[cast.activity_x.pk]), form_data(photos=[image(n) for n in names]))
    return list(ActivityPhoto.objects.filter(activity=cast.activity_x).order_by("pk"))


def test_a_team_lead_deletes_a_mistaken_activity_with_its_photos_and_the_month_is_recounted(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.lead_x)
    photos = add_photos(client, cast, "a.jpg", "b.jpg")
    stored = [photo.image.path for photo in photos]
    assert all(Path(path).exists() for path in stored)
    assert ActivityMonth.objects.filter(commune=cast.commune_x).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teams:activity_delete", args=[cast.activity_x.pk]), follow=True)
    assert response.redirect_chain == [(reverse("teams:team_activity_list", args=[cast.team_x.pk]), 302)]
    assert "Đã xóa hoạt động ngày 03/02/2026 (Lớp tập huấn)." in response.content.decode()
    assert not Activity.objects.filter(pk=cast.activity_x.pk).exists()
    assert not ActivityPhoto.objects.exists()
    assert not any(Path(path).exists() for path in stored)
    assert not ActivityMonth.objects.filter(commune=cast.commune_x).exists()


def test_deleting_one_photo_keeps_the_activity_and_the_other_photos(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.official_x)
    first, second = add_photos(client, cast, "a.jpg", "b.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teams:activity_photo_delete", args=[first.pk]))
    assert response.url == reverse("teams:activity_detail", args=[cast.activity_x.pk])
    assert list(ActivityPhoto.objects.filter(activity=cast.activity_x)) == [second]
    assert not Path(first.image.path).exists() and Path(second.image.path).exists()


def test_deleting_is_refused_to_get_to_staff_and_to_another_commune(client, cast):
    url = reverse("teams:activity_delete", args=[cast.activity_x.pk])
    client.force_login(cast.lead_x)
    assert client.get(url).status_code == 405
    client.force_login(cast.staff_p)
    assert client.post(url).status_code == 403
    client.force_login(cast.official_y)
    assert client.post(url).status_code == 404
    assert Activity.objects.filter(pk=cast.activity_x.pk).exists()


def test_only_those_who_may_change_an_activity_see_its_delete_buttons(client, cast):
    url = reverse("teams:activity_detail", args=[cast.activity_x.pk])
    client.force_login(cast.lead_x)
    add_photos(client, cast, "a.jpg")
    page = client.get(url).content.decode()
    assert "Xác nhận xóa" in page and "Xóa ảnh 1" in page
    client.force_login(cast.staff_p)
    page = client.get(url).content.decode()
    assert "Xác nhận xóa" not in page and "Xóa ảnh" not in page and "/sua/" not in page


def test_more_than_five_photos_at_once_are_refused(client, cast):
    client.force_login(cast.lead_x)
    photos = [image(f"{n}.jpg") for n in range(6)]
    response = client.post(reverse("teams:activity_add", args=[cast.team_x.pk]), form_data(photos=photos))
    assert "Chỉ gửi được tối đa 5 ảnh mỗi lần." in response.content.decode()
    assert Activity.objects.filter(team=cast.team_x).count() == 1
