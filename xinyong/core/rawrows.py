"""Model instances from the columns of a raw SQL row, with the converters the ORM itself would apply
(ADR 0022: raw SQL where the ORM's query building is the cost, inside the app that owns the tables).

`ModelReader(Model)` lists the model's concrete columns for a `SELECT` under a table alias and builds
the instance from the matching slice of a row, exactly as a queryset would (`Model.from_db`), so callers
get the same objects, only without the ORM compiling the query on every request (issue 18).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection


class ModelReader:
    """The concrete fields of one model, in order, with their database converters per vendor."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self._converters: dict[str, list[tuple[Any, list]]] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def columns(self, alias: str) -> str:
        """`alias."col", …` for a SELECT list, in the order `instance` expects."""
        return ", ".join(f'{alias}."{f.column}"' for f in self.fields)

    def _for_vendor(self) -> list[tuple[Any, list]]:
        found = self._converters.get(connection.vendor)
        if found is None:
            table = self.model._meta.db_table
            found = []
            for field in self.fields:
                col = field.get_col(table)
                converters = [*connection.ops.get_db_converters(col), *field.get_db_converters(connection)]
                found.append((col, converters))
            self._converters[connection.vendor] = found
        return found

    def instance(self, values: Sequence[Any]) -> Any:
        """The model instance of these column values (None for an all-NULL slice of an outer join)."""
        if values[0] is None:
            return None
        out = []
        for (col, converters), value in zip(self._for_vendor(), values, strict=True):
            for convert in converters:
                value = convert(value, col, connection)
            out.append(value)
        return self.model.from_db(connection.alias, None, out)
