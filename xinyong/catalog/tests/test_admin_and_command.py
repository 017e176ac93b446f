"""The read-only back office pages and the `catalog_load` management command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.support.otp import verified_login
from xinyong.accounts.models import User
from xinyong.catalog.models import Category, Rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(shipped) -> Client:
    client = Client()
    verified_login(client, User.objects.create_superuser(username="root", password="x" * 12, email=""))
    return client


@pytest.mark.parametrize("model", ["category", "rule", "catalogversion"])
def test_admin_lists_render(admin_client, model):
    assert admin_client.get(f"/admin/catalog/{model}/").status_code == 200


def test_admin_is_read_only(admin_client):
    category = Category.objects.get(code="CF")
    page = admin_client.get(f"/admin/catalog/category/{category.pk}/change/")
    assert page.status_code == 200 and "CF_NR_FK" in page.content.decode()
    assert admin_client.get("/admin/catalog/category/add/").status_code == 403
    rule = Rule.objects.first()
    assert admin_client.post(f"/admin/catalog/rule/{rule.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Rule.objects.filter(pk=rule.pk).exists()


def test_command_loads_then_reports_no_change(provider_units, capsys):
    call_command("catalog_load")
    first = capsys.readouterr().out.splitlines()
    assert first == [
        "规则表 2026.3：新增 24，更新 0，停用 0（审计事件 #1）",
        "目录 2026.5：新增 21，更新 0，停用 0（审计事件 #2）",
    ]
    call_command("catalog_load")
    assert capsys.readouterr().out.splitlines() == ["规则表 2026.3：无变化", "目录 2026.5：无变化"]


def test_command_reports_refusals(db, tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("version: 'x'\nrules: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"^catalog.invalid: 规则表校验未通过：rules：应为非空列表$"):
        call_command("catalog_load", "--rules", str(bad))
