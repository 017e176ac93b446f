"""The district government integrity scorecard (data/scorecard.yaml, ADR 0037): versions by effective date,
parsed strictly (core/yamlstrict.py). Each version is a card of kind `govintegrity` scored by the evaluation
engine (evaluation/scorecard.py, scoring.py): part (a) is one indicator worth `records.max_points`, scored
linearly on the share of them deducted (scoring.py counts the deductions), and each (b) indicator scores its
points × the linear share between zero_at and full_at. No Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from xinyong.catalog.vocabulary import SEVERITIES
from xinyong.core.yamlstrict import StrictYamlError, yaml_mapping_strict
from xinyong.evaluation import scorecard as engine

SCORECARD_FILE = Path(__file__).resolve().parent / "data" / "scorecard.yaml"
_VERSION_KEYS = {"version", "effective_from", "source", "records", "indicators", "levels"}
_INDICATOR_KEYS = {"code", "name", "points", "full_at", "zero_at"}
KIND, RECORDS = "govintegrity", "(a) 政务失信"  # the engine's card kind; the code of its indicator of (a)


class ScorecardError(ValueError):
    """The scorecard file is not one we accept (the message says where, in Chinese)."""


@dataclass(frozen=True)
class Deductions:
    new: dict[str, Decimal]
    current: dict[str, Decimal]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    points: Decimal
    full_at: Decimal
    zero_at: Decimal

    def engine(self) -> engine.Indicator:
        return engine.linear_indicator(self.code, self.name, self.points, self.full_at, self.zero_at)


@dataclass(frozen=True)
class Scorecard:
    """One version: `card` is what the engine scores (indicators[0] is (a), the others (b); levels at the rate
    × 100, its total), `categories` what (a) deducts."""

    card: engine.Scorecard
    categories: dict[str, Deductions]
    indicators: tuple[Indicator, ...]

    version = property(lambda self: self.card.version)
    effective_from = property(lambda self: self.card.effective_from)


def _dec(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScorecardError(f"{where} 须为数值")
    number = Decimal(str(value))
    if number < 0:
        raise ScorecardError(f"{where} 不得为负数")
    return number


def _keys(node: Any, allowed: set[str], where: str) -> dict:
    if not isinstance(node, dict) or set(node) != allowed:
        raise ScorecardError(f"{where} 须恰好含有键 {sorted(allowed)}")
    return node


def _tiers(node: Any, where: str) -> dict[str, Decimal]:
    if not isinstance(node, dict) or not set(node) <= set(SEVERITIES):
        raise ScorecardError(f"{where} 的严重程度只能是 {'/'.join(SEVERITIES)}")
    return {tier: _dec(points, f"{where}.{tier}") for tier, points in node.items()}


def _indicator(node: Any, where: str) -> Indicator:
    node = _keys(node, _INDICATOR_KEYS, where)
    full, zero = _dec(node["full_at"], f"{where}.full_at"), _dec(node["zero_at"], f"{where}.zero_at")
    if full <= zero:
        raise ScorecardError(f"{where}：full_at 须大于 zero_at")
    return Indicator(
        str(node["code"]), str(node["name"]), _dec(node["points"], f"{where}.points"), full, zero
    )


def _levels(node: Any, where: str) -> tuple[engine.Level, ...]:
    levels = tuple(engine.Level(str(n["level"]), str(n["level"]), _dec(n["min"], f"{where}.min") * 100)
                   for n in node or [])  # fmt: skip
    minima = [level.min for level in levels]
    if not levels or minima != sorted(minima, reverse=True) or minima[-1] != 0:
        raise ScorecardError(f"{where} 须按下限从高到低排列，最后一档下限为 0")
    return levels


def _version(node: Any, index: int) -> Scorecard:
    where = f"versions[{index}]"
    node = _keys(node, _VERSION_KEYS, where)
    records = _keys(node["records"], {"max_points", "categories"}, f"{where}.records")
    categories = {
        code: Deductions(
            _tiers(d.get("new"), f"{where}.{code}.new"), _tiers(d.get("current"), f"{where}.{code}.current")
        )
        for code, d in (records["categories"] or {}).items()
    }
    if not isinstance(node["effective_from"], dt.date):
        raise ScorecardError(f"{where}.effective_from 须为日期")
    records_max = _dec(records["max_points"], f"{where}.records.max_points")
    part_a = engine.deduction_indicator(RECORDS, "政务失信记录", records_max)
    indicators = tuple(_indicator(n, f"{where}.indicators[{i}]") for i, n in enumerate(node["indicators"]))
    card = engine.Scorecard(
        kind=KIND, version=str(node["version"]), effective_from=node["effective_from"],
        title=str(node["source"]), unit_types=(), empty_denominator="not_counted",
        levels=_levels(node["levels"], f"{where}.levels"),
        indicators=(part_a, *(i.engine() for i in indicators)),
    )  # fmt: skip
    return Scorecard(card, categories, indicators)


def scorecards_parse(text: str) -> tuple[Scorecard, ...]:
    """Every version of the file, oldest first; ScorecardError when anything is off."""
    try:
        raw = yaml_mapping_strict(text)
    except StrictYamlError as exc:
        raise ScorecardError(f"计分卡文件{exc}") from exc
    versions = tuple(_version(node, i) for i, node in enumerate(raw.get("versions") or []))
    dates = [v.effective_from for v in versions]
    if not versions or dates != sorted(set(dates)):
        raise ScorecardError("versions 须按 effective_from 从早到晚排列且日期不重复")
    if len({v.version for v in versions}) != len(versions):
        raise ScorecardError("versions 的 version 不得重复")
    return versions


@lru_cache(maxsize=1)
def scorecards() -> tuple[Scorecard, ...]:
    return scorecards_parse(SCORECARD_FILE.read_text(encoding="utf-8"))


def scorecard_on(day: dt.date) -> Scorecard:
    """The version in force on `day` (ScorecardError before the first one)."""
    in_force = [v for v in scorecards() if v.effective_from <= day]
    if not in_force:
        raise ScorecardError(f"{day} 尚无生效的计分卡版本")
    return in_force[-1]
