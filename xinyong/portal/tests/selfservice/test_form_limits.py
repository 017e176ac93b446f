"""Rate limits on the portal's forms (issue 15 "rate limits on search and forms"; core/pagelimits.py): each
submission of the objection and repair forms counts in `filing` per account, of the registration form in
`filing` per address, of the sign-in steps in `login` per address; over the limit a Chinese 429 page with
`Retry-After`, and nothing is written. Showing a form costs nothing."""

import pytest
from django.test import Client

from tests.support.accounts import signed_in
from tests.support.remedies import FILED_AT
from xinyong.accounts.models import AccountApplication, User
from xinyong.core import ratelimit
from xinyong.remedies.models import Objection, RepairApplication

NOW_S = 1_796_000_000 - 1_796_000_000 % 3600 + 600  # ten minutes into an hour window


@pytest.fixture
def limits(db, settings, monkeypatch):
    """`filing` 2 an hour, `login` 2 in 300 s, `upload` a million bytes a day; a fixed clock; empty counters
    (on PostgreSQL a table of the test database, hence `db`)."""
    settings.XINYONG_RATE_LIMITS = {
        **settings.XINYONG_RATE_LIMITS,
        "filing": "2/3600",
        "login": "2/300",
        "upload": "1000000/86400",
    }
    monkeypatch.setattr(ratelimit, "clock", lambda: NOW_S)
    ratelimit.counters_clear()
    yield
    ratelimit.counters_clear()


@pytest.fixture
def huaxin(own, clock):
    clock.set(FILED_AT)
    return signed_in(User.objects.get(pk=own.user_id))


def _refused(answer, wait: int, what: str, who: str) -> None:
    assert answer.status_code == 429
    assert answer["Retry-After"] == str(wait)
    page = answer.content.decode()
    assert "<h1>请求过于频繁</h1>" in page
    assert f"<p>{who}在短时间内发出的{what}过多。请 {wait} 秒后再试。</p>" in page


def test_objections_beyond_the_filing_limit_are_refused(limits, huaxin, penalty):
    form = {"record": penalty.pk, "grounds": "error", "description": "金额有误", "applicant_name": "北京华信"}
    assert huaxin.get("/me/objections/new").status_code == 200  # not counted
    answers = [huaxin.post("/me/objections/new", form) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [201, 409]  # the second: one objection per record
    sent = int(answers[0].request["CONTENT_LENGTH"])
    day_left = 86400 - NOW_S % 86400
    assert answers[0]["RateLimit"] == f'"filing";r=1;t=3000, "upload";r={1000000 - sent};t={day_left}'
    _refused(answers[2], 3000, "提交", "您的账户")
    assert Objection.objects.count() == 1
    assert Client().get("/progress/").status_code == 200  # other pages go on


def test_repair_previews_count_as_submissions(limits, huaxin, penalty):
    form = {"record": penalty.pk, "statement": "已整改", "applicant_name": "北京华信", "action": "preview"}
    answers = [huaxin.post("/me/repairs/new", form) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    _refused(answers[2], 3000, "提交", "您的账户")
    assert not RepairApplication.objects.exists()


@pytest.mark.django_db
def test_registrations_beyond_the_filing_limit_are_refused(limits):
    client = Client()
    assert client.get("/accounts/register/enterprise/").status_code == 200
    answers = [client.post("/accounts/register/enterprise/", {"name": ""}) for _ in range(3)]
    assert [a.status_code for a in answers] == [400, 400, 429]
    _refused(answers[2], 3000, "提交", "您的网络地址")
    assert not AccountApplication.objects.exists()


@pytest.mark.django_db
def test_sign_in_attempts_beyond_the_login_limit_are_refused(limits):
    User.objects.create_user(username="zhangwei", password="x-strong-password-1")
    client = Client()
    for _ in range(3):
        assert client.get("/accounts/login/").status_code == 200
    wrong = [client.post("/accounts/login/", {"username": "zhangwei", "password": "wrong"}) for _ in range(2)]
    assert [a.status_code for a in wrong] == [200, 200]
    right = client.post("/accounts/login/", {"username": "zhangwei", "password": "x-strong-password-1"})
    _refused(right, 300 - NOW_S % 300, "登录尝试", "您的网络地址")
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.1.2.3")  # another address has its own budget
    assert (
        other.post(
            "/accounts/login/", {"username": "zhangwei", "password": "x-strong-password-1"}
        ).status_code
        == 302
    )
