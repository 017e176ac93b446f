"""The monthly 通报 of an evaluation as PDF (issue 16): title and period, the scorecard version, the ranking
table, the lowest-ranked with their weakest indicators, the units without data, and how the scores were
computed. Drawn with the reports' font pipeline and page helpers (reports/fonts.py, reports/layout.py;
docs/adr/0006-report-pdf.md): the pre-subset Noto Sans SC face, embedded, no system font. Deterministic: the
creation date is the evaluation's computing time, so the same evaluation gives the same bytes."""

from __future__ import annotations

import calendar
from decimal import Decimal

from xinyong.evaluation.models import Evaluation, EvaluationResult
from xinyong.evaluation.scorecard import KIND_LABELS
from xinyong.evaluation.selectors import weakest_indicators
from xinyong.reports.fonts import report_fonts
from xinyong.reports.layout import (
    FACE,
    MUTED,
    _Document,
    _fonts,
    _heading,
    _paragraph,
    _table,
)

LOWEST = 3  # the 通报 names the last three ranks (and any tied with them) with their weakest indicators
RULES_TEXT = (
    "指标值 = 分子 ÷ 分母；当月分母为 0 或无数据的指标不计分，其权重不计入，"
    "总分 = 各计分指标得分之和 × 100 ÷ 计分权重之和（四舍五入保留两位小数）。"
    "总分相同者名次相同，按单位代码排列；无任何计分指标的单位不排名。"
)


class _Bulletin(_Document):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FACE, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.number}        第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def bulletin_number(evaluation: Evaluation) -> str:
    return f"考核通报 {evaluation.month:%Y-%m}-{evaluation.kind}"


def bulletin_title(evaluation: Evaluation) -> str:
    who = "各单位" if evaluation.kind == "unit" else "各区"
    return f"{evaluation.month.year}年{evaluation.month.month}月{who}信用工作考核情况通报"


def evaluation_bulletin_pdf(evaluation: Evaluation, results: list[EvaluationResult]) -> bytes:
    """The 通报 of one month's evaluation (`results` in ranking order, with units and indicators)."""
    card = evaluation.scorecard
    title = bulletin_title(evaluation)
    ranked = [r for r in results if r.rank is not None]
    lowest = _lowest(ranked)
    unranked = [r for r in results if r.rank is None]
    pdf = _Bulletin(bulletin_number(evaluation))
    text = title + _period(evaluation) + card.title + RULES_TEXT + "".join(_names(results)) + "第页共名次总分"
    _fonts(pdf, report_fonts(), text + "".join(i.name for r in lowest for i in r.indicators.all()))
    pdf.set_title(title)
    pdf.set_author("北京市公共信用信息服务平台")
    pdf.set_creator("xinyong")
    pdf.set_lang("zh-CN")
    pdf.set_creation_date(evaluation.computed_at)
    pdf.add_page()
    _paragraph(pdf, title, size=16, center=True)
    _paragraph(pdf, bulletin_number(evaluation), size=10, color=MUTED, center=True)
    pdf.ln(4)
    _paragraph(pdf, f"考核期间：{_period(evaluation)}", size=10.5)
    _paragraph(
        pdf, f"评分表：{card.title}（版本 {card.version}，{card.effective_from:%Y-%m-%d} 起施行）", size=10.5
    )
    _paragraph(
        pdf,
        f"参评{KIND_LABELS[evaluation.kind]}：{evaluation.entities} 个，排名 {evaluation.ranked} 个",
        size=10.5,
    )
    _heading(pdf, "一、考核排名")
    rows = [[str(r.rank), r.unit.name, _num(r.total), r.level_name, _num(r.counted_weight)] for r in ranked]
    _table(pdf, ["名次", "单位", "总分", "等次", "计分权重"], rows, [18, 78, 26, 26, 26])
    _heading(pdf, "二、排名靠后的单位及失分较多的指标")
    if not lowest:
        _paragraph(pdf, "本期无排名。")
    for r in lowest:
        weak = "；".join(
            f"{i.name} {_pct(i.value)}，得 {_num(i.points)} 分（满分 {_num(i.weight)}）"
            for i in weakest_indicators(r)
        )
        _paragraph(pdf, f"第 {r.rank} 名 {r.unit.name}（{_num(r.total)} 分）：{weak or '无'}", size=10.5)
    if unranked:
        _heading(pdf, "三、本期无可考核数据的单位")
        _paragraph(pdf, "、".join(r.unit.name for r in unranked), size=10.5)
    _heading(pdf, "四、计分说明" if unranked else "三、计分说明")
    _paragraph(pdf, RULES_TEXT, size=10)
    return bytes(pdf.output())


def _lowest(ranked: list[EvaluationResult]) -> list[EvaluationResult]:
    """The last `LOWEST` of the ranking, and every one tied with them, from the last."""
    if not ranked:
        return []
    cutoff = ranked[-min(LOWEST, len(ranked))].rank or 0
    return [r for r in ranked if (r.rank or 0) >= cutoff][::-1]


def _names(results: list[EvaluationResult]) -> list[str]:
    return [r.unit.name for r in results]


def _period(evaluation: Evaluation) -> str:
    month = evaluation.month
    last = calendar.monthrange(month.year, month.month)[1]
    return f"{month.year}年{month.month}月1日至{month.month}月{last}日"


def _num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"
