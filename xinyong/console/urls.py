"""The console's paths under /console/ (issue 16); each section's app adds its own patterns here."""

from django.urls import include, path

from xinyong.console import evaluation_pages
from xinyong.console.views import home_page

app_name = "console"
urlpatterns = [
    path("", home_page, name="home"),
    path("evaluation/", include(evaluation_pages.urlpatterns)),
    path("govintegrity/", include("xinyong.govintegrity.urls")),
]
