"""The scorecards (考核评分表) of unit and district evaluation as data (issue 16; DESIGN principle 3: rules
are data, versioned by the date they took effect): evaluation/data/scorecards.yaml, read strictly (catalog's
yamlcheck: no repeated or unknown keys, typed values, every problem with its path) into frozen `Scorecard`
values. Pure Python, no ORM: `scoring.py` applies a scorecard, `services/scorecards.py` stores each version.

A scorecard: kind (unit | district), version, effective_from, the unit types ranked, the rule for an empty
denominator (`not_counted`: the indicator is left out and the other weights are re-normalised to 100), the
level bands, and the indicators: metric key of the metrics layer, Chinese name, formula kind (`rate` =
numerator / denominator), weight, and scoring — `linear` (full marks at `full_at`, zero at `zero_at`,
linear between; `full_at` > `zero_at` means higher is better) or `bands` (steps of `at` → `share`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xinyong.catalog.yamlcheck import Node, Problems, list_of, load_yaml, open_node

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "scorecards.yaml"
INVALID = "scorecards.invalid"
WHAT = "考核评分表文件"
KINDS = ("unit", "district")
KIND_LABELS = {"unit": "单位", "district": "区"}
FORMULA_KINDS = ("rate",)
EMPTY_RULES = ("not_counted",)
DIRECTIONS = ("higher", "lower")

_CARD_KEYS = ("kind", "version", "effective_from", "title", "unit_types", "empty_denominator", "levels",
              "indicators")  # fmt: skip
_INDICATOR_KEYS = ("code", "metric", "name", "kind", "weight", "scoring")


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    min: Decimal


@dataclass(frozen=True)
class Step:
    at: Decimal
    share: Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    metric: str
    name: str
    kind: str
    weight: Decimal
    method: str  # linear | bands
    direction: str  # higher | lower
    full_at: Decimal | None = None  # linear
    zero_at: Decimal | None = None  # linear
    steps: tuple[Step, ...] = ()  # bands, best first

    def rule_text(self) -> str:
        """The scoring rule in one Chinese line (pages, PDF)."""
        better = "越高越好" if self.direction == "higher" else "越低越好"
        if self.method == "linear":
            full, zero = _pct(self.full_at), _pct(self.zero_at)
            op_full, op_zero = ("≥", "≤") if self.direction == "higher" else ("≤", "≥")
            return f"{better}：{op_full}{full} 得满分，{op_zero}{zero} 得 0 分，其间线性"
        op = "≥" if self.direction == "higher" else "≤"
        steps = "；".join(f"{op}{_pct(s.at)} 得 {_pct(s.share)}" for s in self.steps)
        return f"{better}，分档：{steps}；其余 0 分"


@dataclass(frozen=True)
class Scorecard:
    kind: str
    version: str
    effective_from: dt.date
    title: str
    unit_types: tuple[str, ...]
    empty_denominator: str
    levels: tuple[Level, ...]  # highest first
    indicators: tuple[Indicator, ...]

    def as_document(self) -> dict[str, Any]:
        """The stored form (JSON): what a version was, exactly, when it was loaded."""
        return {
            "kind": self.kind,
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "title": self.title,
            "unit_types": list(self.unit_types),
            "empty_denominator": self.empty_denominator,
            "levels": [{"code": lv.code, "name": lv.name, "min": str(lv.min)} for lv in self.levels],
            "indicators": [_indicator_document(i) for i in self.indicators],
        }


def linear_indicator(code: str, name: str, weight: Decimal, full_at: Decimal, zero_at: Decimal) -> Indicator:
    """An indicator of a card built in code, not read here (the district government integrity card of app
    govintegrity, ADR 0037): its metric is its code; linear between the lines."""
    direction = "higher" if full_at > zero_at else "lower"
    return Indicator(code, code, name, "rate", weight, "linear", direction, full_at, zero_at)


def deduction_indicator(code: str, name: str, weight: Decimal) -> Indicator:
    """A part worth `weight` that deductions take down (扣分制): its figure is the points deducted over
    `weight`, so it earns weight − deductions, never below 0."""
    return linear_indicator(code, name, weight, full_at=Decimal(0), zero_at=Decimal(1))


def _pct(value: Decimal | None) -> str:
    return f"{((value or Decimal(0)) * 100).normalize():f}%"


def _indicator_document(i: Indicator) -> dict[str, Any]:
    doc: dict[str, Any] = {"code": i.code, "metric": i.metric, "name": i.name, "kind": i.kind}
    doc |= {"weight": str(i.weight), "method": i.method, "direction": i.direction}
    if i.method == "linear":
        doc |= {"full_at": str(i.full_at), "zero_at": str(i.zero_at)}
    else:
        doc["steps"] = [{"at": str(s.at), "share": str(s.share)} for s in i.steps]
    return doc


def scorecard_from_document(doc: dict[str, Any]) -> Scorecard:
    """The inverse of `Scorecard.as_document` (a stored version back as a value)."""
    indicators = tuple(
        Indicator(
            code=i["code"],
            metric=i["metric"],
            name=i["name"],
            kind=i["kind"],
            weight=Decimal(i["weight"]),
            method=i["method"],
            direction=i["direction"],
            full_at=Decimal(i["full_at"]) if "full_at" in i else None,
            zero_at=Decimal(i["zero_at"]) if "zero_at" in i else None,
            steps=tuple(Step(Decimal(s["at"]), Decimal(s["share"])) for s in i.get("steps", ())),
        )
        for i in doc["indicators"]
    )
    return Scorecard(
        kind=doc["kind"],
        version=doc["version"],
        effective_from=dt.date.fromisoformat(doc["effective_from"]),
        title=doc["title"],
        unit_types=tuple(doc["unit_types"]),
        empty_denominator=doc["empty_denominator"],
        levels=tuple(Level(lv["code"], lv["name"], Decimal(lv["min"])) for lv in doc["levels"]),
        indicators=indicators,
    )


# ── parsing ────────────────────────────────────────────────────────────────────────────────────────────────


def scorecards_parse(text: str, *, unit_types: tuple[str, ...]) -> list[Scorecard]:
    """Every scorecard of the file, checked whole; refuses (`scorecards.invalid`) listing every problem."""
    raw = load_yaml(text, what=WHAT, code=INVALID)
    problems = Problems(WHAT, code=INVALID)
    top = open_node(raw, "", problems, allowed=("scorecards",), required=("scorecards",))
    cards: list[Scorecard] = []
    if top is not None:
        seen: set[tuple[str, str]] = set()
        for index, item in enumerate(list_of(raw, top, "scorecards")):
            card = _card(item, f"scorecards[{index}]", problems, unit_types)
            if card is None:
                continue
            for key in ((card.kind, card.version), (card.kind, card.effective_from.isoformat())):
                if key in seen:
                    problems.add(
                        f"scorecards[{index}]", "duplicate", f"{key[0]} 的版本或生效日期 {key[1]} 重复"
                    )
                seen.add(key)
            cards.append(card)
    problems.raise_if_any()
    return cards


def _card(item: Any, path: str, problems: Problems, unit_types: tuple[str, ...]) -> Scorecard | None:
    node = open_node(item, path, problems, allowed=_CARD_KEYS, required=_CARD_KEYS)
    if node is None:
        return None
    before = len(problems.items)
    kind = node.choice("kind", KINDS)
    effective_from = node.date("effective_from")
    levels = _levels(item.get("levels"), node)
    indicators = [
        _indicator(raw, f"{node.at('indicators')}[{i}]", problems)
        for i, raw in enumerate(list_of(item, node, "indicators"))
    ]
    codes = [i.code for i in indicators if i is not None]
    if len(set(codes)) != len(codes):
        node.bad("indicators", "duplicate", "指标代码重复")
    total = sum((i.weight for i in indicators if i is not None), Decimal(0))
    if indicators and None not in indicators and total != 100:
        node.bad("indicators", "bad_value", f"权重合计应为 100，实为 {total:g}")
    card = Scorecard(
        kind=kind,
        version=node.text("version"),
        effective_from=effective_from or dt.date.min,
        title=node.text("title"),
        unit_types=node.choice_list("unit_types", unit_types),
        empty_denominator=node.choice("empty_denominator", EMPTY_RULES),
        levels=levels,
        indicators=tuple(i for i in indicators if i is not None),
    )
    return card if len(problems.items) == before else None


def _levels(raw: Any, node: Node) -> tuple[Level, ...]:
    if not isinstance(raw, list) or not raw:
        node.bad("levels", "bad_type", "应为非空列表")
        return ()
    levels: list[Level] = []
    for i, item in enumerate(raw):
        sub = open_node(item, f"{node.at('levels')}[{i}]", node.problems, allowed=("code", "name", "min"),
                        required=("code", "name", "min"))  # fmt: skip
        if sub is not None:
            levels.append(Level(sub.text("code"), sub.text("name"), _number(sub, "min", 0, 100)))
    mins = [lv.min for lv in levels]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins) or (mins and mins[-1] != 0):
        node.bad("levels", "bad_value", "等次应按分数线从高到低排列、互不相同，最后一档为 0")
    return tuple(levels)


def _indicator(raw: Any, path: str, problems: Problems) -> Indicator | None:
    node = open_node(raw, path, problems, allowed=_INDICATOR_KEYS, required=_INDICATOR_KEYS)
    if node is None:
        return None
    before = len(problems.items)
    base: dict[str, Any] = {
        "code": node.text("code"),
        "metric": node.text("metric"),
        "name": node.text("name"),
        "kind": node.choice("kind", FORMULA_KINDS),
        "weight": _number(node, "weight", 0, 100, open_low=True),
    }
    scoring = _scoring(raw.get("scoring"), node)
    if scoring is None or len(problems.items) != before:
        return None
    return Indicator(**base, **scoring)


def _scoring(raw: Any, node: Node) -> dict[str, Any] | None:
    sub = open_node(raw, node.at("scoring"), node.problems, allowed=("linear", "bands"), required=())
    if sub is None:
        return None
    if len(raw) != 1:
        node.bad("scoring", "bad_value", "应恰有 linear 或 bands 之一")
        return None
    if "linear" in raw:
        lin = open_node(raw["linear"], sub.at("linear"), node.problems, allowed=("full_at", "zero_at"),
                        required=("full_at", "zero_at"))  # fmt: skip
        if lin is None:
            return None
        full, zero = _number(lin, "full_at", 0, 1), _number(lin, "zero_at", 0, 1)
        if full == zero:
            lin.bad("zero_at", "bad_value", "满分线与零分线不能相同")
        direction = "higher" if full > zero else "lower"
        return {"method": "linear", "direction": direction, "full_at": full, "zero_at": zero}
    return _bands(raw["bands"], sub.at("bands"), node.problems)


def _bands(raw: Any, path: str, problems: Problems) -> dict[str, Any] | None:
    node = open_node(raw, path, problems, allowed=("direction", "steps"), required=("direction", "steps"))
    if node is None:
        return None
    direction = node.choice("direction", DIRECTIONS)
    steps: list[Step] = []
    for i, item in enumerate(list_of(raw, node, "steps")):
        sub = open_node(
            item, f"{path}.steps[{i}]", problems, allowed=("at", "share"), required=("at", "share")
        )
        if sub is not None:
            steps.append(Step(_number(sub, "at", 0, 1), _number(sub, "share", 0, 1, open_low=True)))
    ats = [s.at for s in steps]
    best_first = sorted(ats, reverse=direction == "higher")
    shares = [s.share for s in steps]
    if ats != best_first or len(set(ats)) != len(ats) or shares != sorted(shares, reverse=True):
        node.bad("steps", "bad_value", "分档应从最好的一档起排列，分数线互不相同，得分比例逐档递减")
    return {"method": "bands", "direction": direction, "steps": tuple(steps)}


def _number(node: Node, key: str, low: int, high: int, *, open_low: bool = False) -> Decimal:
    """A number in [low, high] (or (low, high] with open_low) as an exact Decimal (YAML 0.95 → 0.95)."""
    value = node.raw.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        node.bad(key, "bad_type", "应为数字")
        return Decimal(0)
    number = Decimal(str(value))
    if number < low or number > high or (open_low and number == low):
        node.bad(key, "bad_value", f"应在 {'(' if open_low else '['}{low}, {high}] 之间")
    return number
