"""The console's section navigation (issue 16). Each section registers its page here once, by URL name, so the
layout lists every section and marks the current one; a section an officer's roles cannot use is not shown.
Sections whose app is not installed yet are skipped (their URL name does not resolve)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from xinyong.core.actor import Actor


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str
    roles: frozenset[str] | None = None  # None: every officer


SECTIONS: list[Section] = [
    Section("console:home", "工作台"),
    Section("console:plan", "规划进度"),
    Section("console:dashboards:index", "看板"),
    Section("console:evaluation:home", "考核评价"),
    Section("console:govintegrity:monitor", "政务诚信"),
]


def console_nav(request: HttpRequest, actor: Actor) -> list[dict]:
    """The sections `actor` may open, in order, with `current` set on the one being shown."""
    items = []
    for section in SECTIONS:
        if section.roles is not None and not actor.has_role(*section.roles):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": section.label, "current": request.path == url})
    return items
