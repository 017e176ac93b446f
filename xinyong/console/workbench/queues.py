"""Each item kind's queue (issue 16, ADR 0039): the owning app's selector, scoped by the actor exactly as the
API scopes it (a unit's officers see their unit's, the credit office every unit's; the services' own tests of
who may act — four eyes included — are the selectors' filters), turned into items.

`workbench_items` gathers every queue the actor's roles have, most urgent first.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xinyong.accounts.roles import CASE_HANDLERS, CREDIT_OFFICE, Role
from xinyong.accounts.selectors import unit_by_code
from xinyong.console.workbench.items import Item, item
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date
from xinyong.intake.selectors import submissions_to_follow_up
from xinyong.lists.selectors import list_entries_awaiting
from xinyong.measures.selectors import checks_feedback_pending
from xinyong.pushes.selectors import push_failed_list, push_inbox
from xinyong.remedies.selectors import objections_awaiting, objections_escalated, repairs_awaiting
from xinyong.subjects.selectors import subject_primary_code
from xinyong.tipoffs.selectors import tipoff_inbox
from xinyong.workdays.selectors import calendar_warnings

QUEUE_CAP = 500  # rows read per queue; the page says when a queue holds more
SUBMISSIONS_SINCE = dt.timedelta(days=30)  # submissions to follow up: those of the last 30 days


def admin_url(model: str, pk: int) -> str:
    """The back office's change page of `app.model` #pk (its actions call the same services as the API)."""
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_change", args=[pk])


def subject_label(subject) -> str:
    """A legal entity by name and code; a person by code only (its code is masked), as the API shows it."""
    if subject is None:
        return ""
    code = subject_primary_code(subject)
    return code if subject.is_person else f"{subject.name}（{code}）"


def list_items(actor: Actor, now: dt.datetime) -> list[Item]:
    labels = {"review": ("list_review", "审核"), "decide": ("list_decide", "作出决定")}
    labels["publish"] = ("list_publish", "公布")
    found = []
    for entry, step in list_entries_awaiting(actor=actor, now=now)[:QUEUE_CAP]:
        kind, action = labels[step]
        own_form = step == "review"
        found.append(
            item(
                kind,
                ref=f"名单条目 {entry.pk}",
                what=f"{entry.list_type.name}（{entry.proposing_unit.name}提议）",
                subject=subject_label(entry.subject),
                unit=entry.list_type.deciding_unit,
                deadline=None,
                state=entry.get_state_display(),
                url=reverse("console:proposal_review", args=[entry.pk])
                if own_form
                else admin_url("lists.listentry", entry.pk),
                action=action,
                now=now,
            )
        )
    return found


def objection_items(actor: Actor, now: dt.datetime) -> list[Item]:
    labels = {"accept": "受理或不予受理", "verify": "登记核实结果", "reply": "书面答复"}
    found = []
    for o, step, deadline in objections_awaiting(actor=actor)[:QUEUE_CAP]:
        url = (
            reverse("console:objection_accept", args=[o.pk])
            if step == "accept"
            else admin_url("remedies.objection", o.pk)
        )
        found.append(_objection(o, f"objection_{step}", deadline, url, labels[step], now))
    for o in objections_escalated(actor=actor)[:QUEUE_CAP]:
        url = admin_url("remedies.objection", o.pk)
        found.append(_objection(o, "objection_escalated", o.verify_due, url, "督办", now))
    return found


def _objection(o, kind: str, deadline, url: str, action: str, now: dt.datetime) -> Item:
    return item(
        kind,
        ref=f"异议 {o.pk}",
        what=f"{o.get_target_kind_display()}：{o.get_grounds_display()}",
        subject=subject_label(o.subject),
        unit=o.provider_unit,
        deadline=deadline,
        state=o.get_state_display(),
        url=url,
        action=action,
        now=now,
    )


def repair_items(actor: Actor, now: dt.datetime) -> list[Item]:
    return [
        item(
            f"repair_{step}",
            ref=f"修复申请 {r.pk}",
            what=f"修复{r.get_target_kind_display()}",
            subject=subject_label(r.subject),
            unit=r.deciding_unit,
            deadline=deadline,
            state=r.get_state_display(),
            url=admin_url("remedies.repairapplication", r.pk),
            action="初审" if step == "check" else "作出修复决定",
            now=now,
        )
        for r, step, deadline in repairs_awaiting(actor=actor)[:QUEUE_CAP]
    ]


