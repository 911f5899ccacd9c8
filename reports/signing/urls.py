# Signing pages (scan upload, externally signed PDF, signing in the portal); included by reports/urls.py.
from django.urls import path

from reports.signing import views

urlpatterns = [
    path("phien-ban/<int:pk>/chu-ky/", views.version_signatures, name="version_signatures"),
    path("phien-ban/<int:pk>/chu-ky/ban-quet/", views.version_upload_scan, name="version_upload_scan"),
    path("phien-ban/<int:pk>/chu-ky/pdf-da-ky/", views.version_upload_signed, name="version_upload_signed"),
    path("phien-ban/<int:pk>/chu-ky/ky-so/", views.version_sign, name="version_sign"),
    path("ban-da-ky/<int:pk>/tai-ve/", views.signed_document_download, name="signed_document_download"),
    path("chung-thu-so/", views.certificate_list, name="certificate_list"),
    path("chung-thu-so/xa/<int:commune_pk>/", views.certificate_detail, name="certificate_detail"),
    path("chung-thu-so/xa/<int:commune_pk>/tai-len/", views.certificate_upload, name="certificate_upload"),
]
