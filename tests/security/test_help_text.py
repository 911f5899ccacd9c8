"""Finding 1 of issue 10: a department's outline guidance becomes the help text of the commune's
report form, and form help text used to be printed as HTML (crispy's and Django's field templates
mark it safe). Guidance is the department's text, so it must reach the official escaped."""

from django.urls import reverse

from reports import workflow
from tests.reports.factories import make_request

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"


def outline_post(report_request, guidance):
    data = {"form-TOTAL_FORMS": len(report_request.outline), "form-INITIAL_FORMS": len(report_request.outline)}
    data.update({"form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000})
    for n, section in enumerate(report_request.outline):
        data.update(
            {
                f"form-{n}-key": section["key"],
                f"form-{n}-title": section["title"],
                f"form-{n}-kind": section["kind"],
                f"form-{n}-level": section.get("level") or 1,
                f"form-{n}-guidance": guidance,
                f"form-{n}-ORDER": n + 1,
            }
        )
    return data


def test_outline_guidance_reaches_the_commune_escaped(client, cast):
    report_request = make_request(cast)
    client.force_login(cast.staff_p)
    url = reverse("reports:request_outline", args=[report_request.pk])
    response = client.post(url, outline_post(report_request, f"Hướng dẫn {SCRIPT} {IMAGE}"))
    assert response.status_code == 302
    report = workflow.start(report_request, cast.commune_x, cast.official_x)
    client.force_login(cast.official_x)
    page = client.get(reverse("reports:report_edit", args=[report.pk])).content.decode()
    assert "Hướng dẫn &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;" in page
    assert SCRIPT not in page and IMAGE not in page
