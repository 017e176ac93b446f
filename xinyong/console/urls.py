"""The console's paths under /console/ (issue 16); each section's app adds its own patterns here."""

from django.urls import include, path

from xinyong.console.access import officer_view
from xinyong.console.views import console_render, home_page
from xinyong.dashboards.urls import dashboard_patterns
from xinyong.evaluation.urls import evaluation_patterns

app_name = "console"
urlpatterns = [
    path("", home_page, name="home"),
    # issue 16: dashboards (看板), below the console in the tiers: mounted with the console's guard and layout
    path("dashboards/", include(dashboard_patterns(guard=officer_view, render=console_render))),
    path("evaluation/", include(evaluation_patterns(guard=officer_view, render=console_render))),
]
