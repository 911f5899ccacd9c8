from django.urls import path

from exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("<int:pk>/", views.export_detail, name="export_detail"),
    path("<int:pk>/tai-ve/", views.export_download, name="export_download"),
]
