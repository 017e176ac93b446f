"""Reads of the reports app: verifying a report by its number and verification code, a file by its hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass

from xinyong.core.errors import DomainError, NotFound
from xinyong.core.timeutil import business_date
from xinyong.reports.content import KINDS
from xinyong.reports.models import Report
from xinyong.subjects.masking import person_name_mask

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SEPARATORS = re.compile(r"[\s\-_]")


@dataclass(frozen=True)
class VerifyResult:
    """A genuine report as the public may see it; `file_matches` is None when no file or hash was given."""

    valid: bool
    number: str
    kind: str
    kind_label: str
    subject_name: str
    subject_code: str
    issued_at: dt.datetime
    issued_date: dt.date
    pages: int
    size: int
    sha256: str
    file_matches: bool | None

    @property
    def message(self) -> str:
        if self.file_matches is None:
            return "报告真实有效：该报告由本平台出具。"
        if self.file_matches:
            return "报告真实有效，所核对的文件与平台留存的文件摘要一致，未被改动。"
        return "报告编号和验证码有效，但所核对的文件与平台留存的文件摘要不一致：文件可能已被改动。"


def code_digest(number: str, code: str) -> str:
    """What is stored of a verification code: SHA-256 of "<number>:<code>" (the code itself is never kept)."""
    return hashlib.sha256(f"{number}:{code}".encode()).hexdigest()


def normalize_code(raw: str) -> str:
    """Verification codes and numbers as typed from paper: case, spaces and dashes do not matter."""
    return _SEPARATORS.sub("", raw or "").upper()


def normalize_number(raw: str) -> str:
    return (raw or "").strip().upper()


def normalize_sha256(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip().lower()
    if not _SHA256.match(value):
        raise DomainError(
            "report.sha256_invalid",
            "文件摘要应为 64 位十六进制 SHA-256",
            errors=[{"field": "sha256", "code": "report.sha256_invalid", "message": "文件摘要格式不正确"}],
        )
    return value


def file_sha256(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def report_verify(*, number: str, code: str, sha256: str | None = None) -> VerifyResult:
    """Confirm a report; a wrong code and an unknown number are the same 404 (numbers are not revealed)."""
    number, code, wanted = normalize_number(number), normalize_code(code), normalize_sha256(sha256)
    report = Report.objects.select_related("subject").filter(number=number).first() if number else None
    expected = report.code_hash if report else code_digest("", "")
    if not (hmac.compare_digest(expected, code_digest(number, code)) and report and code):
        raise NotFound("report.not_found", "报告编号或验证码不正确，未找到对应的信用报告")
    return VerifyResult(
        valid=True,
        number=report.number,
        kind=report.kind,
        kind_label=KINDS[report.kind],
        subject_name=_public_name(report),
        subject_code=report.subject_code,
        issued_at=report.created_at,
        issued_date=business_date(report.created_at),
        pages=report.pages,
        size=report.size,
        sha256=report.sha256,
        file_matches=None if wanted is None else hmac.compare_digest(wanted, report.sha256),
    )


def _public_name(report: Report) -> str:
    """A person's name is shown masked (王*) to whoever holds the number and code; an entity's in full."""
    if report.subject.is_person:
        return person_name_mask(report.subject_name)  # the rule of every public answer (ADR 0040)
    return report.subject_name
