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
from django.utils.translation import gettext, gettext_noop, ngettext
from django.views.decorators.http import require_GET

from xinyong.catalog.selectors import category_list, rules_in_force
from xinyong.catalog.vocabulary import POLARITIES, PUBLICATION_RULES, SEVERITIES, TIERS
from xinyong.core.errors import NotFound
from xinyong.core.timeutil import business_date, now
from xinyong.oversight.selectors import plan_get, plan_reports_published, plan_task_list
from xinyong.portal.wording import error_of, word

RULE_TITLES = {
    "publication.penalty.minor": gettext_noop("轻微失信行为的行政处罚信息公示期限"),
    "publication.penalty.general": gettext_noop("一般失信行为的行政处罚信息公示期限"),
    "publication.penalty.serious": gettext_noop("严重失信行为的行政处罚信息公示期限"),
    "severity.procedure": gettext_noop("按处罚程序认定失信程度"),
    "severity.penalty_type": gettext_noop("按处罚类别认定失信程度"),
    "deadline.shuanggongshi": gettext_noop("双公示报送时限"),
    "objection.accept": gettext_noop("异议受理时限"),
    "objection.provider_verify": gettext_noop("异议核实时限"),
    "repair.overall": gettext_noop("信用修复答复时限"),
    "repair.decide": gettext_noop("信用修复决定时限"),
    "repair.repeat_serious": gettext_noop("再次严重失信不予修复的期间"),
    "repair.share": gettext_noop("修复结果共享时限"),
    "retention.negative_personal": gettext_noop("个人不良信息保存期限"),
    "feedback.default": gettext_noop("联合奖惩执行反馈时限"),
    "tipoff.accept": gettext_noop("举报受理时限"),
    "tipoff.conclude": gettext_noop("举报办结时限"),
}
WORDS = {
    "published": gettext_noop("是否公示"),
    "min": gettext_noop("最短"),
    "max": gettext_noop("最长"),
    "choice_max": gettext_noop("部门决定公示时最长"),
    "deadline": gettext_noop("期限"),
    "overall": gettext_noop("全程"),
    "window": gettext_noop("期间"),
    "retention": gettext_noop("保存"),
    **SEVERITIES,
}
# a quantity in words, singular or plural in the page's language (Chinese has one form)
UNITS = {
    "years": lambda n: ngettext("%(n)s 年", "%(n)s 年", n),
    "months": lambda n: ngettext("%(n)s 个月", "%(n)s 个月", n),
    "days": lambda n: ngettext("%(n)s 日", "%(n)s 日", n),
    "calendar_days": lambda n: ngettext("%(n)s 日", "%(n)s 日", n),
    "working_days": lambda n: ngettext("%(n)s 个工作日", "%(n)s 个工作日", n),
}


def in_words(value: object) -> str:
    """A rule's values as a reader says them: {min: {amount: 3, unit: months}} → 最短：3 个月."""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, list):
        return gettext("、").join(map(str, value))
    if isinstance(value, dict):
        if set(value) == {"amount", "unit"}:  # a quantity as loaded (catalog/periods.py)
            return _quantity(value["amount"], str(value["unit"]))
        # in WORDS' order, not the storage's (PostgreSQL's jsonb reorders keys)
        keys = sorted(value, key=lambda k: (list(WORDS).index(k) if k in WORDS else len(WORDS), k))
        pair = gettext("%(name)s：%(value)s")
        return gettext("；").join(
            pair % {"name": gettext(WORDS[k]) if k in WORDS else k, "value": in_words(value[k])} for k in keys
        )
    return str(value)


def _quantity(amount, unit: str) -> str:
    """3 个月 / 3 months, 1 month; an unknown unit as stored."""
    if unit not in UNITS:
        return f"{amount} {unit}"
    return UNITS[unit](amount if isinstance(amount, int) else 2) % {"n": amount}


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
                "polarity": word(POLARITIES.get(c.polarity, c.polarity)),
                "rule": word(PUBLICATION_RULES.get(c.publication_rule, c.publication_rule)),
                "fields": [(f.name, word(TIERS.get(f.tier, f.tier))) for f in c.active_fields],  # type: ignore[attr-defined]
            }
            for c in categories
        ],
        "rules": [
            {
                "title": gettext(RULE_TITLES[r.key]) if r.key in RULE_TITLES else r.key,
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
        return render(request, "portal/plan.html", {"missing": error_of(exc), "active": "plan"})
    tasks = list(plan_task_list())
    published = plan_reports_published()  # the latest accepted report of each unit (plan task 55, ADR 0038)
    for task in tasks:
        task.published = published.get(task.pk, [])  # type: ignore[attr-defined]
    sections = [(s, [t for t in tasks if t.section_id == s.pk]) for s in plan.sections.all()]
    context = {"plan": plan, "sections": sections, "task_count": len(tasks), "active": "plan"}
    return render(request, "portal/plan.html", context)
