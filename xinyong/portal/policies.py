"""Public pages 政策法规 and 规划进度 (issue 15), read-only.

/policies/: the catalog in force (公共信用信息目录: version, effective date, each category with its fields and
disclosure tiers, as the public catalog API answers) and the rules in force today (规则表: each rule's
effective date, its values in words and its source), the same reads as `catalog_categories_list` and
`catalog_rules_in_force`.
/plan/: the city plan's tasks by section with their responsible units (oversight.selectors, as `plan_get`
and `plan_tasks_list`). The oversight app keeps no reported progress yet, so the page shows none.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinyong.catalog.selectors import category_list, rules_in_force
from xinyong.catalog.vocabulary import POLARITIES, PUBLICATION_RULES, SEVERITIES, TIERS
from xinyong.core.errors import NotFound
from xinyong.core.timeutil import business_date, now
from xinyong.oversight.selectors import plan_get, plan_reports_published, plan_task_list

RULE_TITLES = {
    "publication.penalty.minor": "轻微失信行为的行政处罚信息公示期限",
    "publication.penalty.general": "一般失信行为的行政处罚信息公示期限",
    "publication.penalty.serious": "严重失信行为的行政处罚信息公示期限",
    "severity.procedure": "按处罚程序认定失信程度",
    "severity.penalty_type": "按处罚类别认定失信程度",
    "deadline.shuanggongshi": "双公示报送时限",
    "objection.accept": "异议受理时限",
    "objection.provider_verify": "异议核实时限",
    "repair.overall": "信用修复答复时限",
    "repair.decide": "信用修复决定时限",
    "repair.repeat_serious": "再次严重失信不予修复的期间",
    "repair.share": "修复结果共享时限",
    "retention.negative_personal": "个人不良信息保存期限",
    "feedback.default": "联合奖惩执行反馈时限",
    "tipoff.accept": "举报受理时限",
    "tipoff.conclude": "举报办结时限",
}
WORDS = {
    "published": "是否公示",
    "min": "最短",
    "max": "最长",
    "choice_max": "部门决定公示时最长",
    "deadline": "期限",
    "overall": "全程",
    "window": "期间",
    "retention": "保存",
    **SEVERITIES,
}
UNITS = {"years": "年", "months": "个月", "days": "日", "calendar_days": "日", "working_days": "个工作日"}


def in_words(value: object) -> str:
    """A rule's values as a reader says them: {min: {amount: 3, unit: months}} → 最短：3 个月."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        if set(value) == {"amount", "unit"}:  # a quantity as loaded (catalog/periods.py)
            return f"{value['amount']} {UNITS.get(str(value['unit']), value['unit'])}"
        # in WORDS' order, not the storage's (PostgreSQL's jsonb reorders keys)
        keys = sorted(value, key=lambda k: (list(WORDS).index(k) if k in WORDS else len(WORDS), k))
        return "；".join(f"{WORDS.get(k, k)}：{in_words(value[k])}" for k in keys)
    return str(value)


@require_GET
def policies_page(request: HttpRequest) -> HttpResponse:
    today = business_date(now())
    categories = category_list()
    rules = sorted(rules_in_force(on=today), key=lambda r: r.key)
    context = {
        "today": today,
        "version": categories[0].version if categories else None,
        "categories": [
            {
                "category": c,
                "polarity": POLARITIES.get(c.polarity, c.polarity),
                "rule": PUBLICATION_RULES.get(c.publication_rule, c.publication_rule),
                "fields": [(f.name, TIERS.get(f.tier, f.tier)) for f in c.active_fields],  # type: ignore[attr-defined]
            }
            for c in categories
        ],
        "rules": [
            {
                "title": RULE_TITLES.get(r.key, r.key),
                "key": r.key,
                "since": r.effective_from,
                "values": in_words(r.values),
                "source": r.source,
            }
            for r in rules
        ],  # fmt: skip
        "active": "policies",
    }
    return render(request, "portal/policies.html", context)


@require_GET
def plan_page(request: HttpRequest) -> HttpResponse:
    try:
        plan = plan_get()
    except NotFound as exc:
        return render(request, "portal/plan.html", {"missing": exc.message, "active": "plan"})
    tasks = list(plan_task_list())
    published = plan_reports_published()  # the latest accepted report of each unit (plan task 55, ADR 0038)
    for task in tasks:
        task.published = published.get(task.pk, [])  # type: ignore[attr-defined]
    sections = [(s, [t for t in tasks if t.section_id == s.pk]) for s in plan.sections.all()]
    context = {"plan": plan, "sections": sections, "task_count": len(tasks), "active": "plan"}
    return render(request, "portal/plan.html", context)
