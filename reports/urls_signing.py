# Signing pages (scan upload, externally signed PDF, signing in the portal); included by reports/urls.py.
urlpatterns = []
