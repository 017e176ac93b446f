"""The console's paths under /console/ (issue 16); each section's app adds its own patterns here."""

from django.urls import include, path

from xinyong.console import evaluation_pages
from xinyong.console.actions import objection_accept, proposal_review
from xinyong.console.views import home_page, workbench_csv

app_name = "console"
urlpatterns = [
    path("", home_page, name="home"),
    path("workbench.csv", workbench_csv, name="workbench_csv"),
    path("lists/<int:entry_id>/review/", proposal_review, name="proposal_review"),
    path("objections/<int:objection_id>/accept/", objection_accept, name="objection_accept"),
    path("plan/", include("xinyong.console.plan.urls")),
    path("evaluation/", include(evaluation_pages.urlpatterns)),
    path("govintegrity/", include("xinyong.govintegrity.urls")),
]
