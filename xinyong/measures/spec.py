"""Strict reading of memoranda.yaml (format in the file's header): every problem is collected with its path
(``memoranda[sxbzxr-2016].measures[sxbzxr-bidding].legal_basis``) before one refusal is raised.

Pure Python, no ORM: names of units, list types and matters are resolved by the loader
(services/memoranda.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from xinyong.core.errors import DomainError
from xinyong.core.yamlstrict import StrictYamlError, yaml_load_strict

INVALID = "memoranda.invalid"
LEGAL_BASIS_REQUIRED = "measure.legal_basis_required"
KINDS = ("reward", "punishment")
STRENGTHS = ("prohibit", "restrict", "prioritise", "simplify")

_TOP_KEYS = {"matters", "memoranda"}
_MATTER_KEYS = {"code", "name"}
_MEMO_KEYS = {"code", "title", "document_no", "signed_on", "signing_units", "list_types",
              "feedback_working_days", "active", "measures"}  # fmt: skip
_MEASURE_KEYS = {"code", "kind", "strength", "text", "legal_basis", "implementing_units", "matters"}


@dataclass(frozen=True)
class MatterSpec:
    code: str
    name: str


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    kind: str
    strength: str
    text: str
    legal_basis: str
    implementing_units: tuple[str, ...]
    matters: tuple[str, ...]


@dataclass(frozen=True)
class MemorandumSpec:
    code: str
    title: str
    document_no: str
    signed_on: dt.date
    signing_units: tuple[str, ...]
    list_types: tuple[str, ...]
    feedback_working_days: int
    active: bool
    measures: tuple[MeasureSpec, ...]


@dataclass(frozen=True)
class MemorandaSpec:
    sha256: str
    matters: tuple[MatterSpec, ...]
    memoranda: tuple[MemorandumSpec, ...]


@dataclass
class _Problems:
    items: list[dict] = field(default_factory=list)

    def add(self, path: str, code: str, text: str) -> None:
        self.items.append({"field": path, "code": code, "message": f"{path}：{text}"})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        codes = {item["code"] for item in self.items}
        code = LEGAL_BASIS_REQUIRED if LEGAL_BASIS_REQUIRED in codes else INVALID
        first = next(i for i in self.items if code == INVALID or i["code"] == code)["message"]
        more = f"（另有 {len(self.items) - 1} 处问题，见 errors）" if len(self.items) > 1 else ""
        raise DomainError(code, f"措施清单校验未通过：{first}{more}", errors=list(self.items))


def parse_memoranda(text: str) -> MemorandaSpec:
    """Parse and validate the whole file; raise one `memoranda.invalid` (or, when a measure lacks its legal
    basis, `measure.legal_basis_required`) listing every problem."""
    try:
        data = yaml_load_strict(text)
    except StrictYamlError as exc:
        raise DomainError(INVALID, f"措施清单无法解析（{exc.where}：{exc.problem}）") from exc
    problems = _Problems()
    if not isinstance(data, dict):
        raise DomainError(INVALID, "措施清单校验未通过：文件顶层应为包含 matters 与 memoranda 的映射")
    _unknown_keys(data, _TOP_KEYS, "文件", problems)
    matters = tuple(_matters(data.get("matters"), problems))
    memoranda = tuple(_memoranda(data.get("memoranda"), problems))
    _duplicates([m.code for m in matters], "matters", problems)
    _duplicates([m.name for m in matters], "matters.name", problems)
    _duplicates([m.code for m in memoranda], "memoranda", problems)
    _duplicates([x.code for m in memoranda for x in m.measures], "measures", problems)
    known = {m.code for m in matters}
    for memo in memoranda:
        for measure in memo.measures:
            for code in measure.matters:
                if code not in known:
                    where = f"memoranda[{memo.code}].measures[{measure.code}].matters"
                    problems.add(where, "unknown_matter", f"事项 {code} 未在 matters 中定义")
    problems.raise_if_any()
    return MemorandaSpec(hashlib.sha256(text.encode("utf-8")).hexdigest(), matters, memoranda)


def _unknown_keys(raw: dict, allowed: set[str], path: str, problems: _Problems) -> None:
    for key in raw:
        if key not in allowed:
            problems.add(path, "unknown_key", f"未知的键 {key!r}（可用：{'、'.join(sorted(allowed))}）")


def _duplicates(codes: list[str], path: str, problems: _Problems) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            problems.add(path, "duplicate", f"{code} 重复")
        seen.add(code)


def _items(raw: Any, path: str, problems: _Problems) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        problems.add(path, "required", "应为非空列表")
        return []
    good = [item for item in raw if isinstance(item, dict)]
    if len(good) != len(raw):
        problems.add(path, "type", "每一项都应为映射")
    return good


def _text(raw: dict, key: str, path: str, problems: _Problems, *, code: str = "required") -> str:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.add(f"{path}.{key}", code, "必填，不能为空")
        return ""
    if not isinstance(value, str):
        problems.add(f"{path}.{key}", "type", "应为文本")
        return ""
    return "".join(line.strip() for line in value.splitlines())  # Chinese text: a line break adds nothing


def _strings(raw: dict, key: str, path: str, problems: _Problems) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(f"{path}.{key}", "required", "应为非空的文本列表")
        return ()
    return tuple(v.strip() for v in value)


def _choice(raw: dict, key: str, allowed: tuple[str, ...], path: str, problems: _Problems) -> str:
    value = raw.get(key)
    if value not in allowed:
        problems.add(f"{path}.{key}", "choice", f"{value!r} 无效（可用：{'、'.join(allowed)}）")
        return ""
    return value


def _matters(raw: Any, problems: _Problems) -> list[MatterSpec]:
    out = []
    for i, item in enumerate(_items(raw, "matters", problems)):
        path = f"matters[{item.get('code', i)}]"
        _unknown_keys(item, _MATTER_KEYS, path, problems)
        out.append(MatterSpec(_text(item, "code", path, problems), _text(item, "name", path, problems)))
    return out


def _memoranda(raw: Any, problems: _Problems) -> list[MemorandumSpec]:
    return [_memorandum(item, i, problems) for i, item in enumerate(_items(raw, "memoranda", problems))]


def _memorandum(item: dict, i: int, problems: _Problems) -> MemorandumSpec:
    path = f"memoranda[{item.get('code', i)}]"
    _unknown_keys(item, _MEMO_KEYS, path, problems)
    signed_on = item.get("signed_on")
    if not isinstance(signed_on, dt.date) or isinstance(signed_on, dt.datetime):
        problems.add(f"{path}.signed_on", "type", "应为日期（YYYY-MM-DD）")
        signed_on = dt.date(1970, 1, 1)
    days = item.get("feedback_working_days", 10)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
        problems.add(f"{path}.feedback_working_days", "range", "应为 1–60 之间的整数")
        days = 10
    active = item.get("active", True)
    if not isinstance(active, bool):
        problems.add(f"{path}.active", "type", "应为 true 或 false")
    document_no = item.get("document_no", "")
    if not isinstance(document_no, str):
        problems.add(f"{path}.document_no", "type", "应为文本")
        document_no = ""
    measures = tuple(
        _measure(m, j, path, problems)
        for j, m in enumerate(_items(item.get("measures"), f"{path}.measures", problems))
    )
    return MemorandumSpec(
        code=_text(item, "code", path, problems),
        title=_text(item, "title", path, problems),
        document_no=document_no.strip(),
        signed_on=signed_on,
        signing_units=_strings(item, "signing_units", path, problems),
        list_types=_strings(item, "list_types", path, problems),
        feedback_working_days=days,
        active=active is not False,
        measures=measures,
    )


def _measure(item: dict, j: int, memo_path: str, problems: _Problems) -> MeasureSpec:
    code = item.get("code", j)
    path = f"{memo_path}.measures[{code}]"
    _unknown_keys(item, _MEASURE_KEYS, path, problems)
    if not str(item.get("legal_basis") or "").strip():
        problems.add(
            f"{path}.legal_basis",
            LEGAL_BASIS_REQUIRED,
            f"措施 {code} 缺少法律依据：措施必须来自法律法规或全国措施清单",
        )
        legal_basis = ""
    else:
        legal_basis = _text(item, "legal_basis", path, problems)
    return MeasureSpec(
        code=_text(item, "code", path, problems),
        kind=_choice(item, "kind", KINDS, path, problems),
        strength=_choice(item, "strength", STRENGTHS, path, problems),
        text=_text(item, "text", path, problems),
        legal_basis=legal_basis,
        implementing_units=_strings(item, "implementing_units", path, problems),
        matters=_strings(item, "matters", path, problems),
    )
