"""The measures in force, held per process for the check hot path (应查必查): which measures bind unit U for
matter M when a subject is on list type L.

Cache (the choice, as for the working-day calendar, workdays/selectors.py): one immutable `Rulebook`
per process, built from the active memoranda and measures in four queries. It is dropped
  * at once by `memoranda_load` in this process (`invalidate()`, again on commit), and
  * in other processes by a staleness check: at most once every `STALENESS_CHECK_SECONDS` one query compares
    the newest `MemorandaVersion` (every load that changes something writes one) with the snapshot's.
Another process (a gunicorn worker) therefore sees a reloaded measure list within a few seconds. Tests call
`invalidate()` between tests because each test's database is rolled back underneath the cache.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.db.models import Count, Max

STALENESS_CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class MeasureRule:
    """One active measure of an active memorandum, with what a check answer says about it."""

    id: int
    code: str
    text: str
    kind: str
    strength: str
    legal_basis: str
    memorandum_code: str
    memorandum_title: str
    document_no: str
    feedback_working_days: int
    unit_ids: frozenset[int]
    all_units: bool

    def binds(self, unit_id: int) -> bool:
        return self.all_units or unit_id in self.unit_ids


@dataclass(frozen=True)
class MatterRef:
    id: int
    code: str
    name: str


@dataclass
class Rulebook:
    fingerprint: tuple
    matters: dict[str, MatterRef]  # by code and by name
    # matter id → list type id → the measures binding that matter for subjects on that list (every unit)
    by_matter: dict[int, dict[int, tuple[MeasureRule, ...]]]
    _bound: dict[tuple[int, int], dict[int, tuple[MeasureRule, ...]]] = field(default_factory=dict)

    def matter(self, key: str) -> MatterRef | None:
        """A matter by code or by name (政府采购)."""
        return self.matters.get(key.strip())

    def binding(self, unit_id: int, matter_id: int) -> dict[int, tuple[MeasureRule, ...]]:
        """list type id → the measures that bind this unit for this matter (memoised per unit and matter)."""
        key = (unit_id, matter_id)
        found = self._bound.get(key)
        if found is None:
            found = {}
            for list_type_id, rules in self.by_matter.get(matter_id, {}).items():
                mine = tuple(r for r in rules if r.binds(unit_id))
                if mine:
                    found[list_type_id] = mine
            self._bound[key] = found
        return found


_book: Rulebook | None = None
_checked_at = 0.0
_lock = threading.Lock()


def invalidate() -> None:
    """Drop this process's rulebook; the next check rebuilds it. Called by every memoranda load."""
    global _book, _checked_at
    _book = None
    _checked_at = 0.0


def _fingerprint() -> tuple:
    from xinyong.measures.models import MemorandaVersion

    agg = MemorandaVersion.objects.aggregate(n=Count("id"), last=Max("id"))
    return (agg["n"], agg["last"])


def current() -> Rulebook:
    """The rulebook, re-validated against the database at most every STALENESS_CHECK_SECONDS."""
    global _book, _checked_at
    book = _book
    clock = time.monotonic()
    if book is not None and clock - _checked_at < STALENESS_CHECK_SECONDS:
        return book
    with _lock:
        fingerprint = _fingerprint()
        if _book is None or _book.fingerprint != fingerprint:
            _book = _build(fingerprint)
        _checked_at = clock
        return _book


def _build(fingerprint: tuple) -> Rulebook:
    from xinyong.measures.models import Matter, Measure, Memorandum

    memo_lists: dict[int, list[int]] = {}
    for memo_id, list_type_id in Memorandum.list_types.through.objects.values_list(
        "memorandum_id", "listtype_id"
    ):
        memo_lists.setdefault(memo_id, []).append(list_type_id)
    units: dict[int, set[int]] = {}
    for measure_id, unit_id in Measure.implementing_units.through.objects.values_list(
        "measure_id", "unit_id"
    ):
        units.setdefault(measure_id, set()).add(unit_id)
    matters_of: dict[int, list[int]] = {}
    for measure_id, matter_id in Measure.matters.through.objects.values_list("measure_id", "matter_id"):
        matters_of.setdefault(measure_id, []).append(matter_id)
    by_matter: dict[int, dict[int, list[MeasureRule]]] = {}
    measures = Measure.objects.filter(active=True, memorandum__active=True).select_related("memorandum")
    for m in measures.order_by("code"):
        rule = _rule(m, frozenset(units.get(m.pk, ())))
        for matter_id in matters_of.get(m.pk, ()):
            for list_type_id in memo_lists.get(m.memorandum_id, ()):
                by_matter.setdefault(matter_id, {}).setdefault(list_type_id, []).append(rule)
    matters: dict[str, MatterRef] = {}
    for pk, code, name in Matter.objects.values_list("id", "code", "name"):
        matters[code] = matters[name] = MatterRef(pk, code, name)
    frozen = {mid: {lt: tuple(rules) for lt, rules in by_lt.items()} for mid, by_lt in by_matter.items()}
    return Rulebook(fingerprint=fingerprint, matters=matters, by_matter=frozen)


def _rule(m, unit_ids: frozenset[int]) -> MeasureRule:
    memo = m.memorandum
    return MeasureRule(
        id=m.pk,
        code=m.code,
        text=m.text,
        kind=m.kind,
        strength=m.strength,
        legal_basis=m.legal_basis,
        memorandum_code=memo.code,
        memorandum_title=memo.title,
        document_no=memo.document_no,
        feedback_working_days=memo.feedback_working_days,
        unit_ids=unit_ids,
        all_units=m.implementing_all,
    )
