"""The installable web app: manifest, service worker, and who gets the offline queue."""

from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("fetch"' in response.content


def test_the_manifest_names_the_app_in_vietnamese_with_committed_icons(client):
    response = client.get(reverse("manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["name"], manifest["short_name"]) == ("Tổ công nghệ số cộng đồng", "Tổ CNSCĐ")
    assert (manifest["start_url"], manifest["display"]) == ("/", "standalone")
    for icon in manifest["icons"]:
        size = int(icon["sizes"].split("x")[0])
        with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as image:
            assert (image.format, image.size) == ("PNG", (size, size))


def test_the_policy_allows_only_the_portals_own_worker_and_manifest(client, cast):
    client.force_login(cast.lead_x)
    policy = client.get(reverse("teams:team_detail", args=[cast.team_x.pk]))["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_only_a_team_leads_pages_ask_for_the_offline_queue(client, cast):
    client.force_login(cast.lead_x)
    page = client.get(reverse("teams:activity_add", args=[cast.team_x.pk])).content.decode()
    assert f'data-offline="1" data-user="{cast.lead_x.pk}"' in page
    assert "data-offline-form" in page and 'name="client_uuid"' in page
    assert 'rel="manifest"' in page
    for user in (cast.official_x, cast.admin, cast.staff_p):
        client.force_login(user)
        page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
        assert "data-offline=" not in page
