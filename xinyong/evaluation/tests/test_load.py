"""Scorecard versions are kept: a load stores new versions once (audited), never changes a stored one, and a
month uses the version in force on its first day (ADR 0036)."""

import datetime as dt

import pytest

from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.evaluation.models import Scorecard
from xinyong.evaluation.scorecard import DEFAULT_PATH
from xinyong.evaluation.selectors import scorecard_in_force
from xinyong.evaluation.services import scorecards_load

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
SYSTEM = Actor.system()


def test_loading_twice_stores_each_version_once_and_audits_only_the_first_load():
    first = scorecards_load(actor=SYSTEM, now=NOW)
    again = scorecards_load(actor=SYSTEM, now=NOW)
    assert first.created == ("unit:2026.1", "district:2026.1")
    assert not again.changed and again.audit_seq is None
    assert first.summary() == "考核评分表：新增 2，更新 0，停用 0"
    assert list(AuditEvent.objects.filter(action="scorecards.load").values_list("seq", flat=True)) == [
        first.audit_seq
    ]
    assert Scorecard.objects.count() == 2


def test_a_changed_version_is_refused_and_a_new_version_is_added_beside_the_old(tmp_path):
    scorecards_load(actor=SYSTEM, now=NOW)
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        text.replace("weight: 20\n", "weight: 25\n", 1).replace("weight: 15\n", "weight: 10\n", 1)
    )
    with pytest.raises(DomainError) as refused:
        scorecards_load(actor=SYSTEM, now=NOW, path=changed)
    assert refused.value.code == "scorecards.invalid" and refused.value.status == 409
    added = tmp_path / "added.yaml"
    new_version = (
        text.split("  - kind: district")[0]
        .replace('"2026.1"', '"2027.1"')
        .replace("2026-01-01", "2027-01-01")
    )
    added.write_text(text + new_version.split("scorecards:\n", 1)[1])
    result = scorecards_load(actor=SYSTEM, now=NOW, path=added)
    assert result.created == ("unit:2027.1",)
    assert scorecard_in_force(kind="unit", month=dt.date(2026, 12, 1)).version == "2026.1"
    assert scorecard_in_force(kind="unit", month=dt.date(2027, 1, 1)).version == "2027.1"
    assert scorecard_in_force(kind="unit", month=dt.date(2025, 12, 1)) is None
