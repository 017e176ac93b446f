"""Writes of the oversight app (plan task 55 督导考核): loading the city plan (``plan.py``) and the units'
progress reports on its tasks with the credit office's review (``reports.py``, ADR 0038)."""

from xinyong.oversight.services.plan import (
    DEFAULT_PLAN_PATH,
    PLAN_CODE,
    PLAN_TITLE,
    PlanLoadResult,
    plan_load,
)
from xinyong.oversight.services.reports import (
    plan_report_accept,
    plan_report_evidence_read,
    plan_report_return,
    plan_report_save,
    plan_report_submit,
    reporting_unit,
)

__all__ = [
    "DEFAULT_PLAN_PATH",
    "PLAN_CODE",
    "PLAN_TITLE",
    "PlanLoadResult",
    "plan_load",
    "plan_report_accept",
    "plan_report_evidence_read",
    "plan_report_return",
    "plan_report_save",
    "plan_report_submit",
    "reporting_unit",
]
