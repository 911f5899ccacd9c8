from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from portal.forms import LoginForm, OwnPasswordChangeForm, OwnSetPasswordForm
from portal.health import healthz
from portal.offline import manifest, service_worker


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says: send them to the committed icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("healthz", healthz, name="healthz"),
    # The installable app (portal/offline.py): the service worker's scope is the whole site.
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("", include("dashboards.urls")),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/", auth_views.PasswordChangeView.as_view(form_class=OwnPasswordChangeForm), name="password_change"
    ),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Password reset by e-mail (Django's views, templates/registration/password_reset_*.html).
    path("quen-mat-khau/", include("accounts.urls_reset")),  # with a limit on how many are sent
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "quen-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=OwnSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("quen-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("so-lieu/", include("teams.urls")),
    path("bao-cao/", include("reports.urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("tep-xuat/", include("exports.urls")),
    path("quan-tri/", admin.site.urls),
]
# Uploaded files (signed decisions, photos, signed reports) are never served from MEDIA_URL, not
# even with DEBUG on: each is downloaded through a view that checks the user's scope. A front
# web server must not serve MEDIA_ROOT either.

admin.site.site_header = "Quản trị Cổng Tổ công nghệ số cộng đồng"
admin.site.site_title = "Quản trị"

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
