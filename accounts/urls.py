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
