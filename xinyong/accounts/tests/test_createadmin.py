"""`xinyong createadmin`: the first credit-office account, with a password policy and an audit event."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.accounts.models import User
from xinyong.accounts.reference import units_load
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def units():
    units_load(actor=Actor.system(), now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))


def test_createadmin_from_environment(monkeypatch):
    monkeypatch.setenv("XINYONG_ADMIN_PASSWORD", "信用办-Strong-Pass-2026")
    out = io.StringIO()
    call_command("createadmin", "--username", "xyb", stdout=out)
    user = User.objects.get(username="xyb")
    assert (user.is_superuser, user.unit.code, user.roles) == (True, "bj-jingxinwei", ["admin", "reviewer"])
    assert user.check_password("信用办-Strong-Pass-2026")
    assert "已创建管理员 xyb（市经济信息化委）" in out.getvalue()
    assert AuditEvent.objects.filter(action="user.create_admin", target_id=str(user.pk)).count() == 1


def test_weak_password_and_duplicate_are_refused():
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("createadmin", "--username", "a", "--password", "123")
    call_command(
        "createadmin", "--username", "a", "--password", "Another-Strong-Pass-1", stdout=io.StringIO()
    )
    with pytest.raises(CommandError, match="用户 a 已存在"):
        call_command("createadmin", "--username", "a", "--password", "Another-Strong-Pass-1")
