"""The back office: subjects are read-only and searchable by any code; corrections decided by actions."""

import pytest
from django.test import Client

from tests.support.factories import (
    T0,
    PersonFactory,
    SubjectFactory,
    make_regno,
    make_ric,
    make_uscc,
)
from tests.support.otp import verified_login
from xinyong.accounts.models import User
from xinyong.subjects.models import CodeCorrection
from xinyong.subjects.services import code_correction_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    user = User.objects.create_superuser(username="boss", password="x-very-long-pass", email="")
    client = Client()
    verified_login(client, user)
    return client


def test_search_by_any_code_and_persons_only_masked(admin_client):
    SubjectFactory(uscc=make_uscc(1), regno=make_regno(1), name="北京甲科技有限公司")
    SubjectFactory(uscc=make_uscc(2), name="北京乙科技有限公司")
    person = PersonFactory(resident_id=make_ric(1))
    page = admin_client.get("/admin/subjects/subject/", {"q": make_regno(1)}).content.decode()
    assert "北京甲科技有限公司" in page and "北京乙科技有限公司" not in page
    detail = admin_client.get(f"/admin/subjects/subject/{person.pk}/change/").content.decode()
    assert person.person_masked in detail
    for secret in (make_ric(1), make_ric(1)[:14], person.person_hash, person.person_cipher):
        assert secret not in detail


def test_approve_action_calls_the_service(registrar, admin_client):
    right = SubjectFactory(uscc=make_uscc(1))
    SubjectFactory(uscc=make_uscc(2))
    c = code_correction_request(
        actor=registrar, now=T0, wrong_value=make_uscc(2), to_subject=right, reason="重复"
    )
    response = admin_client.post(
        "/admin/subjects/codecorrection/", {"action": "approve", "_selected_action": [c.pk]}, follow=True
    )
    assert response.status_code == 200
    c.refresh_from_db()
    assert (c.status, c.decided_by) == ("applied", f"user:{User.objects.get().pk}")
    assert CodeCorrection.objects.filter(status="submitted").count() == 0
