from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("them/", views.user_add, name="user_add"),
    path("<int:pk>/", views.user_edit, name="user_edit"),
    path("<int:pk>/khoa/", views.user_set_active, {"active": False}, name="user_deactivate"),
    path("<int:pk>/mo-lai/", views.user_set_active, {"active": True}, name="user_reactivate"),
    path("<int:pk>/dat-lai-mat-khau/", views.user_reset_password, name="user_reset_password"),
    path("dat-mat-khau/<str:token>/", views.set_password, name="set_password"),
]
urlpatterns += [
    path("tinh/<int:pk>/nhap-excel/", views.onboarding_preview, name="onboarding"),
    path("tinh/<int:pk>/mau-excel/", views.onboarding_template, name="onboarding_template"),
    path("tinh/<int:pk>/nhap-excel/xac-nhan/", views.onboarding_confirm, name="onboarding_confirm"),
    path("tinh/<int:pk>/nhap-excel/da-tao/", views.onboarding_done, name="onboarding_done"),
    path("xa/<int:pk>/phieu-ban-giao/", views.handover_sheet, name="handover_sheet"),
]
urlpatterns += [path("nhat-ky-dang-nhap/", views.login_audit, name="login_audit")]
urlpatterns += [
    path("xac-thuc-hai-buoc/dang-ky/", views.otp_enrol, name="otp_enrol"),
    path("xac-thuc-hai-buoc/", views.otp_verify, name="otp_verify"),
    path("<int:pk>/xoa-xac-thuc-hai-buoc/", views.otp_reset, name="otp_reset"),
]
