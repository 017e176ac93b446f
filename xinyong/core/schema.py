"""Migration steps shared by apps: dropping an index by name (docs/performance.md, ADR 0010).

Django changes an index that belongs to a field (a foreign key's own index) through AlterField, which on
SQLite copies the whole table to change nothing but the index; at millions of rows that is minutes of a
locked database. These steps drop the index by its name instead: Django names a foreign key's index the same
way on SQLite and PostgreSQL, so one name serves both."""

from __future__ import annotations

from django.db import migrations, models


def index_dropped(index: str, table: str, column: str) -> migrations.RunSQL:
    """Drop `index`; going back recreates it on (`column`)."""
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{index}"', reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")'
    )


def foreign_key_index_dropped(
    *, model_name: str, name: str, field: models.ForeignKey, table: str, index: str
) -> migrations.SeparateDatabaseAndState:
    """The foreign key `name` of `model_name` loses its own index: the state takes `field` (db_index=False),
    the database drops `index` by name."""
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=name, field=field)],
        database_operations=[index_dropped(index, table, f"{name}_id")],
    )
