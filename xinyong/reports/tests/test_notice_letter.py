"""The 告知书 as a PDF letter: GET /api/v1/reports/notices/{id}.pdf for the subject and the officers, its
stored SHA-256 and audit event, and the 404 for anyone else."""

import hashlib

import pytest
from django.test import Client

from tests.support.lists import (  # noqa: F401 - fixtures
    APPROVED_AT,
    PROPOSED_AT,
    REVIEWER,
    company,
    lists_reference,
    penalty,
    propose,
    walk,
)
from tests.support.records import reference  # noqa: F401 - the fixture the lists tests use
from tests.support.reports import pdf_text
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import api_token_create, user_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.lists.models import Notice
from xinyong.reports.letters import notice_letter_issue

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/notices"


@pytest.fixture
def notice(company, penalty) -> Notice:  # noqa: F811
    """The 告知书 of an entry proposed by 市工商局 and approved by a reviewer (a different actor)."""
    walk(propose(company, [penalty]), "notice_sent")
    return Notice.objects.get()


def _unit_client(unit_code: str, role: str) -> Client:
    unit = Unit.objects.get(code=unit_code)
    issued = api_token_create(actor=Actor.system(), unit=unit, role=role, now=timeutil.now())
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _subject_client(subject) -> Client:
    user = User.objects.create_user(username="huaxin", password="x-strong-password-1")
    subject_account_link(actor=REVIEWER, user=user, subject_id=subject.pk, now=PROPOSED_AT)
    issued = user_token_create(actor=REVIEWER, user=user, now=timeutil.now())
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _flat(data: bytes) -> str:
    return "".join(pdf_text(data).split())


def test_the_subject_gets_its_letter_with_the_stored_hash(notice):
    response = _subject_client(notice.subject).get(f"{URL}/{notice.pk}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="notice-{notice.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = _flat(response.content)
    assert notice.entry.list_type.deciding_unit.code == "bj-gongshangju"
    for expected in (
        "列入市场监督管理严重违法失信名单告知书",
        "北京华信科技有限公司",
        "陈述、申辩截止时间：2025年10月13日23时59分59秒（北京时间）",
        "在商品包装上作虚假宣传",
        "《市场监督管理严重违法失信名单管理办法》第二条",
        "北京市市场监督管理局",  # the deciding unit 市工商局 by its name on the letter's date
        "2025年9月29日",
    ):
        assert expected in text, expected
    digest = hashlib.sha256(response.content).hexdigest()
    notice.refresh_from_db()
    assert notice.pdf_sha256 == digest == response["X-Notice-Sha256"]
    event = AuditEvent.objects.filter(action="notice.letter").get()
    assert (event.target_type, event.target_id) == ("subject", str(notice.subject_id))
    assert event.payload["level"] == "self" and event.payload["sha256"] == digest


def test_an_officer_of_the_deciding_unit_gets_the_same_letter(notice):
    mine = _subject_client(notice.subject).get(f"{URL}/{notice.pk}.pdf")
    theirs = _unit_client("bj-gongshangju", "case_officer").get(f"{URL}/{notice.pk}.pdf")
    reviewer = _unit_client("bj-jingxinwei", "reviewer").get(f"{URL}/{notice.pk}.pdf")

    assert (theirs.status_code, reviewer.status_code) == (200, 200)
    assert theirs.content == mine.content == reviewer.content  # deterministic: the letter as sent
    notice.refresh_from_db()
    assert notice.pdf_sha256 == hashlib.sha256(theirs.content).hexdigest()
    levels = list(AuditEvent.objects.filter(action="notice.letter").values_list("payload__level", flat=True))
    assert sorted(levels) == ["government", "government", "self"]


def test_another_unit_gets_404_as_for_a_missing_notice(notice):
    stranger = _unit_client("bj-caizhengju", "data_officer")

    refused = stranger.get(f"{URL}/{notice.pk}.pdf")
    missing = _unit_client("bj-gongshangju", "case_officer").get(f"{URL}/{notice.pk + 100}.pdf")

    assert refused.status_code == missing.status_code == 404
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == missing.json()["code"] == "notice.not_found"
    notice.refresh_from_db()
    assert notice.pdf_sha256 == ""
    assert not AuditEvent.objects.filter(action="notice.letter").exists()


def test_a_stored_hash_is_kept_when_a_rendering_differs(notice):
    Notice.objects.filter(pk=notice.pk).update(pdf_sha256="0" * 64)

    kept, data = notice_letter_issue(actor=REVIEWER, notice_id=notice.pk, now=APPROVED_AT)

    assert data.startswith(b"%PDF-")
    assert kept.pdf_sha256 == "0" * 64
    assert Notice.objects.get(pk=notice.pk).pdf_sha256 == "0" * 64
    assert AuditEvent.objects.filter(action="notice.letter").get().payload["sha256"] == (
        hashlib.sha256(data).hexdigest()
    )
