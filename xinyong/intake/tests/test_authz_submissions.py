"""Issue 12's reproducers for submissions: a subject's own token (no unit) once read any unit's submission and
rejected rows, because an empty unit meant "all units"; a unit's `public` or `institution` token read its
rejected rows with the resident ID numbers in clear. Now: only the unit's data officers (and the credit
office's admin and auditor, masked) — accounts/policy.py."""

import json

import pytest
from django.test import Client

from tests.support.records import NOW, PERSON, xk_row
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import api_token_create, user_token_create
from xinyong.core.actor import Actor
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()
PERSON_ROW = xk_row(XK_XDR_MC="王芳", XK_XDR_LB="自然人", XK_XDR_SHXYM=None, XK_FRDB=None, XK_XDR_ZJLX="身份证",
                    XK_XDR_ZJHM=PERSON, XK_WSH="京工商许字〔2026〕第010号", XK_XKLB="99")  # fmt: skip


def _client(unit_code: str, role: str) -> Client:
    issued = api_token_create(actor=SYSTEM, unit=Unit.objects.get(code=unit_code), role=role, now=NOW)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.fixture
def submission(reference) -> int:
    """市工商局's submission: one accepted company row, one rejected row about a person (王芳)."""
    answer = _client("bj-gongshangju", "data_officer").post(
        "/api/v1/submissions", json.dumps({"category": "XK", "rows": [xk_row(), PERSON_ROW]}),
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-authz",
    )  # fmt: skip
    assert (answer.status_code, answer.json()["rejected"]) == (201, 1)
    return answer.json()["submission_id"]


def _subject_client() -> Client:
    user = User.objects.create_user(username="own", password="x-strong-password-1")
    subject_account_link(actor=SYSTEM, user=user, subject_id=Subject.objects.get().pk, now=NOW)
    return Client(HTTP_AUTHORIZATION=f"Bearer {user_token_create(actor=SYSTEM, user=user, now=NOW).secret}")


@pytest.mark.parametrize("suffix", ["", "/rejected"])
def test_a_subject_token_reads_no_units_submission(submission, suffix):
    answer = _subject_client().get(f"/api/v1/submissions/{submission}{suffix}")
    assert (answer.status_code, answer.json()["code"]) == (403, "auth.operation_forbidden")


@pytest.mark.parametrize("role", ["public", "institution", "case_officer"])
def test_a_units_own_non_data_tokens_read_no_rejected_rows(submission, role):
    answer = _client("bj-gongshangju", role).get(f"/api/v1/submissions/{submission}/rejected")
    assert (answer.status_code, answer.json()["code"]) == (403, "auth.operation_forbidden")


def test_the_units_data_officer_reads_its_rows_in_clear_and_the_auditor_masked(submission):
    clear = _client("bj-gongshangju", "data_officer").get(f"/api/v1/submissions/{submission}/rejected")
    assert PERSON in b"".join(clear.streaming_content).decode("utf-8-sig")
    audited = _client("bj-jingxinwei", "auditor").get(f"/api/v1/submissions/{submission}/rejected")
    text = b"".join(audited.streaming_content).decode("utf-8-sig")
    assert audited.status_code == 200 and PERSON not in text and PERSON[:6] + "********" + PERSON[-4:] in text


def test_another_units_data_officer_gets_404(submission):
    answer = _client("bj-shuiwuju", "data_officer").get(f"/api/v1/submissions/{submission}/rejected")
    assert (answer.status_code, answer.json()["code"]) == (404, "submission.not_found")
