"""Issue 12's reproducer for checks: a unit's `public` or `institution` token read that unit's checks — whose
answer names the persons checked — by id. Now only the unit's case and data officers and the credit office
(accounts/policy.py; measures/selectors.py `check_get`)."""

import json

import pytest
from django.test import Client

from tests.support.measures import NOW
from tests.support.records import COMPANY
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(clock):
    clock.set(NOW)


def _client(unit: str, role: str) -> Client:
    issued = api_token_create(actor=Actor.system(), unit=Unit.objects.get(code=unit), role=role, now=NOW)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.fixture
def check_id(listed_company) -> int:
    body = {"matter": "政府采购", "case_number": "京财采〔2026〕88号", "subjects": [COMPANY]}
    answer = _client("bj-caizhengju", "case_officer").post(
        "/api/v1/checks", json.dumps(body, ensure_ascii=False), content_type="application/json"
    )
    assert answer.status_code == 201
    return answer.json()["check_id"]


@pytest.mark.parametrize("role", ["public", "institution"])
def test_the_units_public_and_institution_tokens_cannot_read_its_check(check_id, role):
    answer = _client("bj-caizhengju", role).get(f"/api/v1/checks/{check_id}")
    assert (answer.status_code, answer.json()["code"]) == (403, "auth.operation_forbidden")


def test_another_units_officer_gets_404_and_the_credit_office_reads_it(check_id):
    other = _client("bj-shuiwuju", "case_officer").get(f"/api/v1/checks/{check_id}")
    assert (other.status_code, other.json()["code"]) == (404, "check.not_found")
    for role in ("data_officer", "case_officer"):
        assert _client("bj-caizhengju", role).get(f"/api/v1/checks/{check_id}").status_code == 200
    for role in ("reviewer", "auditor"):
        assert _client("bj-jingxinwei", role).get(f"/api/v1/checks/{check_id}").status_code == 200


def test_a_reviewer_token_of_another_unit_cannot_be_issued_nor_act(check_id):
    """Issue 12: reviewer tokens of any unit once read every unit's checks."""
    from xinyong.accounts.models import ApiToken
    from xinyong.accounts.services import token_secret_hash
    from xinyong.core.errors import DomainError

    with pytest.raises(DomainError):
        _client("bj-shuiwuju", "reviewer")
    ApiToken.objects.create(unit=Unit.objects.get(code="bj-shuiwuju"), role="reviewer", prefix="legacy01",
                            secret_hash=token_secret_hash("xy_legacy"), created_at=NOW, created_by="test",
                            expires_at=NOW.replace(year=2030))  # fmt: skip
    answer = Client(HTTP_AUTHORIZATION="Bearer xy_legacy").get(f"/api/v1/checks/{check_id}")
    assert (answer.status_code, answer.json()["code"]) == (403, "auth.operation_forbidden")
