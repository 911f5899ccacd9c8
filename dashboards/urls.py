from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("thong-ke/tinh/<int:pk>/", views.province_dashboard, name="province_dashboard"),
    path("thong-ke/toan-quoc/", views.national_dashboard, name="national_dashboard"),
    path("thong-ke/yeu-cau/<int:pk>/", views.completeness, name="completeness"),
    path("thong-ke/yeu-cau/<int:pk>/nhac-nop/", views.send_reminder, name="send_reminder"),
    path("thong-ke/chi-tieu/<int:pk>/", views.indicator_trend, name="indicator_trend"),
]
