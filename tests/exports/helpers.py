"""Files made in the background (exports/), asked for and fetched through HTTP as a user would."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from exports.models import Export


def ask(client, url):
    """Presses the button whose form posts to ``url`` (the list's filters in its query string);
    returns the page of the file's job that the answer leads to."""
    response = client.post(url, follow=True)
    assert response.status_code == 200, response.status_code
    return response


def export_of(page):
    return page.context["export"]


def download(client, url):
    """The file the button at ``url`` makes: with the immediate backend (the tests' default) the
    job's page says it is done at once, and its "Tải về" link gives the file."""
    page = ask(client, url)
    html = page.content.decode()
    assert 'data-export-status="done"' in html and "Đã xong" in html, html
    link = reverse("exports:export_download", args=[export_of(page).pk])
    assert link in html
    response = client.get(link)
    assert response.status_code == 200
    return response


def content(response):
    return b"".join(response.streaming_content)


def sheet(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(content(response))).active


def stored_files(export):
    """The names stored in the folder of ``export`` (one, once made, however often its task ran)."""
    storage = Export._meta.get_field("file").storage
    folder = f"exports/{export.pk}"
    return storage.listdir(folder)[1] if storage.exists(folder) else []
