"""The back office (read-only pages, actions that call the services) and the `list_sweep` command."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from tests.support.lists import APPROVED_AT, REVIEWER, bj, entry_in, propose
from tests.support.otp import verified_login
from xinyong.accounts.models import Unit, User
from xinyong.lists import services
from xinyong.lists.letters import notice_letter_html
from xinyong.lists.models import ListEntry, Notice

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/lists/listentry/"


def _staff(username, unit_code, roles) -> Client:
    user = User.objects.create_user(
        username=username,
        password="x-very-long-pass",
        is_staff=True,
        unit=Unit.objects.get(code=unit_code),
        roles=list(roles),
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="lists", codename__startswith="view_")
    )
    client = Client()
    verified_login(client, user)
    return client


def _action(client, action, ids, **form):
    data = {"action": action, "_selected_action": [str(i) for i in ids], **form}
    return client.post(LIST_URL, data, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_pages_are_read_only_and_show_the_history(company, penalty):
    entry = entry_in("published", company, [penalty])
    client = _staff("reviewer", "bj-jingxinwei", ["reviewer"])
    assert client.get(LIST_URL).status_code == 200
    page = client.get(f"{LIST_URL}{entry.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "列入市场监督管理严重违法失信名单决定书" in text and "publish" in text
    assert client.get("/admin/lists/listtype/").status_code == 200
    assert client.get(f"{LIST_URL}add/").status_code == 403


def test_actions_call_the_services_and_report_refusals(company, penalty, clock):
    clock.set(APPROVED_AT)
    entry = propose(company, [penalty])
    reviewer = _staff("reviewer", "bj-jingxinwei", ["reviewer"])
    done = _action(reviewer, "approve", [entry.pk])
    assert _messages(done) == [f"名单条目 #{entry.pk}：已审核通过"]
    entry = ListEntry.objects.get(pk=entry.pk)
    assert (entry.state, entry.reviewed_by) == (
        "notice_sent",
        f"user:{User.objects.get(username='reviewer').pk}",
    )

    again = _action(reviewer, "approve", [entry.pk])
    assert _messages(again) == [
        f"名单条目 #{entry.pk}：名单条目 {entry.pk} 当前状态为“已告知”，不能审核通过（list_entry.invalid_transition）"
    ]

    confirm = _action(reviewer, "withdraw", [entry.pk])
    assert confirm.status_code == 200 and "确认撤回" in confirm.content.decode()
    blank = _action(reviewer, "withdraw", [entry.pk], confirm="yes", reason=" ")
    assert "确认撤回" in blank.content.decode()  # the form is shown again with its error
    withdrawn = _action(reviewer, "withdraw", [entry.pk], confirm="yes", reason="案件复查")
    assert _messages(withdrawn) == [f"名单条目 #{entry.pk}：已撤回"]
    assert ListEntry.objects.get(pk=entry.pk).transitions.last().reason == "案件复查"


def test_users_without_a_lifecycle_role_get_no_actions(company, penalty):
    entry = propose(company, [penalty])
    auditor = _staff("auditor", "bj-jingxinwei", ["auditor"])
    response = _action(auditor, "approve", [entry.pk])
    assert ListEntry.objects.get(pk=entry.pk).state == "proposed"
    assert response.status_code == 200


def test_list_sweep_command(company, penalty, clock):
    entry_in("published", company, [penalty])
    clock.set(bj(2028, 10, 15, 6))
    out = io.StringIO()
    call_command("list_sweep", stdout=out)
    assert out.getvalue() == "2028-10-15：1 个名单条目期满移出\n"
    out = io.StringIO()
    call_command("list_sweep", stdout=out)
    assert out.getvalue() == "2028-10-15：0 个名单条目期满移出\n"


def test_the_letter_is_escaped_html(company, penalty):
    entry = propose(company, [penalty])
    ListEntry.objects.filter(pk=entry.pk).update(reasons="<script>alert(1)</script>虚假宣传")
    services.list_entry_review(actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT)
    html = notice_letter_html(Notice.objects.get())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;虚假宣传" in html
    assert "<script>" not in html
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "<ol><li>陈述、申辩：你（单位）可以在2025年10月13日23时59分59秒（北京时间）前" in html
