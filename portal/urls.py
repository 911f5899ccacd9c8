from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views
from portal.forms import ThrottledAuthenticationForm

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("thong-ke/tinh/<int:pk>/", views.province_dashboard, name="province_dashboard"),
        path("thong-ke/toan-quoc/", views.national_dashboard, name="national_dashboard"),
        path("thong-ke/yeu-cau/<int:pk>/", views.completeness, name="completeness"),
        path("thong-ke/yeu-cau/<int:pk>/nhac-nop/", views.send_reminder, name="send_reminder"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("so-lieu/", include("teams.urls")),
    path("bao-cao/", include("reports.urls")),
    path("quan-tri/", admin.site.urls),
]
# Uploaded files (signed decisions, photos, signed reports) are never served from MEDIA_URL, not
# even with DEBUG on: each is downloaded through a view that checks the user's scope. A front
# web server must not serve MEDIA_ROOT either.

admin.site.site_header = "Quản trị Cổng Tổ công nghệ số cộng đồng"
admin.site.site_title = "Quản trị"
