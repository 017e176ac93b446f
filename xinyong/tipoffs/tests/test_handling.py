"""Handling a report: every step with its history row and audit event, and routing by the credit office.
Who may act, what each state allows and the inputs each step requires: test_handling_rules.py."""

from decimal import Decimal

import pytest

from tests.support.tipoffs import (
    ACCEPTED_AT,
    CLOSED_AT,
    CONCLUDE_DEADLINE,
    CONCLUDED_AT,
    CREDIT_OFFICE,
    FINDINGS,
    GSJ,
    MZJ,
    REWARDED_AT,
    file,
    tipoff_in,
    walk,
)
from xinyong.audit.models import AuditEvent
from xinyong.tipoffs import services
from xinyong.tipoffs.tests.handling_cases import (
    history,
    refused,
)

pytestmark = pytest.mark.django_db


# ── the steps ───────────────────────────────────────────────────────────────────────────────────────────


def test_substantiated_report_walks_to_closed_with_history_and_audit(company):
    tipoff = walk(file(), "closed")
    assert tipoff.state == "closed" and tipoff.version == 6
    assert (tipoff.accepted_at, tipoff.conclude_deadline, tipoff.conclude_deadline_provisional) == (
        ACCEPTED_AT,
        CONCLUDE_DEADLINE,
        False,
    )
    assert (tipoff.outcome, tipoff.findings, tipoff.concluded_at) == ("substantiated", FINDINGS, CONCLUDED_AT)
    assert (tipoff.reward_decision, tipoff.reward_amount, tipoff.reward_text, tipoff.reward_decided_at) == (
        "granted",
        Decimal("2000.00"),
        "给予举报奖励 2000 元",
        REWARDED_AT,
    )
    assert tipoff.closed_at == CLOSED_AT
    assert history(tipoff) == [
        ("file", "", "submitted", "anonymous", ""),
        ("accept", "submitted", "accepted", GSJ.label, ""),
        ("investigate", "accepted", "investigating", GSJ.label, ""),
        ("substantiate", "investigating", "substantiated", GSJ.label, ""),
        ("reward", "substantiated", "substantiated", GSJ.label, "给予举报奖励 2000 元"),
        ("close", "substantiated", "closed", GSJ.label, ""),
    ]
    actions = list(
        AuditEvent.objects.filter(target_type="tipoff").order_by("seq").values_list("action", flat=True)
    )
    assert actions == [
        f"tipoff.{a}" for a in ("file", "accept", "investigate", "substantiate", "reward", "close")
    ]
    accept = AuditEvent.objects.get(action="tipoff.accept").payload
    assert (accept["conclude_deadline"], accept["from"], accept["to"]) == (
        "2026-11-19T23:59:59+08:00",
        "submitted",
        "accepted",
    )
    assert AuditEvent.objects.get(action="tipoff.reward").payload["reward_amount"] == "2000.00"


def test_unsubstantiated_report_closes_without_a_reward_decision(company):
    tipoff = walk(file(), "closed", substantiated=False)
    assert (tipoff.state, tipoff.outcome, tipoff.reward_decision) == ("closed", "unsubstantiated", "none")
    assert [h[0] for h in history(tipoff)] == ["file", "accept", "investigate", "unsubstantiate", "close"]


def test_refusal_keeps_the_reason_for_the_reporter(company):
    tipoff = tipoff_in("refused")
    assert (tipoff.state, tipoff.refusal_reason) == ("refused", "不属于本单位职责")
    assert history(tipoff)[-1] == ("refuse", "submitted", "refused", GSJ.label, "不属于本单位职责")


def test_reward_refused_with_reason(company):
    tipoff = tipoff_in("substantiated")
    tipoff = services.tipoff_reward(
        actor=GSJ,
        tipoff_id=tipoff.pk,
        grant=False,
        text="举报人系单位内部工作人员，依规不予奖励",
        now=REWARDED_AT,
    )
    assert (tipoff.reward_decision, tipoff.reward_amount, tipoff.reward_text) == (
        "refused",
        None,
        "举报人系单位内部工作人员，依规不予奖励",
    )
    assert services.tipoff_close(actor=GSJ, tipoff_id=tipoff.pk, now=CLOSED_AT).state == "closed"


