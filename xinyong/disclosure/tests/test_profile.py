"""The profile each caller may see, consent for persons, and the query log (issue 4)."""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.test import Client

from tests.support.records import COMPANY, NOW, PERSON, cf_row, xk_row
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import api_token_create, user_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.records.flags import record_objection_flag, record_repair
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
MASKED = PERSON[:6] + "********" + PERSON[-4:]
REVIEWER = Actor(label="user:reviewer", roles=frozenset({"reviewer"}))


def _token(unit_code: str, role: str) -> Client:
    unit = Unit.objects.get(code=unit_code)
    issued = api_token_create(actor=Actor.system(), unit=unit, role=role, now=NOW)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _submit(client: Client, rows, category, key):
    response = client.post(
        "/api/v1/submissions",
        json.dumps({"category": category, "rows": rows}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.json()["rejected"] == 0, response.json()


def _set_status(doc_no: str, status: str, at: dt.datetime) -> None:
    """The record flagged or repaired through the records services the objection and repair workflows use."""
    record = Record.objects.get(doc_no=doc_no, is_current=True)
    actor = Actor(label="user:71", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}), user_id=71)
    with transaction.atomic():  # the services write in their caller's transaction
        if status == "under_objection":
            record_objection_flag(actor=actor, record_id=record.pk, objection_id=1, now=at)
        else:
            record_repair(actor=actor, record_id=record.pk, repair_id=1, now=at)


@pytest.fixture
def data(reference):
    officer = _token("bj-gongshangju", "data_officer")
    _submit(
        officer,
        [
            cf_row(CF_WSH="P1", CF_FR_ZJLX="身份证", CF_FR_ZJHM=PERSON),
            cf_row(CF_WSH="P2"),
            cf_row(CF_WSH="OLD", CF_JDRQ="2024-06-03"),
            cf_row(CF_WSH="MINOR", CF_CFLB="警告", CF_NR_FK=None),
            cf_row(CF_WSH="FIXED"),
        ],
        "CF",
        "cf",
    )
    person = xk_row(
        XK_WSH="PX",
        XK_XDR_MC="王芳",
        XK_XDR_LB="自然人",
        XK_XDR_SHXYM=None,
        XK_FRDB=None,
        XK_XDR_ZJLX="身份证",
        XK_XDR_ZJHM=PERSON,
    )
    _submit(officer, [xk_row(), person], "XK", "xk")
    _set_status("P2", "under_objection", dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC))
    _set_status("FIXED", "repaired", dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC))
    return officer


def _docs(profile, code="CF"):
    category = next((c for c in profile["categories"] if c["code"] == code), {"records": []})
    return sorted(r["doc_no"] for r in category["records"])


def test_anonymous_sees_public_fields_of_published_records(data):
    events = AuditEvent.objects.count()
    profile = Client().get(f"/api/v1/subjects/{COMPANY}/profile").json()
    assert (profile["viewer"], profile["tiers"]) == ("public", ["public"])
    assert profile["subject"]["name"] == "北京华信科技有限公司"
    assert _docs(profile) == ["P1", "P2"]  # expired, not published (minor) and repaired are not public
    p2 = next(r for c in profile["categories"] for r in c["records"] if r["doc_no"] == "P2")
    assert (p2["status"], p2["under_objection_since"]) == ("under_objection", "2026-11-01T09:00:00+08:00")
    assert list(p2) == [  # the tier's source is for officers only (issue 11)
        "record_id", "unit", "unit_name", "doc_no", "decision_date", "severity", "status", "status_label",
        "shown", "under_objection_since", "publish_until", "fields",
    ]  # fmt: skip
    codes = {f["code"] for c in profile["categories"] for r in c["records"] for f in r["fields"]}
    assert "CF_FR_ZJHM" not in codes and "CF_FR_ZJLX" not in codes
    assert AuditEvent.objects.count() == events  # public reads are not logged


