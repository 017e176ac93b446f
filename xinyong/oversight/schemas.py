"""API schemas of the plan endpoints (督导考核): explicit output shapes, never echoing models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

NOTE_EXAMPLE = "第二部分缺少标题，任务11–16归入“二、加快推进商务诚信建设”（推断）"
TASK_TEXT_EXAMPLE = "加强政府和社会资本合作领域政务诚信建设,建立政府和社会资本合作失信违约记录。……"


class SectionOut(Schema):
    """A part of the plan; ``inferred`` when the plan text lacks its heading (part 二)."""

    number: int = Field(..., examples=[1])
    numeral: str = Field(..., examples=["一"])
    title: str = Field(..., examples=["加快推进政务诚信建设"])
    inferred: bool = Field(..., description="标题缺失，按编辑知识推断", examples=[False])


class TaskUnitOut(Schema):
    """A responsible unit named by the task; ``lead`` for the first one listed (牵头单位)."""

    code: str = Field(..., examples=["bj-fagaiwei"])
    name: str = Field(..., examples=["市发展改革委"])
    lead: bool = Field(..., examples=[True])


class TaskGroupOut(Schema):
    """A group named by the task: 各区政府 (the 16 districts) or 各有关部门 (every department concerned)."""

    code: str = Field(..., examples=["group-districts"])
    name: str = Field(..., examples=["各区政府"])


class PlanTaskOut(Schema):
    """One numbered task of the plan with its responsible units (责任单位) and groups, in plan order."""

    number: int = Field(..., examples=[4])
    section: SectionOut
    text: str = Field(..., examples=[TASK_TEXT_EXAMPLE])
    units: list[TaskUnitOut]
    groups: list[TaskGroupOut]
    open_ended: bool = Field(..., description="责任单位列表含“等部门”：列出的并非全部", examples=[True])


class PlanTaskListOut(Schema):
    count: int = Field(..., description="符合筛选条件的任务总数", examples=[55])
    items: list[PlanTaskOut]
    next_cursor: str | None = Field(None, description="下一页游标；没有更多时为 null", examples=[None])


class UnitRefOut(Schema):
    code: str = Field(..., examples=["bj-haidian"])
    name: str = Field(..., examples=["海淀区政府"])
    type: str = Field(..., examples=["district_government"])


class UnitTaskOut(PlanTaskOut):
    """A task of one unit: ``involvement`` is ``lead``, ``direct`` or the code of the group naming it."""

    involvement: str = Field(
        ..., description="lead（牵头）、direct（列名）或单位组代码", examples=["group-districts"]
    )
    via_group: TaskGroupOut | None = Field(None, description="经由的单位组（involvement 为单位组代码时）")


class UnitTaskListOut(Schema):
    unit: UnitRefOut
    count: int = Field(..., examples=[26])
    tasks: list[UnitTaskOut]


class PlanSectionSummaryOut(SectionOut):
    task_count: int = Field(..., examples=[10])


class PlanOut(Schema):
    """The loaded plan: source, hash, parts and what the loader inferred from the text."""

    code: str = Field(..., examples=["beijing-2018-2020"])
    title: str = Field(..., examples=["本市2018-2020年社会信用体系建设重点任务及责任分工"])
    source_name: str = Field(..., examples=["beijing-credit-plan-2018-2020.txt"])
    sha256: str = Field(..., examples=["5ef82e59b6ff836d55d7caefa51a81c784a641a358c8a1a20623fa1acffc949d"])
    loaded_at: dt.datetime = Field(..., examples=["2026-11-02T01:00:00Z"])
    task_count: int = Field(..., examples=[55])
    sections: list[PlanSectionSummaryOut]
    notes: list[str] = Field(
        ...,
        description="载入时的推断说明",
        examples=[["第二部分缺少标题，任务11–16归入“二、加快推进商务诚信建设”（推断）"]],
    )


# ── progress reports (ADR 0038) ──────────────────────────────────────────────────────────────────────────
PROGRESS = Literal["not_started", "on_track", "completed", "delayed"]


class PlanReportFileIn(Schema):
    """A unit's report on one task for one period (multipart form, with optional ``files``)."""

    task: int = Field(..., ge=1, description="任务编号", examples=[3])
    period: str = Field(..., max_length=16, description="报送期代码", examples=["2026Q3"])
    progress: PROGRESS = Field(
        ..., description="进度状态：not_started 未启动、on_track 进行中、completed 已完成、delayed 滞后"
    )
    narrative: str = Field(
        ..., max_length=4000, description="进展情况", examples=["已建立政府采购政务诚信责任制。"]
    )
    submit: bool = Field(
        True, description="true：报送（退回的报告为重新报送）；false：只保存草稿", examples=[True]
    )


