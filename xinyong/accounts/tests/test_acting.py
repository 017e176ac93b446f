"""Agents acting for a subject (issue 14; accounts/acting.py, actors.py, policy.py `agency_actor`,
access.py `subject_id_of`, audit_append): the rule without the pages."""

import datetime as dt

import pytest
from django.db import transaction

from tests.support.accounts import agency_make, agent_make
from tests.support.factories import make_uscc
from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import user_actor
from xinyong.accounts.models import AgencyScope
from xinyong.accounts.policy import AGENCY_SCOPES, OPERATIONS, agency_actor, same_person
from xinyong.accounts.roles import Role
from xinyong.audit.services import audit_append
from xinyong.core.errors import PermissionDenied
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 Beijing


@pytest.fixture
def firm():
    return Subject.objects.create(
        kind="enterprise", uscc=make_uscc(7), name="北京某某有限公司", created_at=NOW
    )


def refusal(operation, actor) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as caught:
        agency_actor(operation, actor)
    return caught.value


def test_a_live_agency_makes_an_agent_that_is_the_subject_only_within_scope(firm, clock):
    clock.set(NOW)
    agent = agent_make()
    agent.roles = [Role.SUBJECT]  # a subject account of its own does not leak into its agency
    agency = agency_make(agent, firm, scope=(AgencyScope.OBJECTION, AgencyScope.REPORT))
    actor = user_actor(agent, "r-1", agency.pk)
    assert (actor.label, actor.acting_for, actor.agency_id, actor.roles, actor.unit_code) == (
        f"user:{agent.pk}", firm.pk, agency.pk, frozenset(), ""
    )  # fmt: skip
    assert actor.agency_scope == {"objection", "report"}
    assert subject_id_of(actor=actor) is None  # not bound to an operation: nobody's subject
    bound = agency_actor("objections_file", actor)
    assert bound.roles == {Role.SUBJECT} and subject_id_of(actor=bound) == firm.pk
    assert subject_id_of(actor=agency_actor("reports_issue", actor)) == firm.pk
    for operation in ("me_query_log", "repairs_apply", "commitments_withdraw", "lists_notice_read"):
        assert refusal(operation, actor).code == "agency.out_of_scope"
    assert (
        refusal("me_consents_grant", actor).message
        == "授权委托书的委托事项不包括“查询授权”，代理人不能代为办理"
    )


def test_the_agency_is_checked_on_every_request(firm, clock):
    clock.set(NOW)
    agent = agent_make()
    agency = agency_make(agent, firm, valid_to=dt.date(2026, 9, 30))
    assert user_actor(agent, "", agency.pk).acting_for == firm.pk  # its last day, in Beijing
    clock.set(dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC))  # 00:00 on 10-01 in Beijing
    expired = user_actor(agent, "", agency.pk)
    assert (expired.acting_for, expired.agency_id, expired.agency_scope) == (None, agency.pk, frozenset())
    assert subject_id_of(actor=expired) is None
    assert refusal("objections_file", expired).code == "agency.expired"
    clock.set(NOW)
    agency.revoked_at = NOW
    agency.save()
    assert refusal("objections_file", user_actor(agent, "", agency.pk)).code == "agency.revoked"
    stranger = agent_make("qita", "王其他")
    assert refusal("objections_file", user_actor(stranger, "", agency.pk)).code == "agency.revoked"


def test_audit_keeps_the_agents_label_and_records_the_agency(firm, clock):
    clock.set(NOW)
    agent = agent_make()
    agency = agency_make(agent, firm)
    actor = agency_actor("objections_file", user_actor(agent, "", agency.pk))
    with transaction.atomic():
        event = audit_append(actor=actor, action="x.test", target_type="subject", target_id=firm.pk, now=NOW)
    assert event.actor == f"user:{agent.pk}"
    assert event.payload == {"acting_for": {"agency": agency.pk, "subject": firm.pk}}
    assert same_person(actor, f"user:{agent.pk}")  # four eyes still compares the person


def test_every_operation_an_agency_covers_exists_or_is_a_page_of_its_own():
    pages = {op for op in AGENCY_SCOPES if op not in OPERATIONS}
    assert pages == {"me_standing", "me_objections", "me_repairs"}
    assert set(AGENCY_SCOPES.values()) == set(AgencyScope.values)
