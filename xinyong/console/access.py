"""Who may open the console (issue 16): a signed-in officer — a person of a unit, or of the credit office —
whose session passed the second factor, as the back office requires (`accounts/adminsite.py`). Anyone else is
sent to the one login page (not signed in, or still without the second factor) or refused with a Chinese 403
page (a subject, an agent, an officer without a government role). Each view gets the request's Actor, so its
services authorise exactly as the API does for the same person."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from xinyong.accounts.actors import request_actor
from xinyong.accounts.roles import GOVERNMENT
from xinyong.accounts.sessions import login_url
from xinyong.accounts.signin import verified
from xinyong.core.actor import Actor

ConsoleView = Callable[..., HttpResponse]


def officer_actor(request: HttpRequest) -> Actor | None:
    """The officer's Actor when the request may use the console, else None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not verified(user):
        return None
    actor = request_actor(request)
    return actor if actor.has_role(*GOVERNMENT) else None


def officer_view(view: ConsoleView) -> ConsoleView:
    """Decorator: `view(request, actor, ...)` for a verified officer; login or 403 otherwise."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not verified(user):
            return HttpResponseRedirect(login_url(request.get_full_path()))
        actor = officer_actor(request)
        if actor is None:
            return render(request, "console/refused.html", status=403)
        return view(request, actor, *args, **kwargs)

    return wrapper