def test_officer_needs_a_purpose_and_sees_government_tier_and_retained_records(data):
    officer = _token("bj-shuiwuju", "case_officer")
    response = officer.get(f"/api/v1/subjects/{COMPANY}/profile")
    assert (response.status_code, response.json()["code"]) == (400, "profile.purpose_required")
    profile = officer.get(f"/api/v1/subjects/{COMPANY}/profile?purpose=纳税信用评价").json()
    assert profile["viewer"] == "government" and _docs(profile) == ["MINOR", "OLD", "P1", "P2"]
    p1 = next(r for c in profile["categories"] for r in c["records"] if r["doc_no"] == "P1")
    assert {"code": "CF_FR_ZJHM", "name": "法定代表人证件号码", "value": MASKED} in p1["fields"]
    tiers = {
        r["doc_no"]: (r["severity"], r["severity_source"])
        for c in profile["categories"]
        for r in c["records"]
    }
    assert tiers == {
        "京工商许字〔2026〕第001号": ("", ""),  # a licence has no tier
        "P1": ("general", "penalty_type_default"),  # 罚款 under the 2026 table
        "P2": ("general", "penalty_type_default"),
        "OLD": ("general", "category_default"),  # 2024: Order No. 58's table lists only 警告 and 通报批评
        "MINOR": ("minor", "penalty_type_default"),  # 警告
    }
    event = AuditEvent.objects.filter(action="query.profile").get()
    assert (event.unit_code, event.reason, event.payload["level"]) == (
        "bj-shuiwuju",
        "纳税信用评价",
        "government",
    )


def test_person_needs_self_consent_or_case_number(data):
    person = Subject.objects.get(kind="natural_person")
    for client in (Client(), _token("bj-gongshangju", "institution")):
        response = client.get(f"/api/v1/subjects/{PERSON}/profile")
        assert (response.status_code, response.json()["code"]) == (403, "profile.consent_required")
    officer = _token("bj-gongshangju", "case_officer")
    response = officer.get(f"/api/v1/subjects/{PERSON}/profile?purpose=许可审查")
    assert (response.status_code, response.json()["code"]) == (403, "profile.legal_basis_required")
    ok = officer.get(
        f"/api/v1/subjects/{PERSON}/profile?purpose=许可审查&case_number=京工商许审〔2026〕8号"
    ).json()
    assert (ok["viewer"], ok["subject"]["code"], ok["subject"]["name"]) == ("government", MASKED, "王芳")
    assert person.pk


def test_a_person_is_looked_up_by_post_with_the_id_out_of_the_url(data):
    """Issue 12: the same answers as the GET, the resident ID only in the body (never in a logged URL)."""
    lookup = "/api/v1/subjects/profile"
    response = Client().post(lookup, {"code": PERSON}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "profile.consent_required")
    officer = _token("bj-gongshangju", "case_officer")
    body = {"code": PERSON, "purpose": "许可审查", "case_number": "京工商许审〔2026〕8号"}
    ok = officer.post(lookup, body, content_type="application/json")
    assert (
        ok.json()
        == officer.get(
            f"/api/v1/subjects/{PERSON}/profile?purpose=许可审查&case_number=京工商许审〔2026〕8号"
        ).json()
    )
    assert ok.json()["subject"]["code"] == MASKED and PERSON not in ok.request["PATH_INFO"]
    public = Client().post(lookup, {"code": COMPANY}, content_type="application/json").json()
    assert public["viewer"] == "public" and public["subject"]["name"] == "北京华信科技有限公司"


def _person_client() -> Client:
    person = Subject.objects.get(kind="natural_person")
    user = User.objects.create_user(username="wangfang", password="x-strong-password-1")
    subject_account_link(actor=REVIEWER, user=user, subject_id=person.pk, now=NOW)
    issued = user_token_create(actor=REVIEWER, user=user, now=NOW)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def test_person_sees_everything_about_itself_and_who_looked(data):
    me = _person_client()
    profile = me.get(f"/api/v1/subjects/{PERSON}/profile").json()
    assert profile["viewer"] == "self"
    px = profile["categories"][0]["records"][0]
    assert {"code": "XK_XDR_ZJHM", "name": "证件号码", "value": PERSON} in px["fields"]
    _token("bj-gongshangju", "case_officer").get(
        f"/api/v1/subjects/{PERSON}/profile?purpose=许可审查&case_number=C-1"
    )
    log = me.get("/api/v1/me/query-log").json()["items"]
    assert [(e["unit_name"], e["purpose"], e["case_number"]) for e in log] == [
        ("市工商局", "许可审查（案件编号 C-1）", "C-1"),
        ("本人", "本人查询", ""),
    ]


