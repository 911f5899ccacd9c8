from django.urls import path

from reports import views_indicators

urlpatterns = [
    path("chi-tieu/", views_indicators.indicator_list, name="indicator_list"),
    path("chi-tieu/moi/", views_indicators.indicator_create, name="indicator_create"),
    path("chi-tieu/<int:pk>/sua/", views_indicators.indicator_edit, name="indicator_edit"),
]
