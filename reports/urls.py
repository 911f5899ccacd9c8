from reports import urls_signing

app_name = "reports"
urlpatterns = [] + urls_signing.urlpatterns
