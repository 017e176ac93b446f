"""The scorecard file (evaluation/data/scorecards.yaml) read strictly, and the scoring arithmetic (ADR 0036):
linear and banded shares, empty denominators left out with the weights re-normalised, ties sharing a rank."""

import datetime as dt
from decimal import Decimal

import pytest

from xinyong.accounts.models import UnitType
from xinyong.core.errors import DomainError
from xinyong.evaluation.scorecard import DEFAULT_PATH, scorecard_from_document, scorecards_parse
from xinyong.evaluation.scoring import EntityScore, Figure, entity_score, ranked

TYPES = tuple(UnitType.values)


def _cards():
    return {c.kind: c for c in scorecards_parse(DEFAULT_PATH.read_text(encoding="utf-8"), unit_types=TYPES)}


def test_the_packaged_file_has_a_unit_and_a_district_scorecard_whose_weights_make_100():
    cards = _cards()
    assert sorted(cards) == ["district", "unit"]
    unit = cards["unit"]
    assert unit.version == "2026.1" and unit.effective_from == dt.date(2026, 1, 1)
    assert [i.code for i in unit.indicators] == [
        "publicity_on_time", "catalog_completeness", "rows_rejected", "feedback_on_time",
        "objections_on_time", "repairs_on_time", "plan_reports_on_time",
    ]  # fmt: skip
    assert sum(i.weight for i in unit.indicators) == 100
    assert unit.indicators[2].direction == "lower"  # 退回率: full marks at ≤ 2 %
    assert [lv.name for lv in unit.levels] == ["优秀", "良好", "合格", "不合格"]


def test_a_stored_document_reads_back_as_the_same_scorecard():
    for card in _cards().values():
        assert scorecard_from_document(card.as_document()) == card


def _text(indicator_extra: str = "", weight: int = 100) -> str:
    return f"""
scorecards:
  - kind: unit
    version: "t1"
    effective_from: 2026-01-01
    title: 测试
    unit_types: [municipal_department]
    empty_denominator: not_counted
    levels: [{{code: A, name: 优, min: 50}}, {{code: B, name: 差, min: 0}}]
    indicators:
      - code: a
        metric: publicity_on_time
        name: 甲
        kind: rate
        weight: {weight}
        scoring: {{linear: {{full_at: 0.9, zero_at: 0.5}}}}
{indicator_extra}"""


def test_every_problem_of_a_bad_file_is_refused_with_its_path():
    bad = (
        _text(weight=90)
        .replace("kind: rate", "kind: ratio")
        .replace("unit_types: [municipal_department]", "unit_types: [nowhere]")
    )
    with pytest.raises(DomainError) as refused:
        scorecards_parse(bad + "    surprise: 1\n", unit_types=TYPES)
    fields = [e["field"] for e in refused.value.errors]
    assert fields == [
        "scorecards[0].surprise",
        "scorecards[0].indicators[0].kind",
        "scorecards[0].unit_types",
    ]
    assert refused.value.code == "scorecards.invalid"
    with pytest.raises(DomainError) as refused:
        scorecards_parse(_text(weight=90), unit_types=TYPES)
    assert refused.value.errors[0]["message"] == "scorecards[0].indicators：权重合计应为 100，实为 90"


def test_linear_share_is_exact_between_the_lines_and_clamped_outside():
    card = scorecards_parse(_text(), unit_types=TYPES)[0]

    def points(n, d):  # noqa: E306
        return entity_score(card, "u", {"publicity_on_time": Figure(Decimal(n), Decimal(d))}).scores[0].points

    # (0.7 − 0.5) / (0.9 − 0.5) = 0.5 → 50.00; 2/3: (2/3 − 1/2) / 0.4 = 5/12 → 41.666… → 41.67
    assert [points(7, 10), points(2, 3), points(19, 20), points(1, 2), points(0, 5)] == [
        Decimal("50.00"), Decimal("41.67"), Decimal("100.00"), Decimal("0.00"), Decimal("0.00"),
    ]  # fmt: skip


def test_an_empty_denominator_is_not_counted_and_the_other_weights_are_renormalised():
    card = _cards()["unit"]
    figures = {
        "publicity_on_time": Figure(Decimal(95), Decimal(100)),  # full: 20
        "rows_rejected": Figure(Decimal(11), Decimal(100)),  # (0.20 − 0.11) / 0.18 = 0.5 → 7.50
        "feedback_on_time": Figure(Decimal(0), Decimal(0)),  # empty denominator: not counted
    }
    score = entity_score(card, "u", figures)
    assert [s.points for s in score.scores] == [
        Decimal("20.00"),
        None,
        Decimal("7.50"),
        None,
        None,
        None,
        None,
    ]
    assert score.counted_weight == Decimal(35)
    assert score.total == Decimal("78.57")  # 27.50 × 100 / 35 = 78.571…
    assert score.level is not None and score.level.name == "良好"


def test_equal_totals_share_a_rank_listed_by_code_and_units_without_data_come_last():
    def s(code, total):  # noqa: E306
        return EntityScore(code, (), None if total is None else Decimal(total), Decimal(100), None)

    out = ranked([s("c", "80"), s("b", "90"), s("z", None), s("a", "80"), s("d", "70")])
    assert [(x.code, x.rank) for x in out] == [("b", 1), ("a", 2), ("c", 2), ("d", 4), ("z", None)]
