"""`xinyong up --demo` tells a story (issue 13): beside the generated subjects, a few firms with a history a
newcomer can look at — licences and penalties from several units published for 双公示, a black-list entry
walked through due process and published, a red-list entry, an objection in progress, a repair decided, a
tip-off, checks whose feedback is due — and a token per role to try the API with; for the officers' console
(issue 16, ops/demo_console.py) two officers as people, a government body's 政务失信 record, a plan progress
report to review and the month's figures and evaluations.

Everything goes through the platform's own services (validated, audited, the same rules as production);
steps are dated in the past relative to `now` so that every period (statement, publication) has run.
Loaded once: the first story record marks the set as loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.evidence import Upload
from xinyong.ops.demo_console import (
    Person,
    console_compute,
    console_people,
    gov_body_record_row,
    plan_report_submit,
)
from xinyong.subjects.identifiers import uscc_make

AGENCY = uscc_make("1111000000001234")
FIRMS = {  # story role → (name, USCC)
    "black": ("北京华信科技有限公司", uscc_make("9111010800012345")),
    "red": ("北京立信商贸有限公司", uscc_make("9111010500067891")),
    "objection": ("北京恒达建设工程有限公司", uscc_make("9111010600024680")),
    "repair": ("北京丰泽餐饮管理有限公司", uscc_make("9111010200013579")),
}
MARK_DOC = "京工商罚字〔演示〕第1号"
PDF = Upload("证明材料.pdf", b"%PDF-1.4\n% demo evidence\n")
SYSTEM = Actor(label="system:demo", roles=frozenset({Role.ADMIN}))
XXW = "bj-jingxinwei"  # the credit office (市信用办)
REVIEWER = Actor(label="token:demo-xxw-reviewer-1", unit_code=XXW, roles=frozenset({Role.REVIEWER}))
REVIEWER_2 = Actor(label="token:demo-xxw-reviewer-2", unit_code=XXW, roles=frozenset({Role.REVIEWER}))
GSJ_DATA = Actor(
    label="token:demo-gsj-data", unit_code="bj-gongshangju", roles=frozenset({Role.DATA_OFFICER})
)
GSJ_CASE = Actor(
    label="token:demo-gsj-case", unit_code="bj-gongshangju", roles=frozenset({Role.CASE_OFFICER})
)
CZJ_CASE = Actor(label="token:demo-czj-case", unit_code="bj-caizhengju", roles=frozenset({Role.CASE_OFFICER}))
ZJW_CASE = Actor(label="token:demo-zjw-case", unit_code="bj-zhujianwei", roles=frozenset({Role.CASE_OFFICER}))
REMEDY = "对列入决定不服的，可以自知道该决定之日起六十日内申请行政复议，或者六个月内提起行政诉讼。"
# A token per role the platform defines (accounts.models.ROLE_CHOICES), with the unit that may hold it.
TOKEN_UNITS = {
    Role.PUBLIC: "bj-jingxinwei",
    Role.DATA_OFFICER: "bj-gongshangju",
    Role.CASE_OFFICER: "bj-gongshangju",
    Role.REVIEWER: "bj-jingxinwei",
    Role.INSTITUTION: "bj-renhang",
    Role.AUDITOR: "bj-jingxinwei",
    Role.ADMIN: "bj-jingxinwei",
}


@dataclass
class Story:
    codes: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    query_code: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)  # the console's officers (ops/demo_console.py)
    month: str = ""  # the month the console's evaluations were computed for
    loaded: bool = True

    def lines(self) -> list[str]:
        if not self.loaded:
            skipped = "演示情节已载入（跳过）；令牌和设置密码链接只在首次载入时显示"
            return [skipped + "，可用 xinyong token create 另发令牌"]
        out = ["演示情节：" + "，".join(f"{k} {v}" for k, v in self.counts.items())]
        out += [f"  可查询的主体：{name} {code}" for name, code in self.codes.items()]
        out += [f"  {role} 令牌：{secret}" for role, secret in self.tokens.items()]
        out.append(f"  举报查询码：{self.query_code}（GET /api/v1/tipoffs/progress?code=…）")
        out += [f"  {p.label}：用户名 {p.username}，设置密码 {p.link}" for p in self.people]
        out.append(f"  控制台：/console/（首次登录时绑定身份验证器；{self.month} 的统计与考核已计算）")
        return out


def demo_story_load(*, now: dt.datetime) -> Story:
    """Load the story once (one transaction); a second call says it is loaded and adds nothing."""
    from xinyong.records.selectors import record_doc_no_exists

    if record_doc_no_exists(doc_no=MARK_DOC):
        return Story(loaded=False)
    story = Story(codes={name: code for name, code in FIRMS.values()})
    with transaction.atomic():
        records = _records(now)
        _black_entry(records["black"], now)
        _red_entry(records["red_licence"], now)
        account = _objection(records["objection"], now)
        _repair(records["repair"], now)
        story.query_code = _tipoff(now)
        _checks(now)
        story.tokens = _tokens(now, account)
        story.people = _console(now)
    story.month = console_compute(actor=SYSTEM, now=now)
    story.counts = demo_story_counts()
    return story


def demo_story_counts() -> dict[str, int]:
    from xinyong.lists.selectors import list_entry_published_count
    from xinyong.measures.selectors import check_count
    from xinyong.records.selectors import record_current_count
    from xinyong.remedies.selectors import remedy_counts
    from xinyong.tipoffs.selectors import tipoff_count

    codes = [code for _, code in FIRMS.values()]
    objections, repairs = remedy_counts(usccs=codes)
    return {
        "记录": record_current_count(usccs=codes),
        "名单": list_entry_published_count(usccs=codes),
        "异议": objections,
        "修复": repairs,
        "举报": tipoff_count(),
        "核查": check_count(),
    }


def _day(now: dt.datetime, days_ago: int) -> dt.date:
    from xinyong.core.timeutil import business_date

    return business_date(now) - dt.timedelta(days=days_ago)


def _at(now: dt.datetime, days_ago: int) -> dt.datetime:
    return now - dt.timedelta(days=days_ago)


def _receive(rows: list[dict], *, category: str, unit: str, key: str, now: dt.datetime) -> None:
    from xinyong.accounts.selectors import unit_get
    from xinyong.intake.services import SubmissionSource, category_for_submission, submission_receive

    officer = Actor(label=f"token:demo-{unit}", unit_code=unit, roles=frozenset({Role.DATA_OFFICER}))
    submission_receive(
        actor=officer,
        unit=unit_get(name_or_code=unit),
        category=category_for_submission(code=category),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=now,
    )


def _licence(firm: str, doc_no: str, decided: dt.date, agency: str) -> dict:
    name, code = FIRMS[firm]
    return {
        "XK_XDR_MC": name, "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": code, "XK_FRDB": "张伟",
        "XK_XKWS": "准予行政许可决定书", "XK_WSH": doc_no, "XK_XKLB": "01", "XK_NR": "食品经营许可",
        "XK_JDRQ": decided.isoformat(), "XK_YXQZ": decided.isoformat(),
        "XK_YXQZI": (decided + dt.timedelta(days=5 * 365)).isoformat(), "XK_XKJG": agency,
        "XK_XKJGDM": AGENCY, "XK_ZT": "1", "XK_LYDW": agency, "XK_LYDWDM": AGENCY,
    }  # fmt: skip


def _penalty(firm: str, doc_no: str, decided: dt.date, agency: str, severity: str) -> dict:
    name, code = FIRMS[firm]
    return {
        "CF_XDR_MC": name, "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": code, "CF_FRDB": "张伟",
        "CF_WSH": doc_no, "CF_WFXW": "虚假宣传", "CF_SY": "在商品包装上作虚假宣传",
        "CF_YJ": "《反不正当竞争法》第二十条", "CF_CFLB": "罚款", "CF_NR": "罚款人民币二万元",
        "CF_NR_FK": "2",
        "CF_JDRQ": decided.isoformat(), "CF_YXQ": "2099-12-31", "CF_CFJG": agency, "CF_CFJGDM": AGENCY,
        "CF_SJLY": agency, "CF_SJLYDM": AGENCY, "XY_YZCD": severity,
    }  # fmt: skip


def _records(now: dt.datetime) -> dict:
    """Licences and penalties from 市工商局 and 市食品药品监管局, received 120 days ago (双公示)."""
    from xinyong.records.models import Record
    from xinyong.records.selectors import record_current_by_doc_no

    gsj, sfda = "北京市工商行政管理局", "北京市食品药品监督管理局"
    at = _at(now, 120)
    _receive(
        [
            _penalty("black", MARK_DOC, _day(now, 125), gsj, "严重"),
            _penalty("objection", "京工商罚字〔演示〕第2号", _day(now, 124), gsj, "一般"),
            _penalty("repair", "京工商罚字〔演示〕第3号", _day(now, 123), gsj, "一般"),
        ],
        category="CF", unit="bj-gongshangju", key="demo-cf-gsj", now=at,
    )  # fmt: skip
    _receive(
        [
            _licence("red", "京工商许字〔演示〕第1号", _day(now, 400), gsj),
            _licence("black", "京工商许字〔演示〕第2号", _day(now, 300), gsj),
        ],
        category="XK", unit="bj-gongshangju", key="demo-xk-gsj", now=at,
    )  # fmt: skip
    _receive(
        [_licence("repair", "京食药许字〔演示〕第1号", _day(now, 200), sfda)],
        category="XK", unit="bj-shiyaojianju", key="demo-xk-sfda", now=at,
    )  # fmt: skip
    _receive(
        [_penalty("repair", "京食药罚字〔演示〕第1号", _day(now, 122), sfda, "一般")],
        category="CF", unit="bj-shiyaojianju", key="demo-cf-sfda", now=at,
    )  # fmt: skip

    def one(doc_no: str) -> Record:
        return record_current_by_doc_no(doc_no=doc_no)

    return {
        "black": one(MARK_DOC),
        "red_licence": one("京工商许字〔演示〕第1号"),
        "objection": one("京工商罚字〔演示〕第2号"),
        "repair": one("京工商罚字〔演示〕第3号"),
    }


def _black_entry(record, now: dt.datetime) -> None:
    """市场监督管理严重违法失信名单: proposed, reviewed, decided after the statement period, published."""
    from xinyong.lists import services as lists

    entry = lists.list_entry_propose(
        actor=GSJ_DATA, list_type="scjg-yzsx", subject=record.subject, basis_record_ids=[record.pk],
        legal_basis="《市场监督管理严重违法失信名单管理办法》第二条",
        reasons="在商品包装上作虚假宣传，受到从重罚款的较重行政处罚", now=_at(now, 100),
    )  # fmt: skip
    lists.list_entry_review(actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=_at(now, 99))
    lists.list_entry_decide(actor=GSJ_CASE, entry_id=entry.pk, remedy=REMEDY, now=_at(now, 80))
    lists.list_entry_publish(actor=GSJ_CASE, entry_id=entry.pk, now=_at(now, 79))


def _red_entry(licence, now: dt.datetime) -> None:
    """诚信典型红名单 (decided by the credit office), on a licence-only firm."""
    from xinyong.lists import services as lists

    entry = lists.list_entry_propose(
        actor=GSJ_DATA, list_type="cxdx-hmd", subject=licence.subject, basis_record_ids=[licence.pk],
        legal_basis="《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》",
        reasons="连续三年无不良信用记录，经行业主管部门推荐", now=_at(now, 100),
    )  # fmt: skip
    lists.list_entry_review(actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=_at(now, 99))
    remedy = entry.list_type.remedy
    lists.list_entry_decide(actor=REVIEWER_2, entry_id=entry.pk, remedy=remedy, now=_at(now, 80))
    lists.list_entry_publish(actor=REVIEWER_2, entry_id=entry.pk, now=_at(now, 79))


def _subject_account(subject, username: str, now: dt.datetime) -> Actor:
    from xinyong.accounts.access import subject_user_create

    user = subject_user_create(actor=REVIEWER, username=username, subject_id=subject.pk, now=now)
    return Actor(label=f"user:{user.pk}", roles=frozenset({Role.SUBJECT}), user_id=user.pk)


def _objection(record, now: dt.datetime):
    """The firm objects to its penalty (filed by its own verified account, accepted: in progress)."""
    from xinyong.remedies import services as remedies

    account = _subject_account(record.subject, "demo-hengda", _at(now, 30))
    objection = remedies.objection_file(
        actor=account, target_kind="record", target_id=record.pk, grounds="error",
        description="处罚决定书文号与本企业不符，请核实", applicant_name="北京恒达建设工程有限公司",
        evidence=[PDF], now=_at(now, 3),
    )  # fmt: skip
    remedies.objection_accept(actor=REVIEWER, objection_id=objection.pk, now=_at(now, 2))
    return account


def _repair(record, now: dt.datetime) -> None:
    """A general penalty repaired: commitment signed, training completed, applied, checked and approved."""
    from xinyong.commitments import services as commitments
    from xinyong.remedies import services as remedies

    account = _subject_account(record.subject, "demo-fengze", _at(now, 40))
    commitments.commitment_sign(
        actor=account, template_code="repair-general", subject_id=record.subject_id, matter="信用修复",
        accepting_unit_code="bj-gongshangju", signer_name="张伟", now=_at(now, 20),
        target_kind="record", target_id=record.pk,
    )  # fmt: skip
    enrolment = commitments.course_enrol(
        actor=GSJ_DATA, course_code="scjg-xyxf-offline", subject_id=record.subject_id, now=_at(now, 19)
    )
    done = commitments.enrolment_complete(actor=GSJ_DATA, enrolment_id=enrolment.pk, now=_at(now, 18))
    repair = remedies.repair_apply(
        actor=account, target_kind="record", target_id=record.pk, statement="已缴纳罚款并完成整改",
        applicant_name="北京丰泽餐饮管理有限公司", certificate_no=done.certificate_no, evidence=[PDF],
        now=_at(now, 15),
    )  # fmt: skip
    remedies.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="", now=_at(now, 12))
    remedies.repair_decide(
        actor=GSJ_CASE, repair_id=repair.pk, approve=True, reason="已履行处罚并完成整改", now=_at(now, 10)
    )


def _tipoff(now: dt.datetime) -> str:
    from xinyong.tipoffs.services import tipoff_file

    tipoff = tipoff_file(
        actor=Actor.anonymous(), subject=FIRMS["black"][1], category="CF",
        description="该企业仍在销售包装上作虚假宣传的商品", reporter_name="李明",
        reporter_phone="13800138000", now=_at(now, 1),
    )  # fmt: skip
    return tipoff.query_code


def _checks(now: dt.datetime) -> None:
    """Joint-punishment checks before a tender (市住房城乡建设委) and a procurement (市财政局): the
    black-listed firm is hit by a measure each unit implements, so feedback on the measure taken is due."""
    from xinyong.measures.services import check_run

    checks = [
        (ZJW_CASE, "bidding", "京建招〔演示〕1号", [FIRMS["black"][1], FIRMS["red"][1]]),
        (CZJ_CASE, "government-procurement", "京财采〔演示〕1号", [FIRMS["black"][1], FIRMS["repair"][1]]),
    ]
    for actor, matter, case, codes in checks:
        check_run(actor=actor, matter_code=matter, case_number=case, identifiers=codes, now=_at(now, 2))


def _console(now: dt.datetime) -> list[Person]:
    """The console's officers, a government body's 政务失信 record (市财政局, this month) and a plan progress
    report submitted for the credit office to review (ops/demo_console.py)."""
    from xinyong.core.timeutil import business_date

    people = console_people(actor=SYSTEM, now=_at(now, 5))
    decided = business_date(now).replace(day=1)
    _receive([gov_body_record_row(decided)], category="ZFCG", unit="bj-caizhengju", key="demo-zfcg", now=now)
    plan_report_submit(now=now)
    return people


def _tokens(now: dt.datetime, subject_account: Actor) -> dict[str, str]:
    """A token per role through the token service (secrets are shown once, here)."""
    from xinyong.accounts.selectors import unit_get, user_get
    from xinyong.accounts.services import api_token_create, user_token_create

    tokens = {
        role: api_token_create(
            actor=SYSTEM, unit=unit_get(name_or_code=unit), role=role, now=now, days=30, name=f"演示 {role}"
        ).secret
        for role, unit in TOKEN_UNITS.items()
    }
    user = user_get(user_id=subject_account.user_id)
    tokens["subject"] = user_token_create(actor=SYSTEM, user=user, now=now, days=30).secret
    return tokens
