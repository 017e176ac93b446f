"""Constraint tests name the constraint (issue 17): `violates` expects an IntegrityError from one constraint.

The two databases word the refusal differently. PostgreSQL names every constraint ('violates check constraint
"x"', 'violates unique constraint "x"' with 'Key (a, b)=…' in the detail). SQLite names CHECK constraints
('CHECK constraint failed: x') but a UNIQUE one by its columns ('UNIQUE constraint failed: t.a, t.b') or,
for an index on expressions, by the index ('index \\'x\\''). So a named constraint is found by its name or,
when it is a UniqueConstraint over fields, by its table's columns; a field's own `unique=True` (no name
of ours) is given by `columns=`.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint


def _markers(model, name: str | None, columns: tuple[str, ...]) -> list[str]:
    table = model._meta.db_table
    markers = [f'"{name}"', f": {name}", f"'{name}'"] if name else []
    if name and not columns:
        constraint = next((c for c in model._meta.constraints if c.name == name), None)
        assert constraint is not None, f"{model.__name__} has no constraint {name!r}"
        if isinstance(constraint, UniqueConstraint) and constraint.fields:
            columns = tuple(model._meta.get_field(f).column for f in constraint.fields)
    if columns:
        markers.append("UNIQUE constraint failed: " + ", ".join(f"{table}.{c}" for c in columns))
        markers.append(f"Key ({', '.join(columns)})=")
    return markers


@contextmanager
def violates(model, name: str | None = None, *, columns: tuple[str, ...] = ()):
    """The block must fail on `model`'s constraint `name` (or on the unique `columns`), in its own savepoint;
    another constraint failing is an error that says which one did."""
    assert name or columns, "name the constraint or its columns"
    markers = _markers(model, name, columns)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    message = str(caught.value)
    assert any(m in message for m in markers), f"expected {name or columns} to refuse the row, got: {message}"
