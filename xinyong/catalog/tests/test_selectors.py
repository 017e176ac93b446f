"""Which rule applied on a date; publication windows under the 2019, 2023 and 2026 rules (shipped rules.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.catalog.selectors import publication_window, rule_in_force, rules_in_force
from xinyong.catalog.services import rules_load
from xinyong.core.errors import DomainError

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def shipped_rules(db, actor, now):
    rules_load(actor=actor, now=now)


@pytest.mark.parametrize(
    ("on", "effective_from", "minimum"),
    [
        ("2019-07-01", "2019-07-01", {"amount": 6, "unit": "months"}),
        ("2023-04-30", "2019-07-01", {"amount": 6, "unit": "months"}),
        ("2023-05-01", "2023-05-01", {"amount": 1, "unit": "years"}),
        ("2026-03-31", "2023-05-01", {"amount": 1, "unit": "years"}),
        ("2026-04-01", "2026-04-01", {"amount": 1, "unit": "years"}),
        ("2030-01-01", "2026-04-01", {"amount": 1, "unit": "years"}),
    ],
)
def test_rule_in_force_at_the_version_boundaries(on, effective_from, minimum):
    rule = rule_in_force(key="publication.penalty.serious", on=D(on))
    assert (rule.effective_from.isoformat(), rule.values["min"]) == (effective_from, minimum)


def test_no_rule_before_the_first_version():
    with pytest.raises(DomainError) as caught:
        rule_in_force(key="publication.penalty.serious", on=D("2019-06-30"))
    assert (caught.value.code, caught.value.message) == (
        "rule.none",
        "2019-06-30 时规则 publication.penalty.serious 尚无生效的版本",
    )


def test_unknown_rule_key_is_rule_none():
    with pytest.raises(DomainError) as caught:
        rule_in_force(key="publication.nothing", on=D("2026-04-01"))
    assert caught.value.code == "rule.none"


def test_rules_in_force_leaves_out_keys_not_yet_in_force():
    assert [(r.key, r.effective_from.isoformat()) for r in rules_in_force(on=D("2019-01-01"))] == [
        ("deadline.shuanggongshi", "2015-06-24"),
        ("retention.negative_personal", "2013-03-15"),
    ]
    assert len(rules_in_force(on=D("2026-04-01"))) == 16


@pytest.mark.parametrize(
    ("severity", "decided", "window"),
    [
        # 2019 rules (527号): general 3 months–1 year, serious 6 months–3 years, minor as general.
        ("general", "2023-04-30", ("2023-07-30", "2024-04-30")),
        ("serious", "2023-04-30", ("2023-10-30", "2026-04-30")),
        ("minor", "2023-04-30", ("2023-07-30", "2024-04-30")),
        ("serious", "2022-08-31", ("2023-02-28", "2025-08-31")),  # month-end clamping
        ("serious", "2019-07-01", ("2020-01-01", "2022-07-01")),
        # 2023 rules (Order No. 58): general 3 months–1 year, serious 1–3 years.
        ("general", "2023-05-01", ("2023-08-01", "2024-05-01")),
        ("serious", "2023-05-01", ("2024-05-01", "2026-05-01")),
        ("general", "2026-03-31", ("2026-06-30", "2027-03-31")),
        ("serious", "2024-02-29", ("2025-02-28", "2027-02-28")),  # leap day
        # 2026 rules: general 3 months–1 year, serious 1–3 years.
        ("general", "2026-04-01", ("2026-07-01", "2027-04-01")),
        ("serious", "2026-04-01", ("2027-04-01", "2029-04-01")),
        ("general", "2026-11-30", ("2027-02-28", "2027-11-30")),  # month-end clamping
        ("serious", "2028-02-29", ("2029-02-28", "2031-02-28")),  # leap day
    ],
)
def test_publication_window(severity, decided, window):
    start, end = publication_window(severity=severity, decision_date=D(decided))
    assert (start.isoformat(), end.isoformat()) == window


@pytest.mark.parametrize("decided", ["2023-05-01", "2026-03-31", "2026-04-01"])
def test_minor_penalties_are_not_published_from_2023_05_01(decided):
    assert publication_window(severity="minor", decision_date=D(decided)) is None


def test_publication_window_before_the_first_rule_is_rule_none():
    with pytest.raises(DomainError) as caught:
        publication_window(severity="general", decision_date=D("2019-06-30"))
    assert caught.value.code == "rule.none"


def test_unknown_severity_is_refused():
    with pytest.raises(DomainError) as caught:
        publication_window(severity="grave", decision_date=D("2026-04-01"))
    assert (caught.value.code, caught.value.message) == (
        "rule.severity_invalid",
        "未知的严重程度：grave（可选：minor、general、serious）",
    )