def tipoff_items(actor: Actor, now: dt.datetime) -> list[Item]:
    if not (actor.unit_code and actor.has_role(*CASE_HANDLERS)):
        return []
    return [
        item(
            f"tipoff_{late.kind}",
            ref=f"举报 {t.pk}",
            what=t.category.name,
            subject=subject_label(t.subject) if t.subject_id else t.subject_text,
            unit=t.handling_unit,
            deadline=late.deadline,
            state=t.get_state_display(),
            url=admin_url("tipoffs.tipoff", t.pk),
            action="受理" if late.kind == "accept" else "办结",
            now=now,
        )
        for t, late in tipoff_inbox(actor=actor, now=now)[:QUEUE_CAP]
    ]


def case_officer_items(actor: Actor, now: dt.datetime) -> list[Item]:
    """Checks with feedback due or overdue, and the unit's unread pushes (业务经办员)."""
    unit = unit_by_code(code=actor.unit_code) if actor.unit_code else None
    if unit is None or not actor.has_role(Role.CASE_OFFICER):
        return []
    found = [
        item(
            "check_feedback",
            ref=f"核查 {c['check_id']}",
            what=f"{c['matter_name']} {c['case_number']}：{c['pending']} 项措施待反馈",
            subject="",
            unit=unit,
            deadline=c["feedback_due"],
            state="待反馈",
            url="",
            action="",
            now=now,
        )
        for c in checks_feedback_pending(unit_code=unit.code)[:QUEUE_CAP]
    ]
    for push in push_inbox(unit=unit, unread_only=True).select_related("entry__subject")[:QUEUE_CAP]:
        found.append(_push(push, "push_unread", unit, "阅读", now))
    return found


def _push(push, kind: str, unit, action: str, now: dt.datetime) -> Item:
    return item(
        kind,
        ref=f"推送 {push.pk}",
        what=push.get_event_display() + (f"：{push.last_error}" if kind == "push_failed" else ""),
        subject=subject_label(push.entry.subject) if push.entry_id else "",
        unit=unit,
        deadline=None,
        state=push.get_webhook_status_display() or "未读",
        url=admin_url("pushes.push", push.pk),
        action=action,
        now=now,
    )


def data_officer_items(actor: Actor, now: dt.datetime) -> list[Item]:
    """The unit's recent submissions with rejected rows to fix, or with records past the deadline
    (数据报送员)."""
    if not (actor.unit_code and actor.has_role(Role.DATA_OFFICER)):
        return []
    found = []
    since = now - SUBMISSIONS_SINCE
    for s in submissions_to_follow_up(unit_code=actor.unit_code, since=since, limit=QUEUE_CAP):
        if s.rejected:
            what = f"{s.category.name}：{s.rejected} 行被拒收（共 {s.total} 行）"
            found.append(_submission(s, "submission_rejected", what, "待更正重报", "查看拒收行", now))
        if s.late:
            what = f"{s.category.name}：{s.late} 条超过双公示期限报送"
            found.append(_submission(s, "submission_late", what, "超期", "查看批次", now))
    return found


def _submission(s, kind: str, what: str, state: str, action: str, now: dt.datetime) -> Item:
    url = admin_url("intake.submission", s.pk)
    return item(kind, ref=f"批次 {s.pk}", what=what, subject="", unit=s.unit, deadline=None, state=state,
                url=url, action=action, now=now)  # fmt: skip


def credit_office_items(actor: Actor, now: dt.datetime) -> list[Item]:
    """Failed pushes and data-quality alerts for the credit office (escalations: `objection_items`)."""
    if not actor.has_role(*CREDIT_OFFICE):
        return []
    found = [_push(p, "push_failed", p.unit, "重新投递", now) for p in push_failed_list()[:QUEUE_CAP]]
    for n, line in enumerate(calendar_warnings(today=business_date(now)), start=1):
        url = reverse("admin:workdays_calendaryear_changelist")
        found.append(
            item("data_alert", ref=f"提醒 {n}", what=line, subject="", unit=None, deadline=None,
                 state="待处理", url=url, action="载入节假日安排", now=now)
        )  # fmt: skip
    return found


QUEUES = (
    data_officer_items,
    case_officer_items,
    list_items,
    objection_items,
    repair_items,
    tipoff_items,
    credit_office_items,
)


def workbench_items(*, actor: Actor, now: dt.datetime) -> list[Item]:
    """Everything due from `actor`, most urgent first (overdue, then by deadline; no deadline last)."""
    found = [one for queue in QUEUES for one in queue(actor, now)]
    return sorted(found, key=lambda one: one.sort_key)
