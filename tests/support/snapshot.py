"""Reference data loaded once per test session, restored per test by bulk insert (CI time, issue 18).

The loaders (units, rules, catalog, calendar, list types, commitment templates) validate YAML and write audit
events: 0.2–0.4 s per test. `restore(key, load)` runs `load` once per session inside a transaction that is
rolled back and keeps what it changed: the rows it added (every model, primary keys included) and the rows it
updated (the audit head). In each later test whose database is in the state of the capture (each added-to
table with the same row count and largest key, each updated row as it was: a few indexed queries) it writes
exactly those rows again; otherwise (another fixture wrote first, a transactional test flushed the
migrations' rows) it runs `load` itself. Either way the test sees what a real load leaves, and nothing is
committed once per session: tests that load reference data themselves still start from an empty database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max


@dataclass
class _Snapshot:
    added: list[tuple[type, list]] = field(default_factory=list)
    # model: (row count, largest key) before the load, for every model it added rows to
    counts: dict[type, tuple[int, object]] = field(default_factory=dict)
    # model, pk, the row before the load, the row after it
    changed: list[tuple[type, object, dict, dict]] = field(default_factory=list)


_SNAPSHOTS: dict[str, _Snapshot] = {}
STATS = {"restored": 0, "loaded": 0}


class _Rollback(Exception):
    pass


def _models() -> list[type]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.parents
    ]


def _rows(model) -> dict:
    return {
        row["pk"]: row
        for row in model._base_manager.values("pk", *[f.attname for f in model._meta.concrete_fields])
    }


def _capture(load: Callable[[], None]) -> _Snapshot | None:
    """What `load` changes, read inside a transaction that is then rolled back; None if it would not be
    repeatable (rows removed)."""
    snapshot: _Snapshot | None = _Snapshot()
    try:
        with transaction.atomic():
            before = {m: _rows(m) for m in _models()}
            load()
            for model, old in before.items():
                new = _rows(model)
                added = [pk for pk in new if pk not in old]
                if set(old) - set(new):
                    snapshot = None
                    break
                if added:
                    snapshot.counts[model] = (len(old), max(old, default=None))
                    objs = {o.pk: o for o in model._base_manager.filter(pk__in=added)}
                    snapshot.added.append((model, [objs[pk] for pk in sorted(added)]))
                for pk, row in old.items():
                    if new[pk] != row:
                        snapshot.changed.append((model, pk, row, new[pk]))
            raise _Rollback
    except _Rollback:
        pass
    return snapshot


def _same_state(snapshot: _Snapshot) -> bool:
    for model, (count, largest) in snapshot.counts.items():
        now = model._base_manager.aggregate(n=Count("pk"), top=Max("pk"))
        if (now["n"], now["top"]) != (count, largest):
            return False
    for model, pk, before, _ in snapshot.changed:
        if _rows_of(model, pk) != before:
            return False
    return True


def _rows_of(model, pk) -> dict | None:
    return (
        model._base_manager.filter(pk=pk)
        .values("pk", *[f.attname for f in model._meta.concrete_fields])
        .first()
    )


def restore(key: str, load: Callable[[], None]) -> None:
    """Leave the test's database as `load` would (captured once per session under `key`)."""
    if key not in _SNAPSHOTS:
        snapshot = _capture(load)
        if snapshot is None:
            load()
            STATS["loaded"] += 1
            return
        _SNAPSHOTS[key] = snapshot
    snapshot = _SNAPSHOTS[key]
    with transaction.atomic():  # deferred foreign keys: checked once, at the end (transactional tests too)
        if not _same_state(snapshot):
            load()
            STATS["loaded"] += 1
            return
        for model, rows in snapshot.added:
            model._base_manager.bulk_create(rows, batch_size=500)
        for model, pk, _, after in snapshot.changed:
            model._base_manager.filter(pk=pk).update(**{k: v for k, v in after.items() if k != "pk"})
        statements = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in snapshot.added])
        if statements:  # PostgreSQL; [] on SQLite (its AUTOINCREMENT follows explicit keys)
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        STATS["restored"] += 1
