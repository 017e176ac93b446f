"""The console's pages (issue 16). Thin: authorise (`access.officer_view`), call a selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.console.access import officer_view
from xinyong.console.nav import console_nav
from xinyong.core.actor import Actor


def console_render(
    request: HttpRequest, actor: Actor, template: str, context: dict | None = None, status: int = 200
) -> HttpResponse:
    """`render` with the console's navigation (every console page extends console/base.html)."""
    return render(
        request, template, {"console_nav": console_nav(request, actor), **(context or {})}, status=status
    )


@officer_view
def home_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    return console_render(request, actor, "console/home.html")
