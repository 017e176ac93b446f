"""The session's snapshot of the reference data (tests/support/snapshot.py) leaves the database exactly as a
load does, and a database in another state gets a real load."""

import pytest
from django.db import connection, transaction

from tests.support import snapshot
from tests.support.records import SETUP_AT
from xinyong.accounts.reference import units_load
from xinyong.audit.selectors import audit_chain_verify
from xinyong.catalog.services import catalog_load, rules_load
from xinyong.core.actor import Actor
from xinyong.workdays.services import calendar_load_builtin


def load():
    system = Actor.system()
    units_load(actor=system, now=SETUP_AT)
    rules_load(actor=system, now=SETUP_AT)
    catalog_load(actor=system, now=SETUP_AT)
    calendar_load_builtin(actor=system, now=SETUP_AT, years=[2025])


def dump() -> dict:
    """Every row of every table on SQLite; on PostgreSQL, whose sequences rollbacks do not rewind (keys, and the
    audit events naming them, differ from one load to the next), the number of rows of every table."""
    out = {}
    for model in snapshot._models():
        rows = model._base_manager.order_by("pk")
        out[model._meta.label] = list(rows.values_list()) if connection.vendor == "sqlite" else rows.count()
    return out


class Undo(Exception):
    pass


@pytest.mark.django_db
def test_a_restored_snapshot_equals_a_load():
    with pytest.raises(Undo), transaction.atomic():
        load()
        loaded = dump()
        raise Undo
    before = dict(snapshot.STATS)
    snapshot.restore("test-kit-reference", load)  # captured here, then written
    assert dump() == loaded
    assert snapshot.STATS["restored"] == before["restored"] + 1
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_a_database_in_another_state_gets_a_real_load():
    with pytest.raises(Undo), transaction.atomic():
        snapshot.restore("test-kit-reference", load)  # captured (if no test did before)
        raise Undo
    units_load(actor=Actor.system(), now=SETUP_AT)
    before = dict(snapshot.STATS)
    snapshot.restore("test-kit-reference", load)  # the units table is not empty: the snapshot does not fit
    assert snapshot.STATS["loaded"] == before["loaded"] + 1