# ── routing by the credit office ────────────────────────────────────────────────────────────────────────


def test_credit_office_reroutes_to_a_provider_which_then_handles_it(company):
    tipoff = file(category="DJ")
    routed = services.tipoff_route(
        actor=CREDIT_OFFICE,
        tipoff_id=tipoff.pk,
        unit="市民政局",
        reason="被举报主体为社会组织",
        now=ACCEPTED_AT,
    )
    assert (routed.handling_unit.code, routed.state, routed.accept_deadline) == (
        "bj-minzhengju",
        "submitted",
        tipoff.accept_deadline,
    )
    assert history(routed)[-1] == (
        "route",
        "submitted",
        "submitted",
        CREDIT_OFFICE.label,
        "被举报主体为社会组织",
    )
    payload = AuditEvent.objects.get(action="tipoff.route").payload
    assert (payload["from_unit"], payload["to_unit"], payload["handling_unit"]) == (
        "bj-jingxinwei",
        "bj-minzhengju",
        "bj-minzhengju",
    )
    assert services.tipoff_accept(actor=MZJ, tipoff_id=tipoff.pk, now=ACCEPTED_AT).state == "accepted"
    error = refused(services.tipoff_accept, actor=CREDIT_OFFICE, tipoff_id=tipoff.pk, now=ACCEPTED_AT)
    assert error.code == "tipoff.wrong_unit"


def test_routing_refusals(company):
    tipoff = file(category="DJ")
    error = refused(services.tipoff_route, actor=GSJ, tipoff_id=tipoff.pk, unit="市民政局", now=ACCEPTED_AT)
    assert (error.code, error.message, error.status) == (
        "tipoff.reviewer_only",
        f"只有信用办审核员可以改派举报（举报 {tipoff.pk}）",
        403,
    )
    error = refused(
        services.tipoff_route, actor=CREDIT_OFFICE, tipoff_id=tipoff.pk, unit="市财政局", now=ACCEPTED_AT
    )
    assert (error.code, error.message, error.status) == (
        "tipoff.unit_not_competent",
        "市财政局不是“登记注册基本信息”（DJ）的信息提供单位，不能承办此类举报",
        400,
    )
    error = refused(
        services.tipoff_route,
        actor=CREDIT_OFFICE,
        tipoff_id=tipoff.pk,
        unit="市经济信息化委",
        now=ACCEPTED_AT,
    )
    assert (error.code, error.message) == (
        "tipoff.unit_not_competent",
        "市经济信息化委不是“登记注册基本信息”（DJ）的信息提供单位，不能承办此类举报",
    )
    error = refused(
        services.tipoff_route, actor=CREDIT_OFFICE, tipoff_id=tipoff.pk, unit=" ", now=ACCEPTED_AT
    )
    assert (error.code, error.message, error.status) == ("tipoff.unit_required", "须指定改派的承办单位", 400)
    services.tipoff_route(actor=CREDIT_OFFICE, tipoff_id=tipoff.pk, unit="市民政局", now=ACCEPTED_AT)
    error = refused(
        services.tipoff_route, actor=CREDIT_OFFICE, tipoff_id=tipoff.pk, unit="bj-minzhengju", now=ACCEPTED_AT
    )
    assert (error.code, error.message, error.status) == (
        "tipoff.route_same_unit",
        f"举报 {tipoff.pk} 已由市民政局承办，无需改派",
        409,
    )
    accepted = services.tipoff_accept(actor=MZJ, tipoff_id=tipoff.pk, now=ACCEPTED_AT)
    error = refused(
        services.tipoff_route, actor=CREDIT_OFFICE, tipoff_id=accepted.pk, unit="市工商局", now=ACCEPTED_AT
    )
    assert (error.code, error.message, error.status) == (
        "tipoff.invalid_transition",
        f"举报 {tipoff.pk} 当前状态为“已受理”，不能改派",
        409,
    )
