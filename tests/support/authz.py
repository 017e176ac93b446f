"""The world of the object-level authorisation matrix (tests/test_authz_objects.py): the demo story of
`xinyong up --demo`, what it lacks, and every object operation as a target with its URL and body."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.test import Client

from tests.support.oversight import plan_report_targets
from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import api_token_create, user_token_create
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.subjects.identifiers import uscc_make

OFFICE, STRANGER = "bj-jingxinwei", "bj-tiyuju"  # 市体育局 owns nothing in the story
GSJ, SFDA = "bj-gongshangju", "bj-shiyaojianju"
UNIT_ROLES = ("data_officer", "case_officer", "institution", "public")
OFFICE_ROLES = ("reviewer", "admin", "auditor")
SYSTEM = Actor(label="system:test", roles=frozenset({"admin"}))


@dataclass
class Target:
    """One object an operation addresses: its URL values, body, the units and subject its rule names, and a
    text that only its readers may see."""

    params: dict[str, object]
    owner: str = ""  # the own / providing / handling / deciding unit
    units: tuple[str, ...] = ()  # further units the rule admits (proposing unit …)
    subject: str = ""  # story firm key of the subject itself
    body: dict = field(default_factory=dict)
    secret: str = ""  # appears in the object's data: never in an excluded caller's answer
    multipart: bool = False
    listing: bool = False  # a list: excluded callers may get 200, but without the object


# ── the story and what it lacks ─────────────────────────────────────────────────────────────────────────


def token_for(unit_code: str, role: str) -> str:
    unit = Unit.objects.get(code=unit_code)
    return api_token_create(
        actor=SYSTEM, unit=unit, role=role, now=timeutil.now(), officer=f"{role}-1"
    ).secret


def post_as(secret: str | None, url: str, body: dict, **extra):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}") if secret else Client()
    answer = client.post(url, json.dumps(body, ensure_ascii=False), content_type="application/json", **extra)
    assert answer.status_code in (200, 201, 202), (url, answer.status_code, answer.content)
    return answer.json()


def subject_account_token(subject, username: str) -> str:
    """A verified subject account's token (created once per subject)."""
    from xinyong.accounts.access import subject_account_link

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=None)
        subject_account_link(actor=SYSTEM, user=user, subject_id=subject.pk, now=timeutil.now())
    return user_token_create(actor=SYSTEM, user=user, now=timeutil.now()).secret


def demo_story_loaded() -> dict:
    """The demo story, loaded through the services, and the objects it lacks."""
    from xinyong.ops.demo_story import FIRMS, demo_story_load
    from xinyong.ops.reference import reference_load_all
    from xinyong.subjects.models import Subject

    now = timeutil.now()
    reference_load_all(actor=SYSTEM, now=now)
    demo_story_load(now=now)
    firms = {key: Subject.objects.get(uscc=code) for key, (_, code) in FIRMS.items()}
    accounts = {key: subject_account_token(subject, f"matrix-{key}") for key, subject in firms.items()}
    stranger = stranger_subject()
    accounts["stranger"] = subject_account_token(stranger, "matrix-stranger")
    return {"firms": firms, "accounts": accounts, "now": now}


def stranger_subject():
    from tests.support.factories import make_uscc
    from xinyong.subjects.services import subject_register

    registrar = Actor(label="user:registrar", unit_code=STRANGER, roles=frozenset({"data_officer"}))
    return subject_register(actor=registrar, now=timeutil.now(), kind="enterprise", name="北京无关科技有限公司",
                            uscc=make_uscc(4711))  # fmt: skip


