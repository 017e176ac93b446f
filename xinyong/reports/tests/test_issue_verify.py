"""Issuing (who may, what is stored, the audit event) and verifying (good, altered, wrong code) reports."""

import datetime as dt
import hashlib
import re

import pytest

from tests.support.reports import COMPANY, NOW, OFFICER, pdf_text
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import User
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, NotFound, PermissionDenied
from xinyong.reports.models import Report
from xinyong.reports.selectors import code_digest, report_verify
from xinyong.reports.services import report_issue

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^XYBG-20261102-[0-9A-HJKMNP-TV-Z]{8}$")
CODE = re.compile(r"^[2-9A-HJKMNP-Z]{10}$")


def _issue(subject, actor=OFFICER, kind="full", purpose="招投标", **kw):
    return report_issue(actor=actor, subject=subject, kind=kind, purpose=purpose, now=NOW, **kw)


def test_issue_stores_the_proof_not_the_file(known):
    issued = _issue(known.subject)
    report = Report.objects.get()
    assert report == issued.report
    assert NUMBER.match(report.number) and CODE.match(issued.code)
    assert report.code_hash == code_digest(report.number, issued.code) != issued.code
    assert (report.sha256, report.size) == (hashlib.sha256(issued.pdf).hexdigest(), len(issued.pdf))
    assert report.pages == pdf_text(issued.pdf).count("报告编号：") == 4
    assert (report.subject, report.subject_name, report.subject_code) == (
        known.subject,
        "北京华信科技有限公司",
        COMPANY,
    )
    assert (report.kind, report.purpose, report.case_number) == ("full", "招投标", "")
    assert (report.requested_by, report.unit_code, report.created_at) == (
        "token:case0001",
        "bj-gongshangju",
        NOW,
    )
    assert report.record_ids == sorted([known.licence.pk, known.penalty.pk, known.objected.pk])
    assert (report.counts["XK"], report.counts["CF"], report.counts["QZ"]) == (1, 2, 0)
    assert report.layout_version == "2026.1"
    assert f"验证码 {issued.code}" in pdf_text(issued.pdf)


def test_issue_appends_one_audit_event_on_the_subject(known):
    before = AuditEvent.objects.count()
    issued = _issue(known.subject, kind="compliance", purpose="政府采购")
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.target_type, event.target_id, event.actor, event.unit_code, event.reason) == (
        "report.issue", "subject", str(known.subject.pk), "token:case0001", "bj-gongshangju", "政府采购",
    )  # fmt: skip
    assert event.payload == {
        "report": issued.report.number,
        "kind": "compliance",
        "level": "government",
        "tiers": ["public"],
        "case_number": "",
        "records": 2,
        "list_entries": [],
        "sha256": issued.report.sha256,
        "extra_face": False,
    }


def test_numbers_and_codes_are_unique(known):
    first, second = _issue(known.subject), _issue(known.subject)
    assert first.report.number != second.report.number and first.code != second.code
    assert first.report.sha256 != second.report.sha256  # the number and code are printed in the file


@pytest.mark.parametrize(
    "actor,code",
    [
        (Actor.anonymous(), "report.not_allowed"),
        (
            Actor(label="token:inst0001", unit_code="bj-gongshangju", roles=frozenset({"institution"})),
            "report.not_allowed",
        ),
        (
            Actor(label="token:audi0001", unit_code="bj-gongshangju", roles=frozenset({"auditor"})),
            "report.not_allowed",
        ),
        (Actor(label="token:publ0001", roles=frozenset({"public"})), "report.not_allowed"),
        (Actor(label="token:subj0001", user_id=999, roles=frozenset({"subject"})), "report.not_allowed"),
    ],
)
def test_who_may_not_issue(known, actor, code):
    with pytest.raises(PermissionDenied) as refused:
        _issue(known.subject, actor=actor)
    assert (refused.value.code, refused.value.status) == (code, 403)
    assert Report.objects.count() == 0


@pytest.mark.parametrize("role", ["data_officer", "case_officer", "reviewer", "admin"])
def test_government_roles_may_issue(known, role):
    actor = Actor(label="token:gov00001", unit_code="bj-gongshangju", roles=frozenset({role}))
    assert _issue(known.subject, actor=actor).report.requested_by == "token:gov00001"


