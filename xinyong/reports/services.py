"""Issuing credit reports (信用报告): who may, the number and verification code, the PDF, the stored proof.

Who may issue: the subject itself (a verified subject account), and officers of the government roles
(data officer, case officer, reviewer, admin); a natural person's report by anyone but the person needs a case
number (legal basis, docs/domain.md principle 6). Anonymous callers, institutions and auditors may not. Every
report appends an audit event `report.issue` on the subject (it shows in the subject's query log, with the
purpose).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.roles import OFFICIALS
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.core.timeutil import business_date
from xinyong.reports.content import KINDS, ReportContent, report_content
from xinyong.reports.models import Report
from xinyong.reports.pdf import Letterhead, render_report
from xinyong.reports.selectors import code_digest
from xinyong.subjects.models import Subject

LAYOUT_VERSION = "2026.1"
NUMBER_PREFIX = "XYBG"
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
NUMBER_RANDOM = 8
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read off paper without doubt
CODE_LENGTH = 10  # 31^10 ≈ 2^49.5
MAX_PURPOSE = 200
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
DEFAULT_PLATFORM = "北京市公共信用信息服务平台"


class IssuedReport(NamedTuple):
    report: Report
    pdf: bytes
    code: str  # the verification code, printed on the report and never stored in clear
    entry_ids: tuple[int, ...] = ()  # the list entries the report shows


def report_issue(
    *,
    actor: Actor,
    subject: Subject,
    kind: str,
    purpose: str,
    now: dt.datetime,
    case_number: str = "",
) -> IssuedReport:
    """Gather, render and record one report; the row and its audit event commit together."""
    if kind not in KINDS:
        raise DomainError("report.kind_invalid", f"报告类型无效：{kind}（可选：full 全量、compliance 专项）")
    purpose, case_number = purpose.strip(), case_number.strip()
    if not purpose:
        raise DomainError("report.purpose_required", "请说明报告用途（purpose）")
    if len(purpose) > MAX_PURPOSE:
        raise DomainError("report.purpose_too_long", f"报告用途不能超过 {MAX_PURPOSE} 个字符")
    own = _require_issuer(actor, subject, case_number)
    content = report_content(subject=subject, kind=kind, now=now)
    for _ in range(3):
        number, code = new_number(now), new_code()
        head = Letterhead(
            number=number,
            code=code,
            verify_url=verify_url(number, code),
            platform=platform_name(),
            purpose=purpose,
            issued_at=now,
        )
        rendered = render_report(content, head)
        try:
            with transaction.atomic():
                report = _record(actor, content, head, rendered, case_number, own)
            return IssuedReport(report, rendered.data, code, tuple(content.entry_ids))
        except IntegrityError:
            if not Report.objects.filter(number=number).exists():
                raise
    raise DomainError("report.number_exhausted", "报告编号生成冲突，请重试", status=503)


def _require_issuer(actor: Actor, subject: Subject, case_number: str) -> bool:
    """True when the actor is the subject itself; refuse anyone who may not issue this report."""
    if not actor.is_authenticated:
        raise PermissionDenied("report.not_allowed", "申请信用报告须登录")
    if subject_id_of(actor=actor) == subject.pk:
        return True
    if not actor.has_role(*OFFICIALS):
        raise PermissionDenied("report.not_allowed", "只有信用主体本人或政务部门工作人员可以申请信用报告")
    if subject.is_person and not case_number:
        raise PermissionDenied(
            "report.legal_basis_required", "为自然人出具信用报告须由本人申请，或提供案件编号（case_number）"
        )
    return False


def _record(actor: Actor, content: ReportContent, head: Letterhead, rendered, case_number: str, own: bool):
    digest = hashlib.sha256(rendered.data).hexdigest()
    report = Report.objects.create(
        number=head.number,
        code_hash=code_digest(head.number, head.code),
        subject_id=content.subject_id,
        subject_name=content.base.name,
        subject_code=content.base.code,
        kind=content.kind,
        purpose=head.purpose,
        case_number=case_number,
        requested_by=actor.label,
        unit_code=actor.unit_code,
        created_at=head.issued_at,
        sha256=digest,
        size=len(rendered.data),
        pages=rendered.pages,
        record_ids=content.record_ids,
        counts=content.counts(),
        layout_version=LAYOUT_VERSION,
    )
    audit_append(
        actor=actor,
        action="report.issue",
        target_type="subject",
        target_id=content.subject_id,
        reason=head.purpose,
        now=head.issued_at,
        payload={
            "report": report.number,
            "kind": report.kind,
            "level": "self" if own else "government",
            "tiers": ["public"],
            "case_number": case_number,
            "records": len(report.record_ids),
            "list_entries": content.entry_ids,
            "sha256": digest,
            "extra_face": rendered.extra_face,
        },
    )
    return report


def new_number(now: dt.datetime) -> str:
    """XYBG-<Beijing date>-<8 random base32 characters>: readable, dated, not guessable, not a counter."""
    tail = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_RANDOM))
    return f"{NUMBER_PREFIX}-{business_date(now):%Y%m%d}-{tail}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verify_url(number: str, code: str) -> str:
    base = str(getattr(settings, "XINYONG_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip("/")
    return f"{base}/reports/verify?{urlencode({'number': number, 'code': code})}"


def platform_name() -> str:
    return str(getattr(settings, "XINYONG_PLATFORM_NAME", DEFAULT_PLATFORM))
