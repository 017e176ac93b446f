"""The back office: read-only pages, the reporter shown masked only, and each unit's staff see their own."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests.support.otp import verified_login
from tests.support.records import PERSON
from tests.support.tipoffs import file, walk
from xinyong.accounts.models import Unit, User

pytestmark = pytest.mark.django_db
URL = "/admin/tipoffs/tipoff/"


def _staff(username, unit_code) -> Client:
    user = User.objects.create_user(
        username=username, password="x-very-long-pass", is_staff=True, unit=Unit.objects.get(code=unit_code)
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="tipoffs", codename__startswith="view_")
    )
    client = Client()
    verified_login(client, user)
    return client


def test_pages_show_the_masked_reporter_only_and_are_read_only(company):
    tipoff = walk(file(reporter_id_number=PERSON), "investigating")
    client = _staff("gsj", "bj-gongshangju")
    page = client.get(f"{URL}{tipoff.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "李**，139****5678" in text and "investigate" in text
    for secret in ("李秀英", "13912345678", PERSON, tipoff.query_code, tipoff.reporter_name_cipher):
        assert secret not in text
    assert client.get(f"{URL}add/").status_code == 403


def test_staff_of_another_unit_do_not_see_the_report(company):
    tipoff = file()
    client = _staff("czj", "bj-caizhengju")
    assert client.get(f"{URL}{tipoff.pk}/change/").status_code == 302  # not in its queryset: "does not exist"
    assert "北京华信科技有限公司" not in client.get(URL).content.decode()
