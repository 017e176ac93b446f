"""Who may open the console (issue 16, console/access.py): an officer whose session passed the second factor;
the login page for anyone not signed in or without the second factor; a Chinese 403 for a subject's account."""

import datetime as dt

import pytest
from django.test import Client

from tests.support.otp import verified_login
from xinyong.accounts.models import Unit, User
from xinyong.accounts.reference import units_load
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def officer():
    units_load(actor=Actor(label="user:1", roles=frozenset({"admin"})), now=NOW)
    unit = Unit.objects.get(code="bj-gongshangju")
    return User.objects.create_user(
        username="zhang",
        password="x-strong-password-1",
        full_name="张办事",
        unit=unit,
        roles=["case_officer"],
    )


def test_anonymous_goes_to_the_login_page_and_comes_back():
    answer = Client().get("/console/")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/login/?next=%2Fconsole%2F"


def test_an_officer_without_the_second_factor_goes_to_the_login_page(officer):
    client = Client()
    client.force_login(officer)
    answer = client.get("/console/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_a_verified_officer_sees_the_console_with_its_name_and_unit(officer):
    answer = verified_login(Client(), officer).get("/console/")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "<h1>工作台</h1>" in body
    assert f"张办事（{officer.unit.name}）" in body
    assert 'aria-current="page">工作台</a>' in body


def test_a_person_without_a_government_role_is_refused_in_chinese(officer):
    person = User.objects.create_user(username="citizen", password="x-strong-password-1", full_name="王公民")
    answer = verified_login(Client(), person).get("/console/")
    assert answer.status_code == 403
    assert "无权访问控制台" in answer.content.decode()
