"""Load the list types (名单类型) from lists/data/list_types.yaml (docs/domain.md principle 3: rules are
data).

The whole file is parsed and checked first (strictly, with the catalog's YAML reader: no repeated or unknown
keys, typed values, every problem with its path), then the list types are upserted in one transaction with one
audit event when something changed. Loading the same file twice changes nothing and audits nothing; a list
type the file no longer has is deactivated, never deleted (entries keep pointing at it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinyong.accounts.selectors import unit_list_all
from xinyong.audit.services import audit_append
from xinyong.catalog.selectors import category_codes_polarities
from xinyong.catalog.yamlcheck import Node, Problems, list_of, load_yaml, open_node
from xinyong.core.actor import Actor
from xinyong.core.reference import AuditNote, Changes, LoadResult, ReferenceSpec, reference_load, rows_upsert
from xinyong.lists.models import ListKind, ListType
from xinyong.lists.remedy import PERIOD_RE, channels_of, remedy_missing

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "list_types.yaml"
INVALID = "list_types.invalid"
WHAT = "名单类型文件"
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
# The polarity a list's publication category must have, by list kind.
POLARITY_OF_KIND = {ListKind.BLACK: "negative", ListKind.ATTENTION: "negative", ListKind.RED: "positive"}

_REQUIRED = (
    "code", "name", "kind", "legal_basis", "criteria", "deciding_unit", "duration_months",
    "earliest_exit_months", "repairable", "training_required", "public", "statement_working_days", "remedy",
    "remedy_channels", "category",
)  # fmt: skip
_ALLOWED = (*_REQUIRED, "active")
# Row fields compared and written by the loader (deciding_unit / category as their ids).
_ROW_FIELDS = (
    "name", "kind", "legal_basis", "criteria", "deciding_unit_id", "duration_months", "earliest_exit_months",
    "repairable", "training_required", "public", "statement_working_days", "remedy", "remedy_channels",
    "category_id", "active",
)  # fmt: skip
_CHANNEL_KEYS = ("action", "period", "starts", "basis")


@dataclass(frozen=True)
class ListTypeSpec:
    code: str
    values: dict[str, Any]  # row fields, with `deciding_unit` / `category` still as codes
    path: str


@dataclass(kw_only=True)
class ListTypesLoadResult(LoadResult):
    """What a load did: codes created, updated and deactivated; `audit_seq` None when nothing changed."""

    total: int

    def head(self) -> str:
        """ "名单类型 6 个" (the summary: "名单类型 6 个：新增 6，更新 0，停用 0")."""
        return f"名单类型 {self.total} 个"


def list_types_load(*, actor: Actor, now: dt.datetime, path: str | Path | None = None) -> ListTypesLoadResult:
    """Load the list types (名单类型, docs/domain.md): validate the file, resolve deciding units and catalog
    categories, upsert, deactivate list types the file dropped, and audit (`list_types.load`) a change.
    Refuses (`list_types.invalid`, 400) an invalid file, listing every problem with its path."""
    return reference_load(LIST_TYPES, actor=actor, now=now, path=path)


def _write(specs: list[ListTypeSpec], changes: Changes) -> ListTypesLoadResult:
    rows_upsert(ListType, _resolve(specs), changes)
    return ListTypesLoadResult(total=len(specs), **changes.result_fields())


def _audit(specs, result: ListTypesLoadResult, changes: Changes) -> AuditNote:
    return AuditNote("list_types.load", "list_types", "list_types.yaml", result.labels())


def _parse(text: str) -> list[ListTypeSpec]:
    raw = load_yaml(text, what=WHAT, code=INVALID)
    problems = Problems(WHAT, code=INVALID)
    top = open_node(raw, "", problems, allowed=("list_types",), required=("list_types",))
    specs: list[ListTypeSpec] = []
    if top is not None:
        seen: set[str] = set()
        for index, item in enumerate(list_of(raw, top, "list_types")):
            spec = _parse_one(item, f"list_types[{index}]", problems)
            if spec is None:
                continue
            if spec.code in seen:
                problems.add(f"{spec.path}.code", "duplicate", f"代码 {spec.code} 重复")
            seen.add(spec.code)
            specs.append(spec)
    problems.raise_if_any()
    return specs


def _parse_one(item: Any, path: str, problems: Problems) -> ListTypeSpec | None:
    node = open_node(item, path, problems, allowed=_ALLOWED, required=_REQUIRED)
    if node is None:
        return None
    code = node.text("code")
    if code and not CODE_RE.match(code):
        node.bad("code", "bad_value", "代码只能由小写字母、数字和“-”组成（2–64 个字符）")
    values = {
        "name": node.text("name"),
        "kind": node.choice("kind", ListKind.values),
        "legal_basis": node.text("legal_basis"),
        "criteria": node.text("criteria"),
        "deciding_unit": node.text("deciding_unit"),
        "duration_months": node.positive_int("duration_months"),
        "earliest_exit_months": _months(node, "earliest_exit_months"),
        "repairable": node.flag("repairable"),
        "training_required": node.flag("training_required"),
        "public": node.flag("public"),
        "statement_working_days": node.positive_int("statement_working_days"),
        "remedy": node.text("remedy"),
        "remedy_channels": _channels(item, node, problems),
        "category": node.text("category", required=False),
        "active": node.flag("active", default=True),
    }
    _check_periods(node, values)
    _check_remedy(node, values)
    return ListTypeSpec(code=code, values=values, path=path)


def _channels(item: Any, node: Node, problems: Problems) -> list[dict[str, str]]:
    """The remedy channels (救济渠道): each an act, its period (`60日`, `6个月`, or null where the law sets
    none), what the period runs from, and the legal source; no act twice."""
    channels = []
    for index, raw in enumerate(list_of(item, node, "remedy_channels")):
        path = f"{node.at('remedy_channels')}[{index}]"
        required = ("action", "period", "basis")
        channel = open_node(raw, path, problems, allowed=_CHANNEL_KEYS, required=required)
        if channel is None:
            continue
        period = channel.text("period", required=False)
        if period and not PERIOD_RE.match(period):
            channel.bad("period", "bad_value", f"期限“{period}”应写作“N日”或“N个月”（N 为阿拉伯数字）")
        if period and not channel.text("starts", required=False):
            channel.bad("starts", "missing_key", "有期限的救济渠道须载明期限的起算（如“知道该决定之日”）")
        action = channel.text("action")
        if action and action in {c["action"] for c in channels}:
            channel.bad("action", "duplicate", f"救济渠道“{action}”重复")
        channel_values = {"period": period, "starts": channel.text("starts", required=False)}
        channels.append({"action": action, **channel_values, "basis": channel.text("basis")})
    return channels


def _check_remedy(node: Node, values: dict[str, Any]) -> None:
    """The list type's own remedy text (the letters' default) must state every channel with its period."""
    channels = values["remedy_channels"]
    if not values["remedy"] or not all(c["action"] and c["basis"] for c in channels):
        return
    if not all(PERIOD_RE.match(c["period"]) for c in channels if c["period"]):
        return
    for gap in remedy_missing(values["remedy"], channels_of(channels)):
        node.bad("remedy", "remedy_incomplete", gap["message"])


def _months(node: Node, key: str) -> int:
    value = node.raw.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        node.bad(key, "bad_type", "应为不小于 0 的整数")
        return 0
    return value


def _check_periods(node: Node, values: dict[str, Any]) -> None:
    if node.raw.get("statement_working_days", 0) is None:
        node.bad("statement_working_days", "bad_type", "陈述申辩期须为正整数（工作日）")
    duration, earliest = values["duration_months"], values["earliest_exit_months"]
    if duration is not None and earliest > duration:
        node.bad(
            "earliest_exit_months",
            "bad_value",
            f"最早可移出（{earliest} 个月）不能晚于期限（{duration} 个月）",
        )
    if values["training_required"] and not values["repairable"]:
        node.bad("training_required", "bad_value", "不可信用修复的名单不能要求修复培训")


def _resolve(specs: list[ListTypeSpec]) -> dict[str, dict[str, Any]]:
    """Row values per code, with the deciding unit and the category resolved to ids (unknown ones refused)."""
    units = {unit.code: unit.pk for unit in unit_list_all()}
    categories = {code: (pk, polarity) for pk, (code, polarity) in category_codes_polarities().items()}
    problems = Problems(WHAT, code=INVALID)
    rows = {}
    for spec in specs:
        values = dict(spec.values)
        unit, category = values.pop("deciding_unit"), values.pop("category")
        if unit not in units:
            problems.add(f"{spec.path}.deciding_unit", "unknown_unit", f"认定单位代码 {unit} 不在单位名录中")
        category_id, polarity = categories.get(category, (None, None)) if category else (None, None)
        if category and category_id is None:
            problems.add(f"{spec.path}.category", "unknown_category", f"目录类别 {category} 不存在")
        elif category_id is not None and polarity != POLARITY_OF_KIND[values["kind"]]:
            problems.add(
                f"{spec.path}.category",
                "polarity_mismatch",
                f"{values['kind']} 名单不能对应信息性质为 {polarity} 的类别 {category}",
            )
        rows[spec.code] = {
            **values,
            "deciding_unit_id": units.get(unit),
            "category_id": category_id,
        }
    problems.raise_if_any()
    return rows


LIST_TYPES = ReferenceSpec(name="list_types", default_path=DEFAULT_PATH, invalid=INVALID,
                           parse=lambda text, _path: _parse(text), write=_write, audit=_audit,
                           append=audit_append)  # fmt: skip