def test_the_subject_itself_may_issue(known):
    user = User.objects.create(username="huaxin", roles=[])
    subject_account_link(actor=Actor.system(), user=user, subject_id=known.subject.pk, now=NOW)
    own = Actor(label="token:self0001", user_id=user.pk, roles=frozenset({"subject"}))
    issued = _issue(known.subject, actor=own, purpose="银行贷款")
    assert (issued.report.requested_by, issued.report.unit_code) == ("token:self0001", "")
    assert AuditEvent.objects.order_by("-seq").first().payload["level"] == "self"


def test_a_persons_report_needs_the_person_or_a_case_number(person):
    with pytest.raises(PermissionDenied) as refused:
        _issue(person)
    assert refused.value.code == "report.legal_basis_required"
    issued = _issue(person, case_number="京公（经）立字〔2026〕88号")
    assert (issued.report.case_number, issued.report.subject_code) == (
        "京公（经）立字〔2026〕88号",
        "110105********0025",
    )
    assert "110105********0025" in pdf_text(issued.pdf)


@pytest.mark.parametrize(
    "kind,purpose,code",
    [
        ("full", "  ", "report.purpose_required"),
        ("full", "用" * 201, "report.purpose_too_long"),
        ("all", "招投标", "report.kind_invalid"),
    ],
)
def test_bad_requests(known, kind, purpose, code):
    with pytest.raises(DomainError) as refused:
        _issue(known.subject, kind=kind, purpose=purpose)
    assert (refused.value.code, refused.value.status) == (code, 400)


# ── verification ───────────────────────────────────────────────────────────────────────────────────────────


def test_verify_a_good_report(known):
    issued = _issue(known.subject)
    result = report_verify(number=issued.report.number, code=issued.code)
    assert (result.valid, result.number, result.kind, result.kind_label) == (
        True,
        issued.report.number,
        "full",
        "公共信用信息报告",
    )
    assert (result.subject_name, result.subject_code) == ("北京华信科技有限公司", COMPANY)
    assert (result.issued_at, result.issued_date, result.pages) == (
        NOW,
        dt.date(2026, 11, 2),
        issued.report.pages,
    )
    assert (result.sha256, result.file_matches) == (issued.report.sha256, None)
    assert result.message == "报告真实有效：该报告由本平台出具。"


def test_verify_detects_an_altered_file(known):
    issued = _issue(known.subject)
    good = hashlib.sha256(issued.pdf).hexdigest()
    altered = bytearray(issued.pdf)
    altered[len(altered) // 2] ^= 0x01
    bad = hashlib.sha256(bytes(altered)).hexdigest()
    assert report_verify(number=issued.report.number, code=issued.code, sha256=good).file_matches is True
    result = report_verify(number=issued.report.number, code=issued.code, sha256=bad.upper())
    assert (result.valid, result.file_matches) == (True, False)
    assert (
        result.message == "报告编号和验证码有效，但所核对的文件与平台留存的文件摘要不一致：文件可能已被改动。"
    )


def test_code_is_read_as_typed_from_paper(known):
    issued = _issue(known.subject)
    typed = " " + "-".join([issued.code[:5].lower(), issued.code[5:]]) + " "
    assert report_verify(number=issued.report.number.lower(), code=typed).valid is True


@pytest.mark.parametrize("which", ["code", "number", "both_empty"])
def test_wrong_code_or_number_is_the_same_404(known, which):
    issued = _issue(known.subject)
    number, code = issued.report.number, issued.code
    wrong = {
        "code": (number, "2222222222"),
        "number": ("XYBG-20261102-00000000", code),
        "both_empty": ("", ""),
    }
    with pytest.raises(NotFound) as missing:
        report_verify(number=wrong[which][0], code=wrong[which][1])
    assert (missing.value.code, missing.value.message) == (
        "report.not_found",
        "报告编号或验证码不正确，未找到对应的信用报告",
    )


def test_malformed_hash_is_refused(known):
    issued = _issue(known.subject)
    with pytest.raises(DomainError) as refused:
        report_verify(number=issued.report.number, code=issued.code, sha256="abc")
    assert refused.value.code == "report.sha256_invalid"


def test_a_persons_name_is_masked_on_verification(person):
    issued = _issue(person, case_number="京公立字〔2026〕1号")
    result = report_verify(number=issued.report.number, code=issued.code)
    assert (result.subject_name, result.subject_code) == ("王*", "110105********0025")