def story_extras(story: dict) -> dict:
    """What the story lacks: a submission with a rejected row, a pending entry proposed by another unit than
    the deciding one, a push, a code correction, a consent and a tip-off with evidence."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinyong.lists.services import list_entry_propose
    from xinyong.pushes.services import pushes_for_entry_event
    from xinyong.records.models import Record
    from xinyong.tipoffs.models import Tipoff

    now, firms, gsj = story["now"], story["firms"], token_for(GSJ, "data_officer")
    rows = [{"CF_XDR_MC": "矩阵退回行标记", "CF_XDR_SHXYM": "bad"}]
    submission = post_as(
        gsj, "/api/v1/submissions", {"category": "CF", "rows": rows}, HTTP_IDEMPOTENCY_KEY="mx-1"
    )
    sfda_penalty = Record.objects.get(doc_no="京食药罚字〔演示〕第1号", is_current=True)
    officer = Actor(label="token:matrix-sfda", unit_code=SFDA, roles=frozenset({"data_officer"}))
    pending = list_entry_propose(
        actor=officer, list_type="scjg-yzsx", subject=sfda_penalty.subject, basis_record_ids=[sfda_penalty.pk],
        legal_basis="矩阵测试依据", reasons="矩阵待审提议标记", now=now,
    )  # fmt: skip
    black = Record.objects.get(doc_no="京工商罚字〔演示〕第1号", is_current=True)
    push = pushes_for_entry_event(
        payload={"event": "published", "entry_id": black.list_entries.get().pk}, now=now
    )
    wrong = {
        "wrong_code": uscc_make("9111010800099999"),
        "to_code": firms["black"].uscc,
        "reason": "矩阵更正",
    }
    correction = post_as(gsj, "/api/v1/subjects/corrections", wrong)
    valid_until = (now + dt.timedelta(days=30)).date().isoformat()
    consent = post_as(story["accounts"]["repair"], "/api/v1/me/consents",
                    {"grantee": GSJ, "purpose": "矩阵授权标记", "valid_until": valid_until})  # fmt: skip
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n% matrix\n", content_type="application/pdf")
    report = {"subject": firms["objection"].uscc, "category": "CF", "description": "矩阵举报标记", "unit": GSJ,
              "reporter_name": "王五", "reporter_phone": "13900139000", "files": [pdf]}  # fmt: skip
    assert Client().post("/api/v1/tipoffs", report).status_code == 201
    tipoff = Tipoff.objects.get(description="矩阵举报标记")
    assert tipoff.handling_unit.code == GSJ
    ids = {
        "submission": submission["submission_id"],
        "correction": correction["id"],
        "consent": consent["id"],
    }
    return {**ids, "pending": pending, "push": push[0], "tipoff": tipoff}


def object_targets(story: dict, extra: dict) -> dict[str, list[Target]]:
    """operation id → the objects it is called on (one or two per operation). Not here: operations whose body
    names only a subject or public records (`lists_entry_propose`, `checks_create`, corrections, consents):
    they act in the caller's own name, on no other unit's object."""
    from xinyong.commitments.models import Commitment, Enrolment
    from xinyong.lists.models import ListEntry, Notice
    from xinyong.measures.models import Check, CheckResultMeasure
    from xinyong.records.models import Record
    from xinyong.remedies.models import Objection, RepairApplication
    from xinyong.tipoffs.models import Tipoff

    firms = story["firms"]

    def record(doc_no):
        return Record.objects.get(doc_no=doc_no, is_current=True)

    black_record, sfda_licence = record("京工商罚字〔演示〕第1号"), record("京食药许字〔演示〕第1号")
    black, red = (
        ListEntry.objects.get(list_type__code="scjg-yzsx", state="published"),
        ListEntry.objects.get(list_type__code="cxdx-hmd"),
    )
    pending, push, tipoff = extra["pending"], extra["push"], extra["tipoff"]
    objection, repair = Objection.objects.get(), RepairApplication.objects.get()
    commitment, enrolment = Commitment.objects.get(), Enrolment.objects.get()
    at_office = Tipoff.objects.exclude(pk=tipoff.pk).get()  # the story's: no single provider, so 信用办
    notices = [Target({"notice_id": n.pk}, owner=n.entry.list_type.deciding_unit.code,
                      units=(n.entry.proposing_unit.code,), subject="black" if n.entry_id == black.pk else "red",
                      secret=n.content["number"].removeprefix("编号："))
               for n in Notice.objects.filter(entry__in=[black, red], kind="decision")]  # fmt: skip
    entry_black = dict(owner=GSJ, units=(GSJ,), subject="black", secret="在商品包装上作虚假宣传")
    entry_pending = dict(owner=GSJ, units=(SFDA,), subject="repair", secret="矩阵待审提议标记")
    obj = dict(
        params={"objection_id": objection.pk}, owner=GSJ, subject="objection", secret=objection.description
    )
    rep = dict(params={"repair_id": repair.pk}, owner=GSJ, subject="repair", secret=repair.statement)
    tip = dict(params={"tipoff_id": tipoff.pk}, owner=tipoff.handling_unit.code, secret="矩阵举报标记")
    office_tip = dict(params={"tipoff_id": at_office.pk}, owner=OFFICE, secret=at_office.description)
    checks = []
    for check in Check.objects.order_by("pk"):
        result = (
            CheckResultMeasure.objects.filter(checkresult__check_run=check).select_related("measure").first()
        )
        item = {"result_id": result.checkresult_id, "measure_code": result.measure.code, "outcome": "applied",
                "applied_on": timeutil.business_date(story["now"]).isoformat()}  # fmt: skip
        checks.append(Target({"check_id": check.pk}, owner=check.unit.code, body={"items": [item]},
                             secret=check.case_number))  # fmt: skip
    uscc = {key: subject.uscc for key, subject in firms.items()}
    return {
        "reports_notice_letter": notices,
        "lists_notice_read": notices,
        "lists_notice_letter": notices,
        "reports_issue": [
            Target({}, subject="black", body={"subject": uscc["black"], "purpose": "矩阵测试"})
        ],
        "subjects_corrections_decide": [
            Target({"correction_id": extra["correction"]}, owner=GSJ, body={"approve": False, "note": "矩阵"})
        ],
        "me_consents_revoke": [Target({"consent_id": extra["consent"]}, subject="repair")],
        "lists_entry_review": [
            Target({"entry_id": pending.pk}, body={"approve": False, "reason": "矩阵"}, **entry_pending)
        ],
        "lists_entry_statement": [
            Target({"entry_id": pending.pk}, body={"waive": True}, **entry_pending),
            Target({"entry_id": black.pk}, body={"waive": True}, **entry_black),
        ],
        "lists_entry_decide": [Target({"entry_id": black.pk}, body={"remedy": "矩阵"}, **entry_black)],
        "lists_entry_publish": [Target({"entry_id": black.pk}, **entry_black)],
        "lists_entry_exit": [
            Target(
                {"entry_id": black.pk}, body={"reason_code": "revocation", "reason": "矩阵"}, **entry_black
            )
        ],
        "lists_entry_withdraw": [Target({"entry_id": pending.pk}, body={"reason": "矩阵"}, **entry_pending)],
        "checks_get": checks,
        "checks_feedback_create": checks,
        "pushes_mark_read": [Target({"push_id": push.pk}, owner=push.unit.code)],
        "objections_get": [Target(**obj)],
        "objections_evidence": [
            Target(**{**obj, "params": {**obj["params"], "file_id": objection.evidence[0]}})
        ],
        "objections_accept": [Target(**obj)],
        "objections_refuse": [Target(**obj, body={"reason": "矩阵"})],
        "objections_verify": [Target(**obj, body={"outcome": "upheld", "verification": "矩阵"})],
        "objections_reply": [Target(**obj, body={"reply": "矩阵"})],
        "repairs_preview": [
            Target({}, subject="black", body={"target_kind": "record", "target_id": black_record.pk})
        ],
        "repairs_apply": [
            Target(
                {},
                subject="black",
                body={
                    "target_kind": "record",
                    "target_id": black_record.pk,
                    "statement": "矩阵",
                    "applicant_name": "矩阵",
                },
                multipart=True,
            )
        ],
        "repairs_get": [Target(**rep)],
        "repairs_evidence": [Target(**{**rep, "params": {**rep["params"], "file_id": repair.evidence[0]}})],
        "repairs_check": [Target(**rep, body={"passed": False, "reason": "矩阵"})],
        "repairs_decide": [Target(**rep, body={"approve": False, "reason": "矩阵"})],
        "commitments_sign": [
            Target(
                {},
                owner=GSJ,
                subject="black",
                body={
                    "template": "repair-general",
                    "subject": uscc["black"],
                    "matter": "矩阵",
                    "accepting_unit": GSJ,
                    "signer_name": "张伟",
                    "evidence": "书面承诺",
                },
            )
        ],
        "commitments_get": [
            Target({"commitment_id": commitment.pk}, owner=GSJ, subject="repair", secret="履约情况接受")
        ],
        "commitments_verify": [
            Target(
                {"commitment_id": commitment.pk},
                owner=GSJ,
                subject="repair",
                body={"kept": True, "result": "矩阵"},
            )
        ],
        "commitments_withdraw": [Target({"commitment_id": commitment.pk}, owner=GSJ, subject="repair")],
        "training_enrol": [
            Target(
                {},
                owner=enrolment.course.provider.code,
                subject="black",
                body={"course": enrolment.course.code, "subject": uscc["black"]},
            )
        ],
        "training_complete": [
            Target({"enrolment_id": enrolment.pk}, owner=enrolment.course.provider.code, subject="repair")
        ],
        "tipoffs_detail": [Target(**tip), Target(**office_tip)],
        "tipoffs_evidence": [
            Target(**{**tip, "params": {**tip["params"], "file_id": tipoff.evidence_ids[0]}})
        ],
        "tipoffs_accept": [Target(**tip), Target(**office_tip)],
        "tipoffs_refuse": [Target(**tip, body={"reason": "矩阵"})],
        "tipoffs_route": [Target(**tip, body={"unit": SFDA, "reason": "矩阵"})],
        "tipoffs_investigate": [Target(**tip)],
        "tipoffs_conclude": [Target(**tip, body={"substantiated": False, "findings": "矩阵"})],
        "tipoffs_reward": [Target(**tip, body={"grant": False, "text": "矩阵"})],
        "tipoffs_close": [Target(**tip, body={"reason": "矩阵"})],
        "submissions_get": [
            Target({"submission_id": extra["submission"]}, owner=GSJ, secret="矩阵退回行标记")
        ],
        "submissions_rejected": [
            Target({"submission_id": extra["submission"]}, owner=GSJ, secret="矩阵退回行标记")
        ],
        "records_withdraw": [
            Target({"record_id": black_record.pk}, owner=GSJ, subject="black", body={"reason": "矩阵"}),
            Target({"record_id": sfda_licence.pk}, owner=SFDA, subject="repair", body={"reason": "矩阵"}),
        ],
        **plan_report_targets(GSJ),
    }


def list_targets(story: dict, extra: dict) -> dict[str, list[Target]]:
    """Lists scoped to a unit or a subject: the object is in its readers' list and in no one else's."""
    from xinyong.remedies.models import Objection, RepairApplication

    objection, repair = Objection.objects.get(), RepairApplication.objects.get()
    push, tipoff = extra["push"], extra["tipoff"]
    return {
        "objections_list": [Target({}, owner=GSJ, secret=objection.subject.name, listing=True)],
        "repairs_list": [Target({}, owner=GSJ, secret=repair.subject.name, listing=True)],
        "tipoffs_inbox": [Target({}, owner=GSJ, secret=tipoff.subject_text, listing=True)],
        "pushes_inbox": [
            Target({}, owner=push.unit.code, secret=f'{{"id": {push.pk}, "event"', listing=True)
        ],
        "lists_notice_list": [Target({}, subject="black", secret="scjg-yzsx-2026-", listing=True)],
        "me_consents_list": [Target({}, subject="repair", secret="矩阵授权标记", listing=True)],
    }
