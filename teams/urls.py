from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("xa/<int:pk>/", views.commune_detail, name="commune_detail"),
    path("to/<int:pk>/", views.team_detail, name="team_detail"),
]