class PlanReportReviewIn(Schema):
    """The credit office's decision on a submitted report."""

    decision: Literal["accept", "return"] = Field(
        ..., description="accept 采纳；return 退回", examples=["accept"]
    )
    reason: str = Field("", max_length=2000, description="退回理由（退回时必填）", examples=[""])


class PlanReportEvidenceOut(Schema):
    id: int = Field(..., examples=[7])
    name: str = Field(..., examples=["采购责任制.pdf"])
    content_type: str = Field(..., examples=["application/pdf"])
    size: int = Field(..., examples=[20480])
    sha256: str = Field(..., examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"])


class PlanReportStepOut(Schema):
    action: str = Field(..., examples=["submit"])
    from_state: str = Field(..., examples=["draft"])
    to_state: str = Field(..., examples=["submitted"])
    actor: str = Field(..., examples=["user:12"])
    reason: str = Field(..., examples=[""])
    at: dt.datetime = Field(..., examples=["2026-10-12T10:00:00+08:00"])


class PlanReportOut(Schema):
    """One progress report with its review state, timeliness, evidence (described, never the bytes) and
    history."""

    id: int = Field(..., examples=[1])
    task: int = Field(..., examples=[3])
    unit: UnitRefOut
    period: str = Field(..., examples=["2026Q3"])
    due_at: dt.datetime = Field(
        ..., description="报送截止（北京时间 23:59:59）", examples=["2026-10-20T23:59:59+08:00"]
    )
    progress: str = Field(..., examples=["on_track"])
    progress_label: str = Field(..., examples=["进行中"])
    narrative: str = Field(..., examples=["已建立政府采购政务诚信责任制。"])
    state: str = Field(..., description="draft、submitted、returned、accepted", examples=["submitted"])
    state_label: str = Field(..., examples=["已报送"])
    first_submitted_at: dt.datetime | None = Field(None, examples=["2026-10-12T10:00:00+08:00"])
    submitted_at: dt.datetime | None = Field(None, examples=["2026-10-12T10:00:00+08:00"])
    late_working_days: int | None = Field(None, description="首次报送迟于截止的工作日数", examples=[0])
    reviewed_at: dt.datetime | None = Field(None, examples=[None])
    return_reason: str = Field(..., examples=[""])
    evidence: list[PlanReportEvidenceOut]
    history: list[PlanReportStepOut]


class PlanReportListOut(Schema):
    count: int = Field(..., examples=[1])
    items: list[PlanReportOut]
    next_cursor: str | None = Field(None, description="下一页游标；没有更多时为 null", examples=[None])


class PlanReportOverdueItemOut(Schema):
    task: int = Field(..., examples=[2])
    unit: UnitRefOut
    period: str = Field(..., examples=["2026Q3"])
    due_at: dt.datetime = Field(..., examples=["2026-10-20T23:59:59+08:00"])
    state: str | None = Field(None, description="已有草稿时为 draft；未填报为 null", examples=[None])


class PlanReportOverdueOut(Schema):
    count: int = Field(..., description="逾期未报总数", examples=[12])
    items: list[PlanReportOverdueItemOut]
    next_cursor: str | None = Field(None, examples=[None])
