"""The dashboards' paths, mounted at /console/dashboards/ by the console (console/urls.py), which sits above
this app and hands in its guard and its render (dashboards/views.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, update_wrapper

from django.urls import URLPattern, path

from xinyong.dashboards.views import Render, dashboard_csv, dashboard_page, index_page

app_name = "dashboards"


def dashboard_patterns(
    *, guard: Callable[[Callable], Callable], render: Render
) -> tuple[list[URLPattern], str]:
    """The patterns with each view behind `guard` and drawing with `render`; for `include()`."""

    def mounted(view: Callable) -> Callable:
        return guard(update_wrapper(partial(view, render=render), view))

    return [
        path("", mounted(index_page), name="index"),
        path("<slug:slug>/", mounted(dashboard_page), name="page"),
        path("<slug:slug>/<slug:table>.csv", mounted(dashboard_csv), name="csv"),
    ], app_name
