"""Loads every piece of reference data in dependency order; each loader is a spec over the shared reference
loader (core/reference.py) and is idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from xinyong.core.actor import Actor

Progress = Callable[[str], None]


def reference_load_all(*, actor: Actor, now: dt.datetime, progress: Progress = lambda _: None) -> dict:
    """Units → catalog and rules → list types → memoranda and measures → commitment templates and training
    courses → working-day calendar → the plan → the evaluation scorecards.
    Returns a summary per step."""
    from xinyong.accounts.reference import units_load
    from xinyong.catalog.services import catalog_load, rules_load
    from xinyong.commitments.services import commitments_load
    from xinyong.evaluation.services import scorecards_load
    from xinyong.lists.services import list_types_load
    from xinyong.measures.services import memoranda_load
    from xinyong.oversight.services import plan_load
    from xinyong.workdays.services import calendar_load_builtin

    summary: dict = {}
    units = units_load(actor=actor, now=now)
    summary["units"] = {"units": units.units, "groups": units.groups, "changed": len(units.changed)}
    progress(f"单位名录：{units.units} 个单位，{units.groups} 个单位组，变更 {len(units.changed)} 项")
    for key, label, load in (
        ("catalog", "信息目录", catalog_load),
        ("rules", "规则表", rules_load),
        ("list_types", "名单类型", list_types_load),
        ("memoranda", "备忘录与措施", memoranda_load),
        ("commitments", "承诺模板与培训课程", commitments_load),
    ):
        summary[key] = load(actor=actor, now=now).summary()
        progress(f"{label}：{summary[key]}")
    years = calendar_load_builtin(actor=actor, now=now)
    summary["calendar_years_loaded"] = years
    progress(f"工作日历：新载入 {len(years)} 个年份" + (f"（{years[0]}–{years[-1]}）" if years else ""))
    summary["plan"] = plan_load(actor=actor, now=now).summary()
    progress(f"规划任务：{summary['plan']}")
    summary["scorecards"] = scorecards_load(actor=actor, now=now).summary()
    progress(f"考核评分表：{summary['scorecards']}")
    return summary
