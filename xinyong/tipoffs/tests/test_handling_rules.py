"""Handling a report, the refusals: who may act (403), what each state allows (409 naming the state), an
unknown report (404), and the inputs each step requires (400), the reward decided once."""

from decimal import Decimal

import pytest

from tests.support.tipoffs import (
    ACCEPTED_AT,
    CLOSED_AT,
    CONCLUDED_AT,
    CREDIT_OFFICE,
    FINDINGS,
    GSJ,
    GSJ_AUDITOR,
    OUTSIDER,
    PUBLIC,
    REWARDED_AT,
    file,
    tipoff_in,
    walk,
)
from xinyong.tipoffs import services
from xinyong.tipoffs.models import Tipoff
from xinyong.tipoffs.tests.handling_cases import (
    refused,
)

pytestmark = pytest.mark.django_db


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
