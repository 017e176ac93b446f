"""The demo's part for the officers' console (issue 16): two officers as people — a reviewer of the credit
office and a data officer of 市工商局 — with their one-time set-password links (the officer enrols an
authenticator at the first sign-in, as any officer does: accounts/mfa.py); a district government body with a
政务失信 record (ZFCG, 市财政局's finding on a purchaser) received through the normal intake; the unit's plan
progress report on task 28 submitted for the credit office to review; then the month's metrics refreshed
and the month's unit, district and government-integrity evaluations computed, so every console page shows
numbers. Everything through the services, audited; called inside the story's transaction
(`demo_story_load`), the computations after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.subjects.identifiers import uscc_make

REVIEWER_USERNAME = "demo-xxw-reviewer"
OFFICER_USERNAME = "demo-gsj-officer"
PEOPLE = {  # username → (unit, role, full name, what the demo prints)
    REVIEWER_USERNAME: ("bj-jingxinwei", Role.REVIEWER, "刘洋", "信用办审核员"),
    OFFICER_USERNAME: ("bj-gongshangju", Role.DATA_OFFICER, "王芳", "市工商局数据报送员"),
}
GOV_BODY = ("北京市朝阳区园林绿化局", uscc_make("1111010500000531"))  # 11 = 机关, 110105 = 朝阳区
GOV_DOC_NO = "京财采处〔演示〕1号"
FINANCE = uscc_make("1111000000000102")  # 北京市财政局 as the deciding organ
PLAN_TASK = 28  # 市工商局, 各区政府: enterprise credit information used by district governments
PLAN_NARRATIVE = "已向16个区政府开放企业信用信息查询接口，完成朝阳、海淀两区协同监管嵌入试点。"


@dataclass(frozen=True)
class Person:
    label: str
    username: str
    link: str


def console_people(*, actor: Actor, now: dt.datetime) -> list[Person]:
    """The two officers (accounts.people.officer_create), each with the link at which they set a password."""
    from xinyong.accounts.people import officer_create
    from xinyong.accounts.selectors import unit_get

    people = []
    for username, (unit, role, full_name, label) in PEOPLE.items():
        _user, link = officer_create(
            actor=actor, unit=unit_get(name_or_code=unit), roles=[role], full_name=full_name, now=now,
            username=username,
        )  # fmt: skip
        people.append(Person(label=label, username=username, link=link))
    return people


def gov_body_record_row(decided: dt.date) -> dict:
    """市财政局's finding that a district bureau, as purchaser, delayed paying for goods accepted (ZFCG)."""
    name, code = GOV_BODY
    return {
        "ZFCG_ZTMC": name, "ZFCG_TYSHXYDM": code, "ZFCG_XMMC": "街道绿化养护服务采购项目",
        "ZFCG_SXXW": "拖延支付采购资金", "ZFCG_WFSS": "服务验收合格后逾期六十日未支付采购资金",
        "ZFCG_CLJD": "责令限期改正，给予警告", "ZFCG_CLWSH": GOV_DOC_NO, "ZFCG_CLRQ": decided.isoformat(),
        "ZFCG_CLJG": "北京市财政局", "ZFCG_CLJGDM": FINANCE,
    }  # fmt: skip


def plan_report_submit(*, now: dt.datetime) -> None:
    """The 市工商局 officer's report on task 28 for the latest reporting period begun, submitted."""
    from xinyong.accounts.actors import user_actor
    from xinyong.accounts.people import user_by_username
    from xinyong.core.timeutil import business_date
    from xinyong.oversight.services.reports import plan_report_save

    period = demo_plan_period(business_date(now))
    plan_report_save(
        actor=user_actor(user_by_username(OFFICER_USERNAME)), task_number=PLAN_TASK, period=period,
        progress="on_track", narrative=PLAN_NARRATIVE, evidence=[], now=now, submit=True,
    )  # fmt: skip


def demo_plan_period(today: dt.date) -> str:
    """The latest reporting period begun by `today` (the quarter the unit reports on now)."""
    from xinyong.oversight.periods import periods_started

    return periods_started(on=today)[0].code


def console_compute(*, actor: Actor, now: dt.datetime) -> str:
    """The month's figures refreshed, then its unit, district and government-integrity evaluations."""
    from xinyong.core.timeutil import business_date
    from xinyong.evaluation.services import evaluation_month_compute
    from xinyong.govintegrity.services import district_evaluation_compute
    from xinyong.metrics.services import month_refresh

    month = business_date(now).replace(day=1)
    month_refresh(month=month, now=now, actor=actor)
    for kind in ("unit", "district"):
        evaluation_month_compute(month=month, kind=kind, now=now, actor=actor)
    district_evaluation_compute(actor=actor, now=now, month=month)
    return f"{month:%Y-%m}"
