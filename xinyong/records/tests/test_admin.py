"""The back office for records and name candidates (submissions: intake/tests/test_admin.py): withdrawals
go through the services, refusals come back as messages."""

import pytest

from tests.support.records import NOW, cf_row, xk_row
from xinyong.accounts.models import Unit, User
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.outbox import outbox_process
from xinyong.intake.jsonl import rows_from_json_list
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.intake.tests.test_admin import (
    UPLOAD_URL,
    _client,
    _csv_file,
    _good_and_bad,
    _messages,
    _upload,
    _user,
)
from xinyong.records import admin as records_admin
from xinyong.records.models import NameChangeCandidate, Record, RecordStatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(clock):
    clock.set(NOW)


@pytest.fixture
def gs_client(reference):
    return _client(_user("gs-officer", "bj-gongshangju"))


# ── records: withdrawal ──────────────────────────────────────────────────────────────────────────────────


def test_withdraw_action_asks_for_a_reason_then_creates_a_withdrawn_version(gs_client):
    gs_client.get(_upload(gs_client, _good_and_bad())["Location"])
    old = Record.objects.get()
    asked = gs_client.post("/admin/records/record/", {"action": "withdraw", "_selected_action": [old.pk]})
    assert asked.status_code == 200
    assert asked.templates[0].name == "records/admin/record_withdraw_confirm.html"
    assert (
        f"#{old.pk} 行政许可信息 京工商许字〔2026〕第001号（北京华信科技有限公司，第 1 版，公示中）"
        in asked.content.decode()
    )
    blank = {"action": "withdraw", "_selected_action": [old.pk], "confirm": "yes", "reason": "  "}
    assert gs_client.post("/admin/records/record/", blank).context["form"].errors == {
        "reason": ["这个字段是必填项。"]
    }
    done = gs_client.post("/admin/records/record/", {**blank, "reason": "决定已被复议撤销"}, follow=True)
    new = Record.objects.get(is_current=True)
    assert (new.version, new.status, new.change_kind, new.supersedes_id) == (
        2,
        "withdrawn",
        "withdrawal",
        old.pk,
    )
    assert _messages(done) == [f"信用信息 #{old.pk} 已撤回，撤回版本 #{new.pk}（第 2 版）"]
    change = RecordStatusChange.objects.get(record=new)
    assert (change.to_status, change.reason, change.actor) == (
        "withdrawn",
        "决定已被复议撤销",
        f"user:{User.objects.get().pk}",
    )
    history = gs_client.get(f"/admin/records/record/{new.pk}/change/").content.decode()
    assert "决定已被复议撤销" in history


def test_withdraw_reports_refusals_per_record(gs_client):
    gs_client.get(_upload(gs_client, _good_and_bad())["Location"])
    old = Record.objects.get()
    data = {"action": "withdraw", "_selected_action": [old.pk], "confirm": "yes", "reason": "撤销"}
    gs_client.post("/admin/records/record/", data, follow=True)
    again = gs_client.post("/admin/records/record/", data, follow=True)
    assert _messages(again) == [f"信用信息 #{old.pk}：该信息不是当前版本或已撤回（record.not_current）"]
    assert Record.objects.count() == 2


def test_withdraw_action_needs_the_data_officer_role(gs_client, reference):
    _upload(gs_client, _good_and_bad())
    viewer = _client(_user("viewer", "bj-gongshangju", roles=["case_officer"]))
    assert viewer.get("/admin/records/record/").context["action_form"] is None
    data = {
        "action": "withdraw",
        "_selected_action": [Record.objects.get().pk],
        "confirm": "yes",
        "reason": "撤销",
    }
    viewer.post("/admin/records/record/", data)
    assert Record.objects.count() == 1


# ── name change candidates ───────────────────────────────────────────────────────────────────────────────


