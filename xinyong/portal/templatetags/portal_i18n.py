"""The portal's two languages (issue 15 "Chinese first, with an English version of every public page"): the
public pages answer in Chinese at their paths and in English under `/en/` (config/urls.py, i18n_patterns
without a prefix for Chinese), so a link, a bookmark or a cache entry always names one language and the
switch is a plain link that works without JavaScript or cookies. The browser's Accept-Language is not
followed: the platform is Chinese first, English on request."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import translate_url
from django.utils import translation

from xinyong.reports.content import COMPLIANCE_SECTIONS

register = template.Library()
COMPLIANCE_HEADINGS = {title for title, _code in COMPLIANCE_SECTIONS}

# (Django language code, the page's `lang` attribute, the link's text in its own language)
LANGUAGES = (("zh-hans", "zh-CN", "中文"), ("en", "en", "English"))


@dataclass(frozen=True)
class LanguageLink:
    code: str
    html_lang: str
    label: str
    url: str
    current: bool


@register.filter
def label(value) -> str:
    """A fixed word another app gives in Chinese (portal/labels.py) in the active language; anything the
    catalog does not translate comes back as it is."""
    return translation.gettext(str(value)) if value else ""


@register.filter
def section_title(section) -> str:
    """A subject page section's title: a list section's (reports.content, code `list:<type>`, title
    名单：<list type name>) and the compliance view's headings in the active language; a catalogue
    category's name as stored."""
    if section.title in COMPLIANCE_HEADINGS:
        return translation.gettext(section.title)
    name = section.title.partition("：")[2]
    if not section.code.startswith("list:") or not name:
        return section.title
    return translation.gettext("名单：%(name)s") % {"name": name}


@register.simple_tag
def html_lang() -> str:
    """The `<html lang>` of the active language: zh-CN for Chinese, en for English."""
    active = translation.get_language() or "zh-hans"
    return next((tag for code, tag, _ in LANGUAGES if code == active), "zh-CN")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """This page in each language (the same path and query, with or without `/en/`); empty for a page that
    has no English version (the officers' account pages, which are not under `/en/`)."""
    request = context.get("request")
    if request is None:
        return []
    here = request.get_full_path()
    active = translation.get_language() or "zh-hans"
    links = [
        LanguageLink(code, tag, label, translate_url(here, code), code == active)
        for code, tag, label in LANGUAGES
    ]
    if len({link.url for link in links}) < len(links):
        return []
    return links
