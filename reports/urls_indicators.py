from django.urls import path

from reports import views_indicators

urlpatterns = [
    path("chi-tieu/", views_indicators.indicator_list, name="indicator_list"),
    path("chi-tieu/moi/", views_indicators.indicator_create, name="indicator_create"),
    path("chi-tieu/<int:pk>/sua/", views_indicators.indicator_edit, name="indicator_edit"),
    path("yeu-cau/<int:pk>/muc-tieu/", views_indicators.request_targets, name="request_targets"),
    path("yeu-cau/<int:pk>/muc-tieu/xa/", views_indicators.request_commune_target, name="request_commune_target"),
]
