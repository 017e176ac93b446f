"""Set-up for the registration tests (issue 14, 实名注册与窗口核验): documents as the browser sends them, a
submission with sensible defaults, the credit office's reviewer and a unit's officer, registered subjects
(made by the subjects app's own factories), and a private upload directory per test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.factories import PersonFactory, SubjectFactory, make_ric, make_uscc
from xinyong.accounts.registration import application_submit
from xinyong.core.actor import Actor

NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 2026-11-02, 10:00 Beijing
TODAY = dt.date(2026, 11, 2)
OFFICE = Actor(label="user:office1", unit_code="xinyongban", roles=frozenset({"reviewer"}), user_id=None)
OFFICER = Actor(label="user:officer1", unit_code="scjgj", roles=frozenset({"case_officer"}))
AUDITOR = Actor(label="user:auditor1", unit_code="xinyongban", roles=frozenset({"auditor"}))
PDF_BYTES = b"%PDF-1.4\n% scanned licence\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
USCC = make_uscc(501)
RIC = make_ric(77)  # born 1980-03-19: an adult
PASSWORD = "Lanqiao-Gate-2026"


def pdf(name: str = "营业执照.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def png(name: str = "身份证.png", data: bytes = PNG_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def submit(kind: str = "enterprise", **over):
    """A valid application of `kind` (a field given in `over` replaces the default)."""
    fields: dict = {
        "kind": kind, "username": f"{kind}-applicant", "password": PASSWORD, "contact": "13800000000", "now": NOW,
        "name": {"enterprise": "北京蓝桥科技有限公司", "person": "李四", "agent": "王五"}[kind],
    }  # fmt: skip
    if kind == "enterprise":
        fields |= {"subject_code": USCC, "documents": [("licence", pdf())]}
    elif kind == "person":
        fields |= {"resident_id": RIC, "documents": [("id_card", png())]}
    else:
        fields |= {
            "subject_code": USCC, "scope": ["repair", "objection"], "agency_valid_to": dt.date(2027, 6, 30),
            "documents": [("id_card", png()), ("authorisation", pdf("授权委托书.pdf"))],
        }  # fmt: skip
    return application_submit(**(fields | over))


def enterprise_subject(uscc: str = USCC, name: str = "北京蓝桥科技有限公司"):
    return SubjectFactory(uscc=uscc, name=name)


def person_subject(resident_id: str = RIC, name: str = "李四"):
    return PersonFactory(resident_id=resident_id, name=name)


@pytest.fixture
def uploads(settings, tmp_path):
    """Registration documents go to this test's own directory."""
    settings.XINYONG_UPLOAD_DIR = tmp_path / "uploads"
    return tmp_path / "uploads" / "accounts"
