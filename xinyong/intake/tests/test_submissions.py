"""Submissions end to end: answers, idempotent replay, versions, subjects (windows, timeliness and the sweep:
records/tests/test_windows.py)."""

import json

import pytest
from django.db import connection
from django.test import Client

from tests.support.records import COMPANY, NOW, PERSON, cf_row, xk_row
from tests.support.threads import run_together
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.intake.models import RejectedRow, Submission
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.records.models import NameChangeCandidate, Record, RecordStatusChange
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.identity import person_decrypt
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def submissions_client(reference) -> Client:
    unit = Unit.objects.get(code="bj-gongshangju")
    issued = api_token_create(actor=Actor.system(), unit=unit, role="data_officer", now=NOW)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.fixture
def client(reference):
    return submissions_client(reference)


def _post(client, rows, key="k-1", category="XK"):
    return client.post(
        "/api/v1/submissions",
        json.dumps({"category": category, "rows": rows}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_submission_answers_counts_and_rejected_rows(client):
    rows = [
        xk_row(),
        xk_row(XK_WSH="京工商许字〔2026〕第002号", XK_XKLB="09"),
        xk_row(XK_WSH="京工商许字〔2026〕第003号"),
    ]
    response = _post(client, rows)
    assert response.status_code == 201
    body = response.json()
    assert (
        body["total"],
        body["accepted"],
        body["rejected"],
        body["subjects_created"],
        body["replayed"],
    ) == (3, 2, 1, 1, False)
    assert body["rejected_rows"] == [
        {
            "index": 1,
            "errors": [
                {
                    "field": "XK_XKLB",
                    "code": "code.not_allowed",
                    "message": "许可类别取值不在代码表内：09（可选：01 普通、02 特许、03 认可、04 核准、05 登记、06 其他（备注注明））",
                }
            ],
        }
    ]
    assert Record.objects.count() == 2
    assert RejectedRow.objects.get().row["XK_XKLB"] == "09"
    subject = Subject.objects.get(uscc=COMPANY)
    assert (subject.name, subject.kind) == ("北京华信科技有限公司", "enterprise")
    assert AuditEvent.objects.filter(action="submission.receive").count() == 1


def test_missing_idempotency_key_is_refused(client):
    response = client.post(
        "/api/v1/submissions",
        json.dumps({"category": "XK", "rows": [xk_row()]}),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (400, "submission.idempotency_key_required")
    assert Submission.objects.count() == 0


def test_replay_returns_first_answer_and_adds_nothing(client):
    first = _post(client, [xk_row()])
    events = AuditEvent.objects.count()
    again = _post(client, [xk_row()])
    assert again.status_code == 200
    assert {**first.json(), "replayed": True} == again.json()
    assert (Record.objects.count(), Submission.objects.count(), AuditEvent.objects.count()) == (1, 1, events)


def test_same_key_other_body_is_409(client):
    _post(client, [xk_row()])
    response = _post(client, [xk_row(XK_NR="另一项许可")])
    assert (response.status_code, response.json()["code"]) == (409, "submission.idempotency_conflict")
    assert Record.objects.count() == 1


def test_not_a_provider_is_refused(client):
    row = {"SXBZX_ZTMC": "北京华信科技有限公司", "SXBZX_TYSHXYDM": COMPANY}
    response = _post(client, [row], category="SXBZX")
    assert (response.status_code, response.json()["code"]) == (403, "submission.not_provider")


def test_unknown_category(client):
    response = _post(client, [xk_row()], category="ZZZ")
    assert (response.status_code, response.json()["code"]) == (404, "catalog.category_not_found")


def test_same_decision_twice_is_a_new_version(client):
    _post(client, [xk_row()], key="a")
    _post(client, [xk_row()], key="b")
    _post(client, [xk_row(XK_NR="食品经营许可（变更）")], key="c")
    versions = list(
        Record.objects.order_by("version").values_list("version", "is_current", "change_kind", "status")
    )
    assert versions == [
        (1, False, "original", "superseded"),
        (2, False, "resubmission", "superseded"),
        (3, True, "correction", "published"),
    ]
    assert RecordStatusChange.objects.filter(to_status="superseded").count() == 2


def test_same_decision_twice_in_one_batch(client):
    _post(client, [xk_row(), xk_row(XK_NR="更正后的内容")])
    assert list(Record.objects.order_by("id").values_list("version", "is_current", "change_kind")) == [
        (1, False, "original"),
        (2, True, "correction"),
    ]


def test_name_difference_is_noted_not_applied(client):
    _post(client, [xk_row()], key="a")
    _post(client, [xk_row(XK_WSH="京工商许字〔2026〕第009号", XK_XDR_MC="北京华信数据科技有限公司")], key="b")
    assert Subject.objects.get(uscc=COMPANY).name == "北京华信科技有限公司"
    candidate = NameChangeCandidate.objects.get()
    assert (candidate.registry_name, candidate.submitted_name, candidate.status) == (
        "北京华信科技有限公司",
        "北京华信数据科技有限公司",
        "open",
    )


def test_person_number_is_never_stored_in_clear(client):
    row = xk_row(
        XK_XDR_MC="王芳",
        XK_XDR_LB="自然人",
        XK_XDR_SHXYM=None,
        XK_FRDB=None,
        XK_XDR_ZJLX="身份证",
        XK_XDR_ZJHM=PERSON,
    )
    bad = {**row, "XK_WSH": "京工商许字〔2026〕第010号", "XK_XKLB": "99"}
    assert _post(client, [row, bad]).json()["accepted"] == 1
    record = Record.objects.get()
    assert record.payload["XK_XDR_ZJHM"] == PERSON[:6] + "********" + PERSON[-4:]
    assert person_decrypt(record.protected["XK_XDR_ZJHM"]) == PERSON
    assert Subject.objects.get().person_masked == record.payload["XK_XDR_ZJHM"]
    with connection.cursor() as cur:
        for table in (
            "records_record",
            "intake_rejectedrow",
            "subjects_subject",
            "subjects_identifier",
            "audit_event",
        ):
            cur.execute(f"SELECT * FROM {table}")
            assert PERSON not in str(cur.fetchall()), table


def test_rejected_rows_download_has_original_columns_and_errors(client):
    body = _post(client, [xk_row(XK_XKLB="09", XK_NR="=HYPERLINK(1)")]).json()
    response = client.get(f"/api/v1/submissions/{body['submission_id']}/rejected?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, line = text.splitlines()[:2]
    assert header.startswith("行号,XK_XDR_MC,") and header.endswith(",错误")
    assert "'=HYPERLINK(1)" in line and "XK_XKLB：许可类别取值不在代码表内：09" in line
    xlsx = client.get(f"/api/v1/submissions/{body['submission_id']}/rejected?format=xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_other_units_cannot_read_a_submission(client, reference):
    body = _post(client, [xk_row()]).json()
    other = api_token_create(
        actor=Actor.system(), unit=Unit.objects.get(code="bj-shuiwuju"), role="data_officer", now=NOW
    )
    response = Client(HTTP_AUTHORIZATION=f"Bearer {other.secret}").get(
        f"/api/v1/submissions/{body['submission_id']}"
    )
    assert (response.status_code, response.json()["code"]) == (404, "submission.not_found")


def _receive(officer, rows, category="CF", now=NOW, key="k"):
    unit = Unit.objects.get(code=officer.unit_code)
    source = SubmissionSource(channel="api", idempotency_key=key, body_sha256=key)
    return submission_receive(
        actor=officer,
        unit=unit,
        category=Category.objects.get(code=category),
        rows=enumerate(rows),
        source=source,
        now=now,
    ).submission


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_add_one_submission(reference):
    unit = Unit.objects.get(code="bj-gongshangju")
    officer = Actor(label="token:x", unit_code=unit.code, roles=frozenset({"data_officer"}))
    category = Category.objects.get(code="XK")
    source = SubmissionSource(channel="api", idempotency_key="same", body_sha256="digest")
    results, errors = [], []

    def send():
        try:
            outcome = submission_receive(
                actor=officer,
                unit=unit,
                category=category,
                rows=enumerate([xk_row()]),
                source=source,
                now=NOW,
            )
            results.append(outcome.replayed)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure below
            errors.append(exc)

    run_together(*[send] * 4)
    assert errors == []
    assert sorted(results) == [False, True, True, True]
    assert (Submission.objects.count(), Record.objects.count()) == (1, 1)


def test_serious_negative_record_is_announced_for_red_lists(officer):
    from xinyong.core.models import OutboxEvent

    _receive(officer, [cf_row(CF_WSH="S", XY_YZCD="严重"), cf_row(CF_WSH="G")])
    event = OutboxEvent.objects.get()
    subject = Subject.objects.get(uscc=COMPANY)
    assert (event.topic, event.payload["subject_ids"]) == ("records.serious_negative", [subject.pk])
    _receive(officer, [cf_row(CF_WSH="G2")], key="k2")
    assert OutboxEvent.objects.count() == 1  # general penalties announce nothing


@pytest.mark.slow
def test_the_largest_submission_the_api_promises_is_read_and_taken(client):
    """10,000 rows (MAX_API_ROWS) make a body of several MB, above Django's default 2.5 MB: it must be read."""
    rows = [
        xk_row(XK_WSH=f"京工商许字〔2026〕第{i:05d}号", XK_NR="食品经营许可" + "，含" * 60)
        for i in range(10_000)
    ]
    body = json.dumps({"category": "XK", "rows": rows})
    assert len(body.encode()) > 4 * 1024 * 1024
    response = _post(client, rows)
    assert response.status_code == 201, response.content[:300]
    assert (response.json()["total"], response.json()["accepted"]) == (10_000, 10_000)


def test_a_uscc_with_an_unknown_region_is_accepted_with_a_warning(client):
    """GB 32100 positions 3–8: a region code missing from the GB/T 2260 table is no reason to refuse (old
    divisions keep their codes); the row is accepted and the answer says which field to check."""
    odd = uscc_make("91119999MA01ABCD")
    wrong_type = uscc_make("94110108MA01ABCD")
    rows = [
        xk_row(),
        xk_row(XK_WSH="京工商许字〔2026〕第002号", XK_XDR_MC="北京远方科技有限公司", XK_XDR_SHXYM=odd),
        xk_row(XK_WSH="京工商许字〔2026〕第003号", XK_XDR_MC="北京错类科技有限公司", XK_XDR_SHXYM=wrong_type),
    ]
    body = _post(client, rows).json()
    assert (body["total"], body["accepted"], body["rejected"], body["warned"]) == (3, 2, 1, 1)
    assert body["warning_rows"] == [
        {
            "index": 1,
            "warnings": [
                {
                    "field": "XK_XDR_SHXYM",
                    "code": "uscc.region_unknown",
                    "message": "统一社会信用代码：统一社会信用代码第 3–8 位登记管理机关行政区划码"
                    "“119999”不在行政区划代码表中（可能为已撤销或调整的区划），已接收，请核对",
                }
            ],
        }
    ]
    assert [(e["field"], e["code"]) for e in body["rejected_rows"][0]["errors"]] == [
        ("XK_XDR_SHXYM", "uscc.entity_type")
    ]
    assert Subject.objects.filter(uscc=odd).exists()
    submission = Submission.objects.get()
    assert (submission.result["warned"], len(submission.result["warning_rows"])) == (1, 1)
    assert AuditEvent.objects.get(action="submission.receive").payload["warned"] == 1
    replay = _post(client, rows).json()  # the replay answers the same warnings
    assert (replay["replayed"], replay["warning_rows"]) == (True, body["warning_rows"])
