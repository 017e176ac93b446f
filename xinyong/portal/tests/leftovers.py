"""Leftover Chinese on an English page (issue 15, the English version of every public page): the CJK text of
the page's `<main>` (its text and the attributes a reader meets: aria-label, title, placeholder, alt) that is
not data. Data is what the platform stores (names, units, document numbers, catalogue fields, case texts:
every CJK string in the database's text and JSON columns, the audit trail aside) and any element marked as
being in Chinese (`lang="zh…"`). Whatever remains came from a template or the code and was not translated."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.apps import apps
from django.db import models

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_DATA_APPS = {"audit", "sessions", "admin", "contenttypes", "auth"}


class _Main(HTMLParser):
    """The text of <main> outside elements in Chinese (lang="zh…")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <main> when > 0
        self.chinese: list[int] = []  # depths at which a lang="zh…" element opened
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "main":
            self.depth = 1
            return
        if not self.depth or tag in VOID:
            if self.depth and not self.chinese:
                self.texts += [values[a] or "" for a in READ_ATTRIBUTES if a in values]
            return
        self.depth += 1
        if (values.get("lang") or "").startswith("zh"):
            self.chinese.append(self.depth)
        if not self.chinese:
            self.texts += [values[a] or "" for a in READ_ATTRIBUTES if a in values]

    def handle_endtag(self, tag):
        if not self.depth or tag in VOID:
            return
        if self.chinese and self.chinese[-1] == self.depth:
            self.chinese.pop()
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.chinese:
            self.texts.append(data)


def stored_texts() -> list[str]:
    """Every CJK string the database holds in a text or JSON column of the platform's apps (not the audit
    trail), longest first (so a name is removed before a shorter name inside it)."""
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("xinyong.") or model._meta.app_label in NOT_DATA_APPS:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            for value in row:
                _collect(value, found)
    return sorted((t for t in found if len(t) > 1), key=len, reverse=True)


def _collect(value, found: set[str]) -> None:
    if isinstance(value, str):
        if CJK.search(value):
            found.add(value.strip())
            found.add(value.strip().removesuffix("人民政府").removesuffix("政府"))  # a district as shown
            found.update(line.strip() for line in value.splitlines() if CJK.search(line))
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(key, found)
            _collect(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found)


def leftover_chinese(html: str, data: Iterable[str] = ()) -> list[str]:
    """The CJK runs of `html`'s <main> that are neither stored data nor in `data` (values the page shows
    that are derived from data, e.g. a district's name without 政府), with a little context each."""
    parser = _Main()
    parser.feed(html)
    text = "".join(parser.texts)
    for known in sorted({*data, *stored_texts()}, key=len, reverse=True):
        text = text.replace(known, " ")
    return [" ".join(text[max(0, m.start() - 20) : m.end() + 20].split()) for m in CJK.finditer(text)]


def english(response, status: int = 200, data: Iterable[str] = ()) -> str:
    """The HTML of an answer checked as an English page: its status, `<html lang="en">`, and no leftover
    Chinese in <main> (what the visitor typed in the query string counts as data)."""
    html = response.content.decode()
    url = response.wsgi_request.get_full_path()
    assert response.status_code == status, (url, response.status_code, html[:300])
    assert '<html lang="en">' in html, url
    typed = [value for _, value in parse_qsl(urlsplit(url).query)]
    left = leftover_chinese(html, [*data, *typed])
    assert left == [], (url, left)
    return html
