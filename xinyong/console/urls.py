"""The console's paths under /console/ (issue 16); each section's app adds its own patterns here."""

from django.urls import include, path

from xinyong.console.access import officer_view
from xinyong.console.actions import objection_accept, proposal_review
from xinyong.console.views import console_render, home_page, workbench_csv
from xinyong.dashboards.urls import dashboard_patterns
from xinyong.evaluation.urls import evaluation_patterns

app_name = "console"
urlpatterns = [
    path("", home_page, name="home"),
    path("workbench.csv", workbench_csv, name="workbench_csv"),
    path("lists/<int:entry_id>/review/", proposal_review, name="proposal_review"),
    path("objections/<int:objection_id>/accept/", objection_accept, name="objection_accept"),
    path("plan/", include("xinyong.console.plan.urls")),
    # issue 16: dashboards (看板) and evaluation sit below the console: mounted with its guard and layout
    path("dashboards/", include(dashboard_patterns(guard=officer_view, render=console_render))),
    path("evaluation/", include(evaluation_patterns(guard=officer_view, render=console_render))),
    path("govintegrity/", include("xinyong.govintegrity.urls")),
]
