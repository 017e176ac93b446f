"""The oversight tests' clock and actor."""

import datetime as dt

from xinyong.core.actor import Actor

T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
ACTOR = Actor(label="system:test", roles=frozenset({"admin"}))

# Progress reports (ADR 0038): the first reporting period is 2026Q3 (Jul–Sep), due 10 working days after
# Wed 2026-09-30 — after the National Day holidays, Tue 2026-10-20 23:59:59 Beijing.
Q3_DUE = dt.datetime(2026, 10, 20, 15, 59, 59, tzinfo=dt.UTC)
FINANCE = "bj-caizhengju"  # 市财政局: leads task 3 (市财政局，各区政府)
DONGCHENG = "bj-dongcheng"  # 东城区政府: a member of 各区政府
CREDIT_OFFICE_UNIT = "bj-jingxinwei"  # 市经济信息化委 hosts 市信用办 (the reviewer)
PDF = b"%PDF-1.4\n% plan progress evidence\n"


def unit_actor(code: str, user_id: int = 11) -> Actor:
    return Actor(label=f"user:{user_id}", unit_code=code, roles=frozenset({"data_officer"}), user_id=user_id)


def reviewer_actor(user_id: int = 21) -> Actor:
    return Actor(
        label=f"user:{user_id}", unit_code=CREDIT_OFFICE_UNIT, roles=frozenset({"reviewer"}), user_id=user_id
    )


def plan_report_targets(unit_code: str) -> dict:
    """The object-level authorisation matrix's plan report (tests/test_authz_objects.py): one submitted
    report of `unit_code` on task 2 for the latest period begun, read and reviewed by every caller."""
    from tests.support.authz import Target
    from xinyong.core import timeutil
    from xinyong.oversight.periods import periods_started
    from xinyong.oversight.services import plan_report_save

    now = timeutil.now()
    report = plan_report_save(
        actor=unit_actor(unit_code, 901), task_number=2, period=periods_started(on=now.date())[0].code,
        progress="on_track", narrative="矩阵进度报告标记", evidence=[], now=now, submit=True,
    )  # fmt: skip
    target = {"params": {"report_id": report.pk}, "owner": unit_code, "secret": "矩阵进度报告标记"}
    return {
        "plan_report_get": [Target(**target)],
        "plan_report_review": [Target(**target, body={"decision": "return", "reason": "矩阵"})],
    }
