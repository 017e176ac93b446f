"""The subject-facing account pages in English (issue 15 "an English version of every public page"): sign-in,
its code step, registration and /me/acting/ answer in English under /en/ (`<html lang="en">`, no leftover
Chinese in <main> except data: portal/tests/leftovers.py), each step keeps the language, the Chinese paths are
unchanged, the officers' pages have no English version, and the accounts catalog (.po and .mo) is complete
and in step with the strings the pages mark."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.accounts import agency_make, agent_make, signed_in
from tests.support.catalogue import assert_compiled_and_translated, assert_holds_every_marked_string
from tests.support.factories import make_uscc
from tests.support.registration import PASSWORD as REGISTRATION_PASSWORD
from tests.support.registration import (
    USCC,
    pdf,
    uploads,  # noqa: F401 - fixture
)
from xinyong.accounts.tests.signin_support import KEY, PASSWORD, code_now, password_step, subject_user
from xinyong.accounts.tests.test_oidc_settings import _unreachable
from xinyong.accounts.wording import REFUSALS, every_word
from xinyong.portal.tests.leftovers import english
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
ACCOUNTS = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 Beijing


def english_password_step(client: Client, username: str, **extra):
    return client.post("/en/accounts/login/", {"username": username, "password": PASSWORD, **extra})


def flat(response) -> str:
    return re.sub(r">\s*\n\s*<", "><", response.content.decode())


@pytest.mark.parametrize(
    ("path", "english_heading", "chinese_heading"),
    [
        ("accounts/login/", "<h1>Sign in</h1>", "<h1>登录</h1>"),
        ("accounts/register/", "<h1>Register with your real identity</h1>", "<h1>实名注册</h1>"),
        ("accounts/register/enterprise/", "<h1>Register: Organisation account</h1>", "<h1>法人账户注册</h1>"),
        ("accounts/register/person/", "<h1>Register: Personal account</h1>", "<h1>个人账户注册</h1>"),
        ("accounts/register/agent/", "<h1>Register: Agent</h1>", "<h1>代理人注册</h1>"),
    ],
)
def test_each_page_in_english_under_en_and_in_chinese_at_its_path(path, english_heading, chinese_heading):
    page = english(Client().get(f"/en/{path}"))
    assert english_heading in page
    assert chinese_heading not in page
    chinese = Client().get(f"/{path}").content.decode()
    assert '<html lang="zh-CN">' in chinese and chinese_heading in chinese
    switch = (
        '<a href="/{}" lang="zh-CN" hreflang="zh-CN"{}>中文</a> / <a href="/en/{}" lang="en" hreflang="en"{}>'
    )
    assert switch.format(path, "", path, ' aria-current="true"') in page
    assert switch.format(path, ' aria-current="true"', path, "") in chinese


def test_the_english_login_page_posts_to_itself_and_links_in_english():
    page = flat(Client().get("/en/accounts/login/?next=/en/me/"))
    assert '<form method="post" action="/en/accounts/login/" novalidate>' in page
    assert '<input type="hidden" name="next" value="/en/me/">' in page
    assert '<label for="id_username">User name</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert '<button type="submit">Sign in</button>' in page
    assert 'No account yet? <a href="/en/accounts/register/">Register with your real identity</a>' in page
    assert "<title>Sign in · Public Credit Information Service Platform</title>" in page
    chinese = flat(Client().get("/accounts/login/"))
    assert '<form method="post" action="/accounts/login/" novalidate>' in chinese
    assert '<label for="id_username">用户名</label>' in chinese
    assert '还没有账户？<a href="/accounts/register/">实名注册</a>' in chinese


def test_the_unified_identity_sign_in_comes_back_in_english(settings):
    _unreachable(settings)  # the button shows; the provider is not asked until it is followed
    page = Client().get("/en/accounts/login/").content.decode()
    assert (
        '<a class="button" id="oidc-login" href="/accounts/oidc/authenticate/?next=/en/me/">'
        "Sign in with the unified identity service</a>"
    ) in page
    asked = Client().get("/en/accounts/login/?next=/en/me/query-log/").content.decode()
    assert 'href="/accounts/oidc/authenticate/?next=/en/me/query-log/"' in asked
    chinese = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/oidc/authenticate/">使用统一身份认证登录</a>' in chinese


def test_a_wrong_password_in_english():
    subject_user()
    client = Client()
    answer = client.post("/en/accounts/login/", {"username": "huaxin", "password": "not-it"})
    page = english(answer, data=["huaxin"])
    assert '<h2 id="error-summary-title">Please correct the following</h2>' in page
    assert "<li>The user name or password is wrong. Both are case-sensitive.</li>" in page
    empty = english(client.post("/en/accounts/login/", {"username": "", "password": ""}))
    assert '<a href="#id_username">Enter your user name.</a>' in empty
    assert '<a href="#id_password">Enter your password.</a>' in empty
    chinese = client.post("/accounts/login/", {"username": "huaxin", "password": "not-it"}).content.decode()
    assert "<li>用户名或密码不正确。请注意区分大小写。</li>" in chinese


def test_a_locked_account_is_told_in_english(settings):
    subject_user()
    settings.XINYONG_LOGIN_MAX_FAILURES = 1
    client = Client()
    client.post("/en/accounts/login/", {"username": "huaxin", "password": "not-it"})
    locked = english(client.post("/en/accounts/login/", {"username": "huaxin", "password": "not-it"}))
    assert "Too many failed sign-ins: this account is paused. Try again in 15 minutes." in locked


def test_the_code_step_in_english_keeps_the_language_to_the_subjects_own_page(clock):
    user = subject_user()
    TOTPDevice.objects.create(user=user, name="身份验证器", key=KEY, confirmed=True)
    client = Client()
    first = english_password_step(client, "huaxin")
    assert (first.status_code, first["Location"]) == (302, "/en/accounts/login/otp/")
    page = flat(client.get("/en/accounts/login/otp/"))
    english(client.get("/en/accounts/login/otp/"))
    assert "<h1>Enter the verification code</h1>" in page
    assert '<form method="post" action="/en/accounts/login/otp/" novalidate>' in page
    assert '<label for="id_code">Verification code</label>' in page
    assert '<a href="/en/accounts/login/">Sign in with another account</a>' in page
    wrong = client.post("/en/accounts/login/otp/", {"code": "000000" if code_now() != "000000" else "111111"})
    assert (
        '<a href="#id_code">The code is wrong or has expired. Enter the 6 digits your authenticator shows now.</a>'
        in english(wrong)
    )
    throttled = client.post("/en/accounts/login/otp/", {"code": code_now()})  # django-otp waits 1 s
    assert "Too many wrong codes. Try again in 1 second." in english(throttled)
    clock.advance(seconds=2)
    done = client.post("/en/accounts/login/otp/", {"code": code_now()})
    assert (done.status_code, done["Location"]) == (302, "/en/me/")


def test_the_chinese_code_step_is_unchanged(clock):
    user = subject_user()
    TOTPDevice.objects.create(user=user, name="身份验证器", key=KEY, confirmed=True)
    client = Client()
    first = password_step(client, "huaxin")
    assert (first.status_code, first["Location"]) == (302, "/accounts/login/otp/")
    page = client.get("/accounts/login/otp/").content.decode()
    assert '<html lang="zh-CN">' in page and "<h1>输入验证码</h1>" in page
    done = client.post("/accounts/login/otp/", {"code": code_now()})
    assert (done.status_code, done["Location"]) == (302, "/me/")


def test_an_english_sign_in_goes_on_in_english_and_a_foreign_next_is_dropped():
    subject_user()
    done = english_password_step(Client(), "huaxin")
    assert (done.status_code, done["Location"]) == (302, "/en/me/")
    wanted = english_password_step(Client(), "huaxin", next="/en/me/query-log/")
    assert wanted["Location"] == "/en/me/query-log/"
    foreign = english_password_step(Client(), "huaxin", next="https://evil.example/")
    assert foreign["Location"] == "/en/me/"
    gone = Client().get("/en/accounts/login/otp/")  # no password step: back to the English login page
    assert (gone.status_code, gone["Location"]) == (302, "/en/accounts/login/")
    client = signed_in(subject_user("other"))
    out = client.post("/en/accounts/logout/")
    assert (out.status_code, out["Location"]) == (302, "/en/accounts/login/")
    assert '<p class="info">You have signed out.</p>' in client.get("/en/accounts/login/").content.decode()


def test_a_registration_form_error_in_english(uploads):  # noqa: F811
    client = Client()
    answer = client.post(
        "/en/accounts/register/enterprise/",
        {"name": "", "subject_code": "91110000ABC", "contact": "", "username": "", "password": "123"},
    )
    page = english(answer, status=400, data=["91110000ABC"])
    assert (
        "<title>Error: Register: Organisation account · Public Credit Information Service Platform</title>"
        in (page)
    )
    assert '<h2 id="error-summary-title">There is a problem with what you submitted</h2>' in page
    summary = re.findall(r'<li><a href="#id_(\w+)">([^<]*)</a></li>', page)
    assert summary == [
        ("username", "Enter a user name"),
        ("name", "Enter the name"),
        ("password", "The password is too weak: use at least 10 characters, not only digits, not a common "
                     "password and not close to your user name or name"),
        ("subject_code", "The unified social credit code is not valid: check the 18 characters on the business "
                         "licence"),
        ("contact", "Enter a phone number or an email address"),
        ("doc_licence", "Upload this document"),
    ]  # fmt: skip
    assert (
        '<p class="field-error" id="name-error"><span class="visually-hidden">Error: </span>Enter the name</p>'
        in page
    )
    chinese = client.post("/accounts/register/enterprise/", {"name": ""}).content.decode()
    assert '<h2 id="error-summary-title">提交的信息有误</h2>' in chinese and "请填写企业名称" in chinese


def test_an_agents_form_and_a_bad_date_in_english(uploads):  # noqa: F811
    page = english(Client().get("/en/accounts/register/agent/"))
    assert "<legend><strong>Matters covered</strong></legend>" in page
    assert '<input type="checkbox" name="scope" value="consent"> Query consents</label>' in page
    assert '<label for="id_doc_authorisation">Power of attorney</label>' in page
    answer = Client().post("/en/accounts/register/agent/", {"agency_valid_to": "next year"})
    refused = english(answer, status=400, data=["next year"])
    assert (
        '<a href="#id_agency_valid_to">Enter the last day as year-month-day, for example 2027-06-30</a>'
        in (refused)
    )
    assert '<a href="#id_scope">Choose at least one matter</a>' in refused


def test_a_registration_in_english_ends_on_the_english_submitted_page(uploads):  # noqa: F811
    client = Client()
    form = {"name": "北京蓝桥科技有限公司", "subject_code": USCC, "contact": "13800000000",
            "username": "lanqiao", "password": REGISTRATION_PASSWORD, "doc_licence": pdf()}  # fmt: skip
    answer = client.post("/en/accounts/register/enterprise/", form)
    assert (answer.status_code, answer["Location"]) == (302, "/en/accounts/register/submitted/")
    page = english(client.get("/en/accounts/register/submitted/"))
    code = re.search(r'<strong id="query-code">([^<]+)</strong>', page).group(1)
    assert "<h1>Application submitted</h1>" in page
    assert f'<a href="/en/progress/?code={code}">Track an application</a>' in page
    chinese = client.get("/accounts/register/submitted/").content.decode()
    assert (
        "<h1>申请已提交</h1>" in chinese and f'<a href="/progress/?code={code}">办理进度查询</a>' in chinese
    )
    assert (
        Client().get("/en/accounts/register/submitted/")["Location"] == "/en/accounts/register/"
    )  # no application in this session


def test_the_acting_page_in_english(clock):
    clock.set(NOW)
    firm = Subject.objects.create(
        kind="enterprise", uscc=make_uscc(7), name="北京某某有限公司", created_at=NOW
    )
    agent = agent_make()
    live = agency_make(agent, firm)
    dead = agency_make(agent, firm, valid_to=dt.date(2026, 9, 15))
    client = signed_in(agent)
    page = flat(client.get("/en/me/acting/"))
    english(client.get("/en/me/acting/"))
    assert "<h1>Act for a subject: choose the credit subject</h1>" in page
    row = re.search(rf'<tr id="agency-{live.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "<td>Objections</td><td>2026-09-01 to 2026-12-31</td><td>In force</td>" in row
    assert '<form method="post" action="/en/me/acting/" class="inline">' in row
    assert 'aria-label="Act for 北京某某有限公司">Act for a subject</button>' in row
    assert re.search(r"<td>Expired</td><td>\s*Not available\s*</td>", page)
    refused = client.post("/en/me/acting/", {"agency": dead.pk})
    assert (
        '<p id="refusal">The power of attorney has expired: you can no longer act for the subject</p>'
        in english(refused, status=403)
    )
    chosen = client.post("/en/me/acting/", {"agency": live.pk})
    assert (chosen.status_code, chosen["Location"]) == (302, "/en/me/")
    chinese = client.get("/me/acting/").content.decode()
    assert '<html lang="zh-CN">' in chinese and "<h1>代为办理：选择信用主体</h1>" in chinese
    assert "2026年09月01日 至 2026年12月31日" in chinese
    assert Client().get("/en/me/acting/")["Location"] == "/en/accounts/login/?next=/en/me/acting/"


def test_the_officers_pages_have_no_english_version():
    for path in ("/en/accounts/mfa/", "/en/accounts/mfa/enrol/", "/en/accounts/set-password/x/y/"):
        assert Client().get(path).status_code == 404, path
    assert Client().get("/accounts/set-password/x/y/").status_code == 200
    assert Client().get("/en/accounts/oidc/callback/").status_code == 404  # its one path, unprefixed


def test_every_word_and_refusal_the_pages_show_has_its_english():
    with translation.override("en"):
        missing = [w for w in [*every_word(), *REFUSALS.values()] if translation.gettext(str(w)) == str(w)]
    assert missing == []


def test_the_compiled_catalog_is_the_po_file_and_every_msgid_is_translated():
    assert_compiled_and_translated(
        ACCOUNTS, "run `python -P -m django compilemessages` in xinyong/accounts and commit django.mo"
    )


def test_the_po_file_holds_every_string_the_pages_mark(tmp_path):
    assert_holds_every_marked_string(
        ACCOUNTS,
        tmp_path,
        "run `python -P -m django makemessages -l en --no-location` in xinyong/accounts and translate",
    )
