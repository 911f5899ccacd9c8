from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("xa/<int:pk>/", views.commune_detail, name="commune_detail"),
    # A whole province's lists as .xlsx, for its department.
    path("tinh/<int:pk>/thon/xuat-excel/", views.province_export, {"name": "village"}, name="province_village_export"),
    path("tinh/<int:pk>/to/xuat-excel/", views.province_export, {"name": "team"}, name="province_team_export"),
    path(
        "tinh/<int:pk>/thanh-vien/xuat-excel/", views.province_export, {"name": "member"}, name="province_member_export"
    ),
    path(
        "tinh/<int:pk>/hoat-dong/xuat-excel/",
        views.province_export,
        {"name": "activity"},
        name="province_activity_export",
    ),
    path("xa/<int:pk>/thon/", views.commune_list, {"name": "village"}, name="village_list"),
    path("xa/<int:pk>/thon/them/", views.village_add, name="village_add"),
    path("xa/<int:pk>/thon/xuat-excel/", views.commune_export, {"name": "village"}, name="village_export"),
    path("xa/<int:pk>/thon/mau-excel/", views.template_download, {"name": "village"}, name="village_template"),
    path("xa/<int:pk>/thon/nhap-excel/", views.import_preview, {"name": "village"}, name="village_import"),
    path(
        "xa/<int:pk>/thon/nhap-excel/xac-nhan/",
        views.import_confirm,
        {"name": "village"},
        name="village_import_confirm",
    ),
    path("thon/<int:pk>/sua/", views.village_edit, name="village_edit"),
    path("thon/<int:pk>/giai-the/", views.village_close, name="village_close"),
    path("xa/<int:pk>/to/", views.commune_list, {"name": "team"}, name="team_list"),
    path("xa/<int:pk>/to/them/", views.team_add, name="team_add"),
    path("xa/<int:pk>/to/xuat-excel/", views.commune_export, {"name": "team"}, name="team_export"),
    path("xa/<int:pk>/quyet-dinh/them/", views.decision_add, name="decision_add"),
    path("quyet-dinh/<int:pk>/sua/", views.decision_edit, name="decision_edit"),
    path("quyet-dinh/<int:pk>/ban-ky/", views.decision_file, name="decision_file"),
    path("to/<int:pk>/sua/", views.team_edit, name="team_edit"),
    path("to/<int:pk>/", views.team_detail, name="team_detail"),
    path("to/<int:pk>/thanh-vien/them/", views.member_add, name="member_add"),
    path("to/<int:pk>/hoat-dong/", views.team_activity_list, name="team_activity_list"),
    path("to/<int:pk>/hoat-dong/xuat-excel/", views.team_activity_export, name="team_activity_export"),
    path("to/<int:pk>/hoat-dong/them/", views.activity_add, name="activity_add"),
    path("to/<int:pk>/hoat-dong/dong-bo/", views.activity_sync, name="activity_sync"),
    path("hoat-dong/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("hoat-dong/<int:pk>/sua/", views.activity_edit, name="activity_edit"),
    path("hoat-dong/<int:pk>/xoa/", views.activity_delete, name="activity_delete"),
    path("anh/<int:pk>/", views.activity_photo, name="activity_photo"),
    path("anh/<int:pk>/xoa/", views.activity_photo_delete, name="activity_photo_delete"),
    path("xa/<int:pk>/hoat-dong/", views.commune_list, {"name": "activity"}, name="activity_list"),
    path("xa/<int:pk>/hoat-dong/xuat-excel/", views.commune_export, {"name": "activity"}, name="activity_export"),
    path("thanh-vien/<int:pk>/", views.member_detail, name="member_detail"),
    path("thanh-vien/<int:pk>/sua/", views.member_edit, name="member_edit"),
    path("xa/<int:pk>/thanh-vien/", views.commune_list, {"name": "member"}, name="member_list"),
    path("xa/<int:pk>/thanh-vien/xuat-excel/", views.commune_export, {"name": "member"}, name="member_export"),
    path("xa/<int:pk>/thanh-vien/mau-excel/", views.template_download, {"name": "member"}, name="member_template"),
    path("xa/<int:pk>/thanh-vien/nhap-excel/", views.import_preview, {"name": "member"}, name="member_import"),
    path(
        "xa/<int:pk>/thanh-vien/nhap-excel/xac-nhan/",
        views.import_confirm,
        {"name": "member"},
        name="member_import_confirm",
    ),
]
