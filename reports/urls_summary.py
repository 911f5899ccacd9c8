# The department's summary of a request; included by reports/urls.py.
from django.urls import path

from reports import views_summary as views

urlpatterns = [
    path("yeu-cau/<int:pk>/tong-hop/", views.summary_detail, name="summary_detail"),
    path("yeu-cau/<int:pk>/tong-hop/sua/", views.summary_edit, name="summary_edit"),
    path("yeu-cau/<int:pk>/tong-hop/pdf/", views.summary_pdf, name="summary_pdf"),
    path("yeu-cau/<int:pk>/tong-hop/phu-luc.xlsx", views.summary_xlsx, name="summary_xlsx"),
]
