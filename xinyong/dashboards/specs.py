"""The dashboards (看板, issue 16) as data: each page a list of tables, each table one metric grouped one way
(metrics/definitions.py says what the metric counts); a table grouped by month is also drawn as a chart."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    key: str  # unique in its dashboard: the CSV's name and the chart's id
    caption: str
    metric: str
    by: tuple[str, ...]  # metrics.selectors.figures groups: unit, month, dimension

    @property
    def charted(self) -> bool:
        return self.by == ("month",)


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    summary: str
    tables: tuple[TableSpec, ...]


DASHBOARDS: dict[str, Dashboard] = {
    d.slug: d
    for d in [
        Dashboard("publicity", "双公示报送及时性", "各单位各月的双公示按时报送率和超期工作日中位数。", (
            TableSpec("by-month", "各月双公示按时报送率", "publicity_on_time", ("month",)),
            TableSpec("by-unit", "各单位双公示按时报送率", "publicity_on_time", ("unit",)),
            TableSpec("by-unit-month", "各单位各月双公示按时报送率", "publicity_on_time", ("unit", "month")),
        )),
        Dashboard("submissions", "报送与退回", "各信息类别的报送行数和退回率；目录完整率。", (
            TableSpec("by-month", "各月报送退回率", "rows_rejected", ("month",)),
            TableSpec("by-category", "各信息类别报送退回率", "rows_rejected", ("dimension",)),
            TableSpec("by-unit", "各单位报送退回率", "rows_rejected", ("unit",)),
            TableSpec("completeness", "各单位目录完整率（各月相加）", "catalog_completeness", ("unit",)),
        )),
        Dashboard("checks", "联合奖惩核查与奖惩到位率", "各单位、各事项的核查次数；各措施的奖惩到位率。", (
            TableSpec("checks-by-month", "各月核查次数", "checks", ("month",)),
            TableSpec("checks-by-unit", "各单位核查次数", "checks", ("unit",)),
            TableSpec("checks-by-matter", "各行政事项核查次数", "checks", ("dimension",)),
            TableSpec("applied-by-month", "各月奖惩到位率", "measures_applied", ("month",)),
            TableSpec("applied-by-unit", "各单位奖惩到位率", "measures_applied", ("unit",)),
            TableSpec("applied-by-measure", "各措施奖惩到位率", "measures_applied", ("dimension",)),
            TableSpec("feedback-by-unit", "各单位执行反馈按时率", "feedback_on_time", ("unit",)),
        )),
        Dashboard("remedies", "异议与信用修复办理", "异议核实、信用修复决定的按时率。", (
            TableSpec("objections-by-month", "各月异议核实按时率", "objections_on_time", ("month",)),
            TableSpec("objections-by-unit", "各单位异议核实按时率", "objections_on_time", ("unit",)),
            TableSpec("repairs-by-month", "各月信用修复决定按时率", "repairs_on_time", ("month",)),
            TableSpec("repairs-by-unit", "各单位信用修复决定按时率", "repairs_on_time", ("unit",)),
        )),
        Dashboard("lists", "名单列入与移出", "各月列入、移出名单的条目数，按名单类型。", (
            TableSpec("entries-by-month", "各月列入名单条目数", "list_entries", ("month",)),
            TableSpec("exits-by-month", "各月移出名单条目数", "list_exits", ("month",)),
            TableSpec("entries-by-type", "各名单类型列入条目数", "list_entries", ("dimension",)),
            TableSpec("exits-by-type", "各名单类型移出条目数", "list_exits", ("dimension",)),
        )),
    ]
}  # fmt: skip