def _candidate(reference) -> NameChangeCandidate:
    officer = Actor(label="token:test0001", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
    unit, category = Unit.objects.get(code="bj-gongshangju"), Category.objects.get(code="XK")
    renamed = xk_row(XK_WSH="京工商许字〔2026〕第009号", XK_XDR_MC="北京华信数据科技有限公司")
    for key, row in (("a", xk_row()), ("b", renamed)):
        source = SubmissionSource(channel="api", idempotency_key=key, body_sha256=key)
        submission_receive(
            actor=officer,
            unit=unit,
            category=category,
            rows=rows_from_json_list([row]),
            source=source,
            now=NOW,
        )
    return NameChangeCandidate.objects.get()


def test_dismissing_a_name_candidate_writes_an_audit_event(gs_client, reference):
    candidate = _candidate(reference)
    listing = gs_client.get("/admin/records/namechangecandidate/")
    assert [c.pk for c in listing.context["cl"].result_list] == [candidate.pk]
    done = gs_client.post(
        "/admin/records/namechangecandidate/",
        {"action": "dismiss", "_selected_action": [candidate.pk], "index": "0"},
        follow=True,
    )
    assert _messages(done) == [f"疑似更名 #{candidate.pk} 已不予采纳"]
    candidate.refresh_from_db()
    assert candidate.status == "dismissed"
    event = AuditEvent.objects.get(action="name_candidate.dismiss")
    assert (
        event.actor,
        event.unit_code,
        event.target_type,
        event.target_id,
        event.reason,
        event.payload,
    ) == (
        f"user:{User.objects.get().pk}",
        "bj-gongshangju",
        "name_candidate",
        str(candidate.pk),
        "后台核实后不予采纳",
        {"subject": candidate.subject_id, "submission": candidate.submission_id},
    )
    assert gs_client.get("/admin/records/namechangecandidate/").context["cl"].result_count == 0
    shown = gs_client.get("/admin/records/namechangecandidate/", {"state": "dismissed"})
    assert shown.context["cl"].result_count == 1


def test_dismissing_twice_is_refused(gs_client, reference):
    candidate = _candidate(reference)
    data = {"action": "dismiss", "_selected_action": [candidate.pk], "index": "0"}
    gs_client.post("/admin/records/namechangecandidate/", data, follow=True)
    again = gs_client.post("/admin/records/namechangecandidate/?state=all", data, follow=True)
    assert _messages(again) == [f"疑似更名 #{candidate.pk}：该疑似更名已处理（name_candidate.not_open）"]
    assert AuditEvent.objects.filter(action="name_candidate.dismiss").count() == 1


def test_withdraw_refuses_too_large_a_selection(gs_client, monkeypatch):
    gs_client.get(_upload(gs_client, _good_and_bad())["Location"])
    monkeypatch.setattr(records_admin, "MAX_WITHDRAW", 0)
    record = Record.objects.get()
    data = {"action": "withdraw", "_selected_action": [record.pk], "confirm": "yes", "reason": "撤销"}
    done = gs_client.post("/admin/records/record/", data, follow=True)
    assert _messages(done) == ["一次最多撤回 0 条，请缩小选择范围"]
    assert Record.objects.count() == 1


# ── records: the tier and its source (issue 11) ─────────────────────────────────────────────────────────────


def test_officers_see_the_tier_and_where_it_came_from(gs_client):
    revoked = cf_row(
        CF_CFLB="吊销许可证件", CF_NR="吊销食品经营许可证", CF_NR_FK=None, CF_NR_ZKDX="食品经营许可证"
    )
    minor = cf_row(CF_WSH="京工商罚字〔2026〕第102号", XY_YZCD="轻微", CF_NR_FK="0.02")
    rows = [{**revoked, "XY_YZCD": "", "CF_NR_FK": ""}, minor]  # one header for both rows
    category = Category.objects.get(code="CF").pk
    queued = gs_client.post(UPLOAD_URL, {"category": category, "file": _csv_file(rows, "处罚信息.csv")})
    assert queued.status_code == 302 and outbox_process(now=NOW) == 1  # the worker imports the queued file
    listing = gs_client.get("/admin/records/record/").content.decode()
    assert '<td class="field-tier">严重（按处罚类别默认）</td>' in listing
    assert '<td class="field-tier">轻微（报送单位给出）</td>' in listing
    serious = Record.objects.get(severity="serious")
    page = gs_client.get(f"/admin/records/record/{serious.pk}/change/").content.decode()
    assert '<div class="readonly">严重（按处罚类别默认）</div>' in page
    assert '<div class="readonly">按处罚类别默认</div>' in page
    filtered = gs_client.get("/admin/records/record/?severity_source__exact=provider").content.decode()
    assert "轻微（报送单位给出）" in filtered and "严重（按处罚类别默认）" not in filtered
