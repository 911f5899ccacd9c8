from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("xa/<int:pk>/", views.commune_detail, name="commune_detail"),
    path("xa/<int:pk>/thon/", views.village_list, name="village_list"),
    path("xa/<int:pk>/thon/them/", views.village_add, name="village_add"),
    path("thon/<int:pk>/sua/", views.village_edit, name="village_edit"),
    path("thon/<int:pk>/giai-the/", views.village_close, name="village_close"),
    path("xa/<int:pk>/to/", views.team_list, name="team_list"),
    path("xa/<int:pk>/to/them/", views.team_add, name="team_add"),
    path("xa/<int:pk>/quyet-dinh/them/", views.decision_add, name="decision_add"),
    path("to/<int:pk>/sua/", views.team_edit, name="team_edit"),
    path("to/<int:pk>/", views.team_detail, name="team_detail"),
    path("to/<int:pk>/thanh-vien/them/", views.member_add, name="member_add"),
    path("to/<int:pk>/hoat-dong/them/", views.activity_add, name="activity_add"),
    path("thanh-vien/<int:pk>/", views.member_detail, name="member_detail"),
    path("thanh-vien/<int:pk>/sua/", views.member_edit, name="member_edit"),
    path("xa/<int:pk>/thanh-vien/", views.member_list, name="member_list"),
    path("xa/<int:pk>/thanh-vien/xuat-excel/", views.member_export, name="member_export"),
    path("xa/<int:pk>/thanh-vien/mau-excel/", views.member_template, name="member_template"),
    path("xa/<int:pk>/thanh-vien/nhap-excel/", views.member_import, name="member_import"),
    path("xa/<int:pk>/thanh-vien/nhap-excel/xac-nhan/", views.member_import_confirm, name="member_import_confirm"),
]
