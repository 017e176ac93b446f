"""Load the commitment templates and training courses from commitments/data/commitments.yaml (docs/domain.md
principle 3: reference data as data). Parsed and checked whole first (the catalog's strict YAML reader), then
upserted in one transaction with one audit event when something changed; a template or course the file no
longer has is deactivated, never deleted (commitments and enrolments keep pointing at it).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinyong.accounts.selectors import unit_list_all
from xinyong.audit.services import audit_append
from xinyong.catalog.yamlcheck import Node, Problems, list_of, load_yaml, open_node
from xinyong.commitments.models import CommitmentKind, CommitmentTemplate, Course, CourseMode
from xinyong.core.actor import Actor
from xinyong.core.reference import AuditNote, Changes, LoadResult, ReferenceSpec, reference_load, rows_upsert
from xinyong.lists.selectors import list_type_ids

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "commitments.yaml"
INVALID = "commitments.invalid"
WHAT = "承诺模板与培训课程文件"
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
PLACEHOLDERS = frozenset(
    {"subject_name", "subject_code", "matter", "unit_name", "signer_name", "signed_on", "verify_due"}
)
_TEMPLATE_KEYS = ("code", "kind", "title", "text", "verify_months", "public", "active")
_COURSE_KEYS = ("code", "title", "mode", "hours", "provider", "list_types", "description", "active")


@dataclass(kw_only=True)
class CommitmentsLoadResult(LoadResult):
    """Codes created, updated and deactivated, templates and courses together."""

    templates: int
    courses: int

    def head(self) -> str:
        """ "承诺模板 4 个，培训课程 3 个" (the summary adds "：新增 7，更新 0，停用 0")."""
        return f"承诺模板 {self.templates} 个，培训课程 {self.courses} 个"


def commitments_load(
    *, actor: Actor, now: dt.datetime, path: str | Path | None = None
) -> CommitmentsLoadResult:
    """Load the commitment templates (承诺书模板) and repair-training courses (信用修复培训课程); idempotent.
    Refuses (`commitments.invalid`, 400) an invalid file, an unknown placeholder, provider unit or list
    type."""
    return reference_load(COMMITMENTS, actor=actor, now=now, path=path)


def _write(document: tuple[dict[str, dict], dict[str, dict]], changes: Changes) -> CommitmentsLoadResult:
    templates, courses = document
    courses = _resolve_courses(courses)
    rows_upsert(CommitmentTemplate, templates, changes)
    rows_upsert(Course, courses, changes)
    return CommitmentsLoadResult(templates=len(templates), courses=len(courses), **changes.result_fields())


def _audit(document, result: CommitmentsLoadResult, changes: Changes) -> AuditNote:
    return AuditNote("commitments.load", "commitments_reference", "commitments.yaml", result.labels())


def _parse(text: str) -> tuple[dict[str, dict], dict[str, dict]]:
    raw = load_yaml(text, what=WHAT, code=INVALID)
    problems = Problems(WHAT, code=INVALID)
    top = open_node(raw, "", problems, allowed=("templates", "courses"), required=("templates", "courses"))
    templates: dict[str, dict] = {}
    courses: dict[str, dict] = {}
    if top is not None:
        for key, target, parse_one in (("templates", templates, _template), ("courses", courses, _course)):
            for index, item in enumerate(list_of(raw, top, key)):
                node = open_node(
                    item, f"{key}[{index}]", problems, allowed=_ALLOWED[key], required=_REQUIRED[key]
                )
                if node is None:
                    continue
                code = node.text("code")
                if code and not CODE_RE.match(code):
                    node.bad("code", "bad_value", "代码只能由小写字母、数字和“-”组成（2–64 个字符）")
                if code in target:
                    node.bad("code", "duplicate", f"代码 {code} 重复")
                target[code] = parse_one(node)
    problems.raise_if_any()
    return templates, courses


def _template(node: Node) -> dict[str, Any]:
    text = node.text("text")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        names = {"{"}
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        node.bad(
            "text",
            "bad_placeholder",
            f"未知的占位符 {'、'.join(unknown)}（可用：{'、'.join(sorted(PLACEHOLDERS))}）",
        )
    return {
        "kind": node.choice("kind", CommitmentKind.values),
        "title": node.text("title"),
        "text": text,
        "verify_months": node.positive_int("verify_months") or 3,
        "public": node.flag("public", default=False),
        "active": node.flag("active", default=True),
    }


def _course(node: Node) -> dict[str, Any]:
    list_types = node.raw.get("list_types")
    if not isinstance(list_types, list) or not all(isinstance(c, str) for c in list_types):
        node.bad("list_types", "bad_type", "应为名单类型代码的列表（适用全部名单时为 []）")
        list_types = []
    return {
        "title": node.text("title"),
        "mode": node.choice("mode", CourseMode.values),
        "hours": node.positive_int("hours") or 0,
        "provider": node.text("provider"),
        "list_types": list(list_types),
        "description": node.text("description", required=False),
        "active": node.flag("active", default=True),
    }


_ALLOWED = {"templates": _TEMPLATE_KEYS, "courses": _COURSE_KEYS}
_REQUIRED = {"templates": ("code", "kind", "title", "text"), "courses": _COURSE_KEYS[:5] + ("list_types",)}


def _resolve_courses(courses: dict[str, dict]) -> dict[str, dict]:
    """Provider units and list types resolved (unknown ones refused); the provider becomes `provider_id`."""
    units = {unit.code: unit.pk for unit in unit_list_all()}
    known_types = set(list_type_ids())
    problems = Problems(WHAT, code=INVALID)
    rows = {}
    for code, values in courses.items():
        values = dict(values)
        provider = values.pop("provider")
        if provider not in units:
            problems.add(
                f"courses.{code}.provider", "unknown_unit", f"培训单位代码 {provider} 不在单位名录中"
            )
        for list_type in values["list_types"]:
            if list_type not in known_types:
                problems.add(
                    f"courses.{code}.list_types", "unknown_list_type", f"名单类型 {list_type} 不存在"
                )
        rows[code] = {**values, "provider_id": units.get(provider)}
    problems.raise_if_any()
    return rows


COMMITMENTS = ReferenceSpec(name="commitments", default_path=DEFAULT_PATH, invalid=INVALID,
                            parse=lambda text, _path: _parse(text), write=_write, audit=_audit,
                            append=audit_append)  # fmt: skip
