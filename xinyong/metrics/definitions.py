"""What each metric counts (issue 16, ADR 0035): the registry the dashboards and the evaluation show beside
every figure. A figure is `numerator` of `denominator` for one unit, Beijing calendar month, district and
dimension (metrics/models.py). "In the month" always means: the instant named falls in the month's
[first day 00:00, first day of the next month 00:00) Asia/Shanghai.

District: for a metric about subjects (records, objections, repairs, list entries) the subject's district
(`Subject.district`, a district government's unit code; '' when unknown) as it stands when the month is
computed; for a metric about a unit's
own work without a subject (submissions, catalog, checks, feedback) the unit's own code when the unit is a
district government, else ''.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # Chinese, as dashboards and the evaluation print it
    numerator_label: str
    denominator_label: str
    definition: str  # Chinese, as a reviewer reads it
    dimension: str  # what the dimension column holds ('' when the metric has none)
    source: str  # the owner selector(s) the figures come from
    histogram: bool = False  # `detail` holds {value: count}, so medians merge across units and months
    rate: bool = True  # False: a count (numerator and denominator hold the same number, or a subset)


METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "publicity_on_time", "双公示按时报送率", "按时报送", "报送条数",
            "本月从本单位收到的、有公示时限的信息类别（双公示：行政许可、行政处罚等）首次报送的信息"
            "（变更类型为首次报送，不含更正、重复报送、撤回）；按时：超期工作日数为 0"
            "（报送用时不超过类别的公示时限，records/publication.py timeliness）。"
            "分布为“超期工作日数 → 条数”，用于中位数。"
            "维度为信息类别代码；区为信息主体的所属区。",
            "信息类别", "xinyong.records.selectors.publicity_timeliness_counts", histogram=True,
        ),
        Metric(
            "rows_rejected", "报送退回率", "退回行数", "报送行数",
            "本月本单位各批次（不含已放弃的批次）报送的全部行数与其中被退回的行数，按信息类别。",
            "信息类别", "xinyong.intake.selectors.submission_row_counts",
        ),
        Metric(
            "catalog_completeness", "目录完整率", "本月有报送的类别", "目录规定的类别",
            "目录（catalog.yaml providers）列明本单位为提供单位的启用类别，每类一行（分母 1）；本月该类别"
            "至少有一行被接收时分子为 1。向所有报送单位开放的类别不计入。",
            "信息类别", "xinyong.catalog.selectors.categories_named_providers + "
            "xinyong.intake.selectors.submission_row_counts",
        ),
        Metric(
            "feedback_on_time", "执行反馈按时率", "按期反馈", "应反馈措施数",
            "反馈截止时间在本月的本单位核查中，每个主体的每项适用措施应有一条执行反馈；按期：反馈时间不晚于"
            "核查的反馈截止时间。维度为行政事项代码。",
            "行政事项", "xinyong.measures.selectors.feedback_due_counts",
        ),
        Metric(
            "measures_applied", "奖惩到位率", "已实施", "适用措施数",
            "反馈截止时间在本月的本单位核查中的适用措施（每个主体每项措施一条），其中执行反馈结果为“已实施”"
            "的条数（不论反馈是否按期；未反馈、不适用、依法豁免均不计入分子）。维度为措施代码。",
            "措施", "xinyong.measures.selectors.feedback_due_counts",
        ),
        Metric(
            "checks", "联合奖惩核查", "命中核查", "核查次数",
            "本月本单位发起的联合奖惩核查次数（核查时间在本月），分子为至少一个主体有适用措施的核查。"
            "维度为行政事项代码。",
            "行政事项", "xinyong.measures.selectors.check_counts", rate=False,
        ),
        Metric(
            "objections_on_time", "异议核实按时率", "按期核实", "应核实异议",
            "核实期限（受理时确定）在本月的、由本单位核实的异议；按期：核实时间不晚于核实期限（期限内未核实"
            "的计为未按期）。信用办的受理、答复环节不计入。区为异议主体的所属区。",
            "", "xinyong.remedies.selectors.objection_verify_counts",
        ),
        Metric(
            "repairs_on_time", "信用修复决定按时率", "按期决定", "应决定申请",
            "决定期限（信用办初审通过或重新办理时确定）在本月的、由本单位认定的信用修复申请；按期：作出准予"
            "或不予修复决定的时间不晚于决定期限。信用办的初审环节不计入。区为申请主体的所属区。",
            "", "xinyong.remedies.selectors.repair_decide_counts",
        ),
        Metric(
            "list_entries", "列入名单", "列入", "列入",
            "本月公布列入名单的条目数（公布时间在本月，含此后已移出的），按名单类型的认定单位；维度为名单类型"
            "代码，区为主体的所属区。",
            "名单类型", "xinyong.lists.selectors.list_moves_counts", rate=False,
        ),
        Metric(
            "list_exits", "移出名单", "移出", "移出",
            "本月移出名单的条目数（移出时间在本月，任何移出原因），按名单类型的认定单位；维度为名单类型代码，"
            "区为主体的所属区。",
            "名单类型", "xinyong.lists.selectors.list_moves_counts", rate=False,
        ),
        Metric(
            "plan_reports_on_time", "规划进度按时报告率", "按时报告", "应报告",
            "本月到期的规划任务进度报告（task 55）中在截止时间前首次报送的份数，按报告单位；分母为本月到期"
            "的应报份数（含未报送的）。",
            "", "xinyong.oversight.selectors.progress_report_timeliness",
        ),
    ]
}  # fmt: skip


def metric_keys() -> list[str]:
    return list(METRICS)
