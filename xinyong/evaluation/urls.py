"""The evaluation's paths, mounted at /console/evaluation/ by the console (console/urls.py), which sits above
this app and hands in its guard and its render (evaluation/views.py; the dashboards' pattern)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, update_wrapper

from django.urls import URLPattern, path

from xinyong.evaluation import views
from xinyong.evaluation.views import Render

app_name = "evaluation"
PERIOD = "<str:kind>/<str:month>/"


def evaluation_patterns(
    *, guard: Callable[[Callable], Callable], render: Render
) -> tuple[list[URLPattern], str]:
    """The patterns with each view behind `guard` and drawing with `render`; for `include()`."""

    def mounted(view: Callable) -> Callable:
        return guard(update_wrapper(partial(view, render=render), view))

    return [
        path("", mounted(views.evaluation_home), name="home"),
        path(PERIOD, mounted(views.evaluation_ranking), name="ranking"),
        path(PERIOD + "ranking.csv", mounted(views.evaluation_ranking_csv), name="ranking_csv"),
        path(PERIOD + "bulletin.pdf", mounted(views.evaluation_bulletin), name="bulletin"),
        path(PERIOD + "<slug:unit>/", mounted(views.evaluation_entity), name="entity"),
        path(PERIOD + "<slug:unit>/<slug:indicator>/", mounted(views.evaluation_indicator), name="indicator"),
    ], app_name