def test_consent_lets_an_institution_read_authorised_fields_until_revoked(data):
    bank = Unit.objects.create(
        code="bank-demo", name="示例银行北京分行", type="institution", roles=["consumer"]
    )
    institution = _token(bank.code, "institution")
    me = _person_client()
    grant = me.post(
        "/api/v1/me/consents",
        json.dumps({"grantee": "bank-demo", "purpose": "个人贷款审批", "valid_until": "2027-05-01"}),
        content_type="application/json",
    )
    assert grant.status_code == 201
    profile = institution.get(f"/api/v1/subjects/{PERSON}/profile").json()
    assert (profile["viewer"], profile["tiers"]) == ("institution", ["authorised", "public"])
    px = profile["categories"][0]["records"][0]
    assert {"code": "XK_XDR_ZJHM", "name": "证件号码", "value": MASKED} in px["fields"]
    assert profile["subject"]["name"] is None
    revoke = me.delete(f"/api/v1/me/consents/{grant.json()['id']}")
    assert revoke.json()["revoked_at"] is not None
    after = institution.get(f"/api/v1/subjects/{PERSON}/profile")
    assert (after.status_code, after.json()["code"]) == (403, "profile.consent_required")


def test_me_endpoints_need_a_subject_account(data):
    response = _token("bj-gongshangju", "case_officer").get("/api/v1/me/query-log")
    assert (response.status_code, response.json()["code"]) == (403, "auth.operation_forbidden")


def test_no_clear_id_number_in_any_public_answer(data):
    client = Client()
    bodies = [
        client.get("/api/v1/publicity/licences").content,
        client.get("/api/v1/publicity/penalties").content,
        b"".join(client.get("/api/v1/publicity/licences/export?format=csv").streaming_content),
        b"".join(client.get("/api/v1/publicity/penalties/export?format=jsonl").streaming_content),
        client.get(f"/api/v1/subjects/{COMPANY}/profile").content,
        _token("bj-shuiwuju", "case_officer").get(f"/api/v1/subjects/{COMPANY}/profile?purpose=x").content,
    ]
    for body in bodies:
        assert PERSON.encode() not in body
    licences = json.loads(bodies[0])["items"]
    person_item = next(i for i in licences if i["subject_kind"] == "natural_person")
    assert person_item["subject_code"] == MASKED and "XK_XDR_ZJHM" not in person_item["fields"]


def test_a_record_past_its_window_is_retained_not_shown_before_the_sweep(penalty):
    """Issue 11: the window decides, not the sweep — the public no longer sees it, an officer sees it as
    retained with its own label, and the check no longer counts it."""
    from xinyong.disclosure.profile import PAST_WINDOW_LABEL, subject_profile

    end = penalty.publish_max_end
    day_after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(2, 0), tzinfo=dt.UTC)
    on_last_day = dt.datetime.combine(end, dt.time(2, 0), tzinfo=dt.UTC)
    officer = Actor(label="token:czj0001", unit_code="bj-caizhengju", roles=frozenset({"case_officer"}))

    def seen(actor, now):
        profile = subject_profile(actor=actor, subject=penalty.subject, now=now, purpose="核查")
        return [
            (r["record_id"], r["shown"], r["status_label"])
            for c in profile["categories"]
            for r in c["records"]
        ]

    assert seen(Actor.anonymous(), on_last_day) == [(penalty.pk, True, "公示中")]
    assert seen(Actor.anonymous(), day_after) == []
    assert seen(officer, day_after) == [(penalty.pk, False, PAST_WINDOW_LABEL)]
    assert Record.objects.get(pk=penalty.pk).status == "published"  # no sweep ran
