"""Government integrity pages in the console (ADR 0037), mounted at /console/govintegrity/ by
console/urls.py."""

from django.urls import path

from xinyong.govintegrity.views import evaluation_page, monitor_export, monitor_page

app_name = "govintegrity"
urlpatterns = [
    path("", monitor_page, name="monitor"),
    path("export.csv", monitor_export, name="monitor_export"),
    path("evaluation/", evaluation_page, name="evaluation"),
]
