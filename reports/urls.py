from django.urls import path

from reports import urls_indicators, urls_summary, views
from reports.signing import urls as urls_signing

app_name = "reports"
urlpatterns = (
    [
        path("", views.request_list, name="request_list"),
        path("yeu-cau/moi/", views.request_create, name="request_create"),
        path("yeu-cau/<int:pk>/", views.request_detail, name="request_detail"),
        path("yeu-cau/<int:pk>/de-cuong/", views.request_outline, name="request_outline"),
        path("yeu-cau/<int:pk>/soan/", views.report_start, name="report_start"),
        path("yeu-cau/<int:pk>/tiep-nhan/", views.report_accept_many, name="report_accept_many"),
        path("<int:pk>/", views.report_detail, name="report_detail"),
        path("<int:pk>/sua/", views.report_edit, name="report_edit"),
        path("<int:pk>/gui/", views.report_submit, name="report_submit"),
        path("<int:pk>/tra-lai/", views.report_return, name="report_return"),
        path("<int:pk>/tiep-nhan/", views.report_accept, name="report_accept"),
        path("<int:pk>/mo-lai/", views.report_reopen, name="report_reopen"),
        path("<int:pk>/in/", views.report_print, name="report_print"),
        path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
        path("phien-ban/<int:pk>/in/", views.version_print, name="version_print"),
        path("phien-ban/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    ]
    + urls_signing.urlpatterns
    + urls_summary.urlpatterns
    + urls_indicators.urlpatterns
)
