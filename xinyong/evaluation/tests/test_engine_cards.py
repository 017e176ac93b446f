"""The engine as another app's card kind uses it (the district government integrity card, ADR 0037): a card
built in code, a deduction part, the total as rate × 100 and ranking by a key (total, then points)."""

import datetime as dt
from decimal import Decimal as D

from xinyong.evaluation.scorecard import Level, Scorecard, deduction_indicator, linear_indicator
from xinyong.evaluation.scoring import Figure, entity_score, ranked

CARD = Scorecard(
    kind="govintegrity", version="t", effective_from=dt.date(2026, 1, 1), title="测试", unit_types=(),
    empty_denominator="not_counted", levels=(Level("优", "优", D(90)), Level("差", "差", D(0))),
    indicators=(deduction_indicator("a", "扣分", D(60)), linear_indicator("b", "乙", D(40), D(1), D(0))),
)  # fmt: skip


def _score(code, deducted, b=None):
    figures = {"a": Figure(D(deducted), D(60))} | ({"b": Figure(D(b), D(1))} if b is not None else {})
    return entity_score(CARD, code, figures)


def test_a_deduction_part_earns_its_weight_less_the_deductions_never_below_zero():
    assert [_score("x", d).scores[0].points for d in ("0", "22", "59.5", "60", "75")] == [
        D("60.00"), D("38.00"), D("0.50"), D("0.00"), D("0.00"),
    ]  # fmt: skip
    # (b) missing leaves the maximum: 38 of 60 → 63.33; with (b) 0.45 of 40 = 18: 56 of 100
    assert (_score("x", "22").total, _score("x", "22").counted_weight) == (D("63.33"), D(60))
    assert (_score("x", "22", "0.45").total, _score("x", "22", "0.45").points) == (D("56.00"), D("56.00"))


def test_ranking_by_total_then_points_shares_a_rank_only_when_both_are_equal():
    scores = [_score("c", "0"), _score("a", "0"), _score("b", "0", "1"), _score("d", "30", "1")]
    out = ranked(scores, key=lambda s: (s.total, s.points))
    assert [(s.code, s.total, s.points, s.rank) for s in out] == [
        ("b", D("100.00"), D("100.00"), 1),
        ("a", D("100.00"), D("60.00"), 2),
        ("c", D("100.00"), D("60.00"), 2),
        ("d", D("70.00"), D("70.00"), 4),
    ]
