"""The installable web app: its manifest and its service worker, served from the portal's origin.

The service worker (static/sw.js) must be served from the site's root so that its scope covers
the team lead's pages; static/offline.js registers it only on a team lead's pages
(``{% can "activity.offline" %}``) and removes it, with its caches, on everyone else's.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def service_worker(request):
    response = HttpResponse(Path(finders.find("sw.js")).read_bytes(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version is picked up on the next visit
    return response


@require_GET
def manifest(request):
    return JsonResponse(
        {
            "name": "Tổ công nghệ số cộng đồng",
            "short_name": "Tổ CNSCĐ",
            "lang": "vi",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0d6efd",
            "icons": [
                {"src": static(f"icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
                for size in (192, 512)
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
