"""The portal's English version (issue 15 "Chinese first, with an English version of every public page via
Django i18n"): the public pages in English under /en/, Chinese at their own paths whatever the browser asks
for, a language switch that is a plain link, and the committed English catalog (.po and .mo) in step with
the strings the pages mark."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.support.catalogue import assert_compiled_and_translated, assert_holds_every_marked_string
from tests.support.lists import bj
from tests.support.records import PERSON
from xinyong.portal.subject import PERSON_REFUSED

from .conftest import NEW_NAME

pytestmark = pytest.mark.django_db
PORTAL = Path(__file__).resolve().parents[1]


def _get(url: str, status: int = 200, **headers) -> tuple[str, object]:
    response = Client().get(url, **headers)
    assert response.status_code == status, response.content.decode()[:500]
    return re.sub(r">\s*\n\s*<", "><", response.content.decode()), response


def test_subject_page_in_english(world):
    page, response = _get(f"/en/subjects/{world.subject.uscc}/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert f"<title>{NEW_NAME} · Public Credit Information Service Platform</title>" in page
    assert f"<h1>{NEW_NAME}</h1>" in page  # data stays as stored
    assert '<span class="badge badge-flag">Information under objection</span>' in page
    assert (
        '<dl class="facts-list" id="base">'
        f"<div><dt>Unified social credit code</dt><dd>{world.subject.uscc}</dd></div>"
        "<div><dt>组织机构代码</dt><dd>000123457</dd></div>"  # an identifier kind the catalog names
        "<div><dt>Subject type</dt><dd>Enterprise</dd></div>"
        "<div><dt>Registration status</dt><dd>Active</dd></div>"
        '<div><dt>Former names</dt><dd><ul class="plain"><li>北京华信科技有限公司 (2025-09-26 to 2026-11-02)</li>'
        "</ul></dd></div></dl>"
    ) in page
    assert '<h2 id="base-title">Basic information</h2>' in page
    assert '<a class="button" href="/en/me/">Request a credit report</a>' in page
    assert "Information public on 2026-11-16 within its publication period" in page
    assert '<option value="full" selected>Public credit information report (full)</option>' in page
    assert f'<h3><a href="/en/records/{world.known.objected.pk}/">京工商罚字〔2026〕第102号</a></h3>' in page
    assert "<div><dt>Published until</dt><dd>2027-10-28</dd></div>" in page
    assert '<p class="flag">This information is under objection (since 2026-10-30)</p>' in page
    assert "<div><dt>Date listed</dt><dd>2025-10-14</dd></div>" in page
    assert '<td data-label="Nature">Negative</td><td data-label="Items">3</td>' in page
    assert (
        '<a href="/en/search/">Credit search</a> · <a href="/en/progress/">Track an application</a>' in page
    )
    assert "<div><dt>Severity</dt><dd>Serious</dd></div>" in page
    for chinese in ("主体类型", "公示截止", "列入日期", "信用查询", "跳到正文", "申请信用报告", "严重程度"):
        assert chinese not in page, chinese


def test_the_language_switch_is_a_link_to_the_same_page(world):
    url = f"/subjects/{world.subject.uscc}/?view=compliance"
    chinese, _ = _get(url)
    switch = (
        '<nav aria-label="{}" class="languages" id="languages">'
        '<a href="{}" lang="zh-CN" hreflang="zh-CN"{}>中文</a> / '
        '<a href="{}" lang="en" hreflang="en"{}>English</a></nav>'
    )
    assert switch.format("语言", url, ' aria-current="true"', "/en" + url, "") in chinese
    assert f'<link rel="alternate" hreflang="en" href="/en{url}">' in chinese
    english, _ = _get("/en" + url)
    assert switch.format("Language", url, "", "/en" + url, ' aria-current="true"') in english
    assert f'<link rel="alternate" hreflang="zh-CN" href="{url}">' in english
    assert "Compliance credit report" in english


def test_chinese_stays_the_default_whatever_the_browser_asks(world):
    page, response = _get(
        f"/subjects/{world.subject.uscc}/",
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
        HTTP_COOKIE="django_language=en",
    )
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-CN">' in page
    assert '<h2 id="base-title">基本信息</h2>' in page
    assert f'<h3><a href="/records/{world.known.objected.pk}/">' in page
    _get("/zh-hans/search/", status=404)  # one address per language


def test_home_page_in_english(penalty, clock):  # noqa: F811
    clock.set(bj(2025, 9, 26, 18))  # the day the fixtures' penalty arrived (tests/support/lists.py)
    page, response = _get("/en/")
    assert '<html lang="en">' in page and response["Content-Language"] == "en"
    assert "<title>Home · Public Credit Information Service Platform</title>" in page
    assert (
        '<form method="get" action="/en/search/" class="search" role="search" aria-label="Credit search">'
        in page
    )
    assert '<h2 id="today-heading">Published today (26 September 2025)</h2>' in page
    assert (
        '<li><span class="count" id="count-published">1</span> licence and penalty decisions published today</li>'
    ) in page
    assert '<h2 id="latest-heading">Latest licences and penalties</h2>' in page
    assert re.search(r'<span class="tag">Administrative penalty</span> <a href="/en/records/\d+/">', page)
    assert '<li><a href="/en/publicity/licences/">Administrative licences</a></li>' in page
    assert '<li><a href="/en/accounts/login/">Sign in for services' in page
    chinese, _ = _get("/")
    assert '<html lang="zh-CN">' in chinese and '<h2 id="services-heading">服务</h2>' in chinese


def test_search_and_record_pages_in_english(world):
    page, _ = _get("/en/search/?q=华信")
    assert '<h2 id="results-title">Results</h2>' in page
    assert "Results for “华信”, page 1 (results 1–2)." in page
    assert f'<a href="/en/subjects/{world.subject.uscc}/">' in page
    record, _ = _get(f"/en/records/{world.known.objected.pk}/")
    assert '<html lang="en">' in record
    assert (
        '<p class="flag" id="objection">This information is under objection (since 2026-10-30)</p>' in record
    )
    assert "<div><dt>Published until</dt><dd>2027-10-28</dd></div>" in record
    assert '<thead><tr><th scope="col">Item</th><th scope="col">Content</th></tr></thead>' in record


def test_english_refusals_and_redirects_keep_the_language(world, person):  # noqa: F811
    page, _ = _get(f"/en/subjects/{PERSON}/", status=404)
    assert "<h1>Subject not found</h1>" in page and "王芳" not in page
    assert (
        '<p id="explanation">This platform does not publish natural persons&#x27; credit information.' in page
    )
    chinese, _ = _get(f"/subjects/{PERSON}/", status=404)
    assert f'<p id="explanation">{PERSON_REFUSED}</p>' in chinese
    response = Client().get("/en/subjects/000123457/?view=compliance")
    assert (response.status_code, response["Location"]) == (
        301,
        f"/en/subjects/{world.subject.uscc}/?view=compliance",
    )


def test_columns_lists_and_services_in_english(world):
    page, _ = _get("/en/publicity/penalties/")
    assert '<html lang="en">' in page and "<h1>Administrative penalties</h1>" in page
    assert '<li><a href="/en/publicity/licences/">Administrative licence</a></li>' in page
    assert '<label for="unit">Providing unit</label>' in page
    assert '<a href="/en/records/' in page and "<dt>Decision number</dt>" in page
    lists, _ = _get("/en/lists/scjg-yzsx/")
    assert "<h2>Subjects currently listed</h2>" in lists and '<a href="/en/lists/">Credit lists</a>' in lists
    for url, heading in (
        ("/en/progress/", "Track an application"),
        ("/en/reports/verify", "Verify a credit report"),
    ):
        service, _ = _get(url)
        assert '<html lang="en">' in service and f"<h1>{heading}</h1>" in service
    chinese, _ = _get("/progress/")
    assert '<html lang="zh-CN">' in chinese and "<h1>办理进度查询</h1>" in chinese


def test_pages_without_an_english_version_offer_no_switch(db):
    """The officers' account pages (a set-password link here) are Chinese only; the sign-in pages are not
    (accounts/tests/test_english_accounts.py)."""
    page, _ = _get("/accounts/set-password/x/y/")
    assert 'id="languages"' not in page and '<html lang="zh-CN">' in page
    _get("/en/accounts/set-password/x/y/", status=404)
    _get("/en/accounts/mfa/", status=404)


def test_the_compiled_catalog_is_the_po_file():
    assert_compiled_and_translated(
        PORTAL, "run `python -m django compilemessages` in xinyong/portal and commit django.mo"
    )


def test_the_po_file_holds_every_string_the_pages_mark(tmp_path, settings):
    assert_holds_every_marked_string(
        PORTAL, tmp_path, "run makemessages -l en in xinyong/portal and translate"
    )


def test_every_word_other_apps_hand_the_portal_has_its_english():
    """The fixed words of other apps the portal shows (portal/labels.py, shown through `word`/`label`) and
    the refusal codes it maps (portal/wording.py): a word added or changed in its app without its English
    here fails this test rather than showing Chinese on an English page."""
    from django.utils import translation

    from xinyong.accounts.models import AgencyScope, ApplicationStatus
    from xinyong.accounts.registrationreads import NEXT_STEP
    from xinyong.cases.models import CaseKind
    from xinyong.catalog.vocabulary import POLARITIES, PUBLICATION_RULES, SEVERITIES, TIERS
    from xinyong.lists.models import ListKind
    from xinyong.portal.wording import CONDITION_DETAILS, CONDITIONS, ERRORS
    from xinyong.records.models import RecordStatus
    from xinyong.remedies.models import Grounds, TargetKind
    from xinyong.remedies.services.machine import OBJECTION, REPAIR
    from xinyong.reports.content import COMPLIANCE_SECTIONS, KIND_SUBTITLES, KINDS
    from xinyong.subjects.models import SubjectKind, SubjectStatus
    from xinyong.tipoffs.models import RewardDecision, TipoffState
    from xinyong.tipoffs.selectors import ACTION_LABELS

    words = [
        *OBJECTION.states.values(), *OBJECTION.actions.values(), *REPAIR.states.values(),
        *REPAIR.actions.values(), *TipoffState.labels, *RewardDecision.labels, *ACTION_LABELS.values(),
        *ApplicationStatus.labels, *NEXT_STEP.values(), *AgencyScope.labels, *CaseKind.labels,
        *ListKind.labels, *RecordStatus.labels, *Grounds.labels, *TargetKind.labels, *SubjectKind.labels,
        *SubjectStatus.labels, *POLARITIES.values(), *PUBLICATION_RULES.values(), *SEVERITIES.values(),
        *TIERS.values(), *(title for title, _ in COMPLIANCE_SECTIONS), *KINDS.values(),
        *KIND_SUBTITLES.values(), *ERRORS.values(), *CONDITIONS.values(), *CONDITION_DETAILS.values(),
    ]  # fmt: skip
    with translation.override("en"):
        missing = [w for w in words if translation.gettext(str(w)) == str(w)]
    assert missing == []
