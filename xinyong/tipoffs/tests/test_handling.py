"""Handling a report: every step with its history row and audit event, who may act (403), what each state
allows (409 naming the state), the inputs each step requires (400), routing by the credit office, and the
reward decided once, only for a substantiated report, before closing."""

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
    GSJ_AUDITOR,
    MZJ,
    OUTSIDER,
    PUBLIC,
    REWARDED_AT,
    file,
    tipoff_in,
    walk,
)
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.tipoffs import services
from xinyong.tipoffs.models import Tipoff, TipoffTransition

pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


def history(tipoff) -> list[tuple]:
    rows = TipoffTransition.objects.filter(tipoff=tipoff).order_by("id")
    return [(r.action, r.from_state, r.to_state, r.actor, r.reason) for r in rows]


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


# ── who may act ─────────────────────────────────────────────────────────────────────────────────────────

STEPS = {
    "accept": (
        "submitted",
        lambda actor, pk: services.tipoff_accept(actor=actor, tipoff_id=pk, now=ACCEPTED_AT),
    ),
    "refuse": (
        "submitted",
        lambda actor, pk: services.tipoff_refuse(actor=actor, tipoff_id=pk, reason="理由", now=ACCEPTED_AT),
    ),
    "investigate": (
        "accepted",
        lambda actor, pk: services.tipoff_investigate(actor=actor, tipoff_id=pk, now=ACCEPTED_AT),
    ),
    "substantiate": (
        "investigating",
        lambda actor, pk: services.tipoff_conclude(
            actor=actor, tipoff_id=pk, substantiated=True, findings=FINDINGS, now=CONCLUDED_AT
        ),
    ),
    "unsubstantiate": (
        "investigating",
        lambda actor, pk: services.tipoff_conclude(
            actor=actor, tipoff_id=pk, substantiated=False, findings=FINDINGS, now=CONCLUDED_AT
        ),
    ),
    "reward": (
        "substantiated",
        lambda actor, pk: services.tipoff_reward(
            actor=actor, tipoff_id=pk, grant=True, amount=Decimal("500"), text="奖励", now=REWARDED_AT
        ),
    ),
    "close": (
        "unsubstantiated",
        lambda actor, pk: services.tipoff_close(actor=actor, tipoff_id=pk, now=CLOSED_AT),
    ),
}
LABELS = {
    "accept": "受理",
    "refuse": "不予受理",
    "investigate": "开始调查核实",
    "substantiate": "认定举报属实",
    "unsubstantiate": "认定举报不属实",
    "reward": "作出奖励决定",
    "close": "办结",
}


@pytest.mark.parametrize("action", list(STEPS))
@pytest.mark.parametrize(
    "actor",
    [OUTSIDER, CREDIT_OFFICE, GSJ_AUDITOR, PUBLIC],
    ids=["other_unit", "reviewer", "auditor", "public"],
)
def test_only_officers_of_the_handling_unit_act(company, action, actor):
    state, call = STEPS[action]
    tipoff = tipoff_in(state)
    error = refused(call, actor=actor, pk=tipoff.pk)
    assert (error.code, error.message, error.status) == (
        "tipoff.wrong_unit",
        f"只有承办单位（市工商局）的工作人员可以{LABELS[action]}（举报 {tipoff.pk}）",
        403,
    )
    assert Tipoff.objects.get(pk=tipoff.pk).state == state


STATE_LABELS = {
    "submitted": "已提交",
    "accepted": "已受理",
    "refused": "不予受理",
    "investigating": "调查核实中",
    "substantiated": "举报属实",
    "unsubstantiated": "举报不属实",
    "closed": "已办结",
}
ALLOWED = {
    "submitted": {"accept", "refuse"},
    "accepted": {"investigate"},
    "investigating": {"substantiate", "unsubstantiate"},
    "substantiated": {"reward", "close"},
    "unsubstantiated": {"close"},
    "refused": set(),
    "closed": set(),
}
INVALID = [(state, action) for state in ALLOWED for action in STEPS if action not in ALLOWED[state]]


@pytest.mark.parametrize(("state", "action"), INVALID)
def test_invalid_transitions_are_409_naming_the_state(company, state, action):
    tipoff = tipoff_in(state)
    error = refused(STEPS[action][1], actor=GSJ, pk=tipoff.pk)
    assert (error.code, error.message, error.status) == (
        "tipoff.invalid_transition",
        f"举报 {tipoff.pk} 当前状态为“{STATE_LABELS[state]}”，不能{LABELS[action]}",
        409,
    )
    assert error.extra == {"state": state, "action": action}


