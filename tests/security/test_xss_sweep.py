"""Finding 1 of issue 10, swept: a script tag and an onerror image typed into every free-text field
of every form of the project (tests/security/sweep.py finds the forms itself), saved through the
views, then every page, PDF and export that shows them: the text comes back as text, never as a tag."""

from django.db.models import Q

from tests.security import sweep

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
TEXT = SCRIPT + IMAGE
LIVE = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


def test_every_form_has_a_case():
    covered = {case.form for case in sweep.cases() if case.form}
    missing = [
        f"{form.__module__}.{form.__name__}"
        for form in sweep.project_form_classes()
        if sweep.free_text_fields(form) and form not in covered and form.__name__ not in sweep.NO_CASE
    ]
    assert missing == [], "add a Case to tests/security/sweep.py for each of these forms"


def test_script_and_image_tags_typed_anywhere_come_back_as_text(client, cast):
    live, escaped, pdfs = [], set(), []

    def check_page(url, page):
        nonlocal live
        live += [("form", url, tag) for tag in LIVE if tag in page.lower()]
        escaped.update(url for tag in ESCAPED if tag in page)

    ctx = sweep.run_all(client, cast, TEXT, check_page)

    # Every text column a person can type into now holds the text (so every one was shown below).
    empty = []
    for column in sorted(sweep.typed_text_columns() - set(sweep.NOT_TYPED)):
        app, model_name, name = column.split(".")
        model = sweep.apps.get_model(app, model_name)
        if not model.objects.filter(Q(**{f"{name}__icontains": "alert(1)"})).exists():
            empty.append(column)
    assert empty == [], f"no case of tests/security/sweep.py fills {empty} (or say why in NOT_TYPED)"

    for user, url in sweep.shown_pages(cast, ctx):
        client.force_login(cast.user(user))
        response = client.get(url, follow=True)
        assert response.status_code == 200, (user, url, response.status_code)
        kind = response["Content-Type"]
        body = b"".join(response) if response.streaming else response.content
        if kind.startswith("text/html"):
            page = body.decode()
            live += [(user, url, tag) for tag in LIVE if tag in page.lower()]
            escaped |= {url for tag in ESCAPED if tag in page}
        elif kind == "application/pdf":
            text = sweep.pdf_text(body)
            live += [(user, url, "<img") for _ in [1] if "onerror" in text and IMAGE not in text and "&lt;" in text]
            pdfs.append((url, SCRIPT in text or IMAGE in text))
    assert live == []
    # The text was shown (escaped) on the pages that list and show each record, and printed as text in PDFs.
    assert len(escaped) >= 20, sorted(escaped)
    assert pdfs and all(shown for _, shown in pdfs), pdfs