def test_unknown_report_is_404(company):
    error = refused(services.tipoff_accept, actor=GSJ, tipoff_id=999, now=ACCEPTED_AT)
    assert (error.code, error.message, error.status) == ("tipoff.not_found", "举报 999 不存在", 404)


# ── inputs each step requires ───────────────────────────────────────────────────────────────────────────


def test_refusal_needs_a_reason(company):
    tipoff = file()
    error = refused(services.tipoff_refuse, actor=GSJ, tipoff_id=tipoff.pk, reason="  ", now=ACCEPTED_AT)
    assert (error.code, error.message, error.status) == ("tipoff.reason_required", "不予受理须说明理由", 400)
    assert error.errors == [{"field": "reason", "code": "required", "message": "不予受理须说明理由"}]


@pytest.mark.parametrize("substantiated", [True, False])
def test_conclusion_needs_findings(company, substantiated):
    tipoff = tipoff_in("investigating")
    error = refused(
        services.tipoff_conclude,
        actor=GSJ,
        tipoff_id=tipoff.pk,
        substantiated=substantiated,
        findings="",
        now=CONCLUDED_AT,
    )
    assert (error.code, error.message, error.status) == (
        "tipoff.findings_required",
        "作出认定须写明调查结论",
        400,
    )


@pytest.mark.parametrize(
    ("grant", "amount", "text", "code", "message"),
    [
        (True, "2000", "", "tipoff.text_required", "给予奖励须写明奖励决定内容"),
        (False, None, " ", "tipoff.text_required", "不予奖励须说明理由"),
        (True, None, "奖励", "tipoff.reward_amount_invalid", "奖励金额须为大于 0 的金额（元，最多两位小数）"),
        (True, "0", "奖励", "tipoff.reward_amount_invalid", "奖励金额须为大于 0 的金额（元，最多两位小数）"),
        (True, "-5", "奖励", "tipoff.reward_amount_invalid", "奖励金额须为大于 0 的金额（元，最多两位小数）"),
        (
            True,
            "12.345",
            "奖励",
            "tipoff.reward_amount_invalid",
            "奖励金额须为大于 0 的金额（元，最多两位小数）",
        ),
        (
            True,
            "二千",
            "奖励",
            "tipoff.reward_amount_invalid",
            "奖励金额须为大于 0 的金额（元，最多两位小数）",
        ),
        (
            True,
            "NaN",
            "奖励",
            "tipoff.reward_amount_invalid",
            "奖励金额须为大于 0 的金额（元，最多两位小数）",
        ),
        (
            True,
            "10000000000",
            "奖励",
            "tipoff.reward_amount_invalid",
            "奖励金额须为大于 0 的金额（元，最多两位小数）",
        ),
        (False, "100", "理由", "tipoff.reward_amount_unexpected", "不予奖励时不填写奖励金额"),
    ],
)
def test_reward_inputs(company, grant, amount, text, code, message):
    tipoff = tipoff_in("substantiated")
    error = refused(
        services.tipoff_reward,
        actor=GSJ,
        tipoff_id=tipoff.pk,
        grant=grant,
        amount=amount,
        text=text,
        now=REWARDED_AT,
    )
    assert (error.code, error.message, error.status) == (code, message, 400)
    assert Tipoff.objects.get(pk=tipoff.pk).reward_decision == "none"


def test_reward_is_decided_once(company):
    tipoff = walk(file(), "rewarded")
    error = refused(
        services.tipoff_reward,
        actor=GSJ,
        tipoff_id=tipoff.pk,
        grant=False,
        text="改为不予奖励",
        now=CLOSED_AT,
    )
    assert (error.code, error.message, error.status) == (
        "tipoff.reward_decided",
        f"举报 {tipoff.pk} 已作出奖励决定（给予奖励），不能再次决定",
        409,
    )


def test_a_substantiated_report_closes_only_after_its_reward_decision(company):
    tipoff = tipoff_in("substantiated")
    error = refused(services.tipoff_close, actor=GSJ, tipoff_id=tipoff.pk, now=CLOSED_AT)
    assert (error.code, error.message, error.status) == (
        "tipoff.reward_pending",
        f"举报 {tipoff.pk} 经认定属实，须先作出奖励决定（给予或不予奖励）才能办结",
        409,
    )
