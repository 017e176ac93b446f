"""Loads the unit registry (accounts/data/units.yaml) into the database, idempotently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from xinyong.accounts import unitnames
from xinyong.accounts.models import Unit, UnitGroup, UnitName, UnitNamePeriod
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor


@dataclass
class UnitsLoadResult:
    units: int = 0
    groups: int = 0
    changed: list[str] = field(default_factory=list)


def units_load(*, actor: Actor, now: dt.datetime, path: str | None = None) -> UnitsLoadResult:
    """Upsert every unit, alias and group of the registry; a second run with the same file changes nothing."""
    registry = unitnames.load_unit_registry(path)
    result = UnitsLoadResult(units=len(registry.units), groups=len(registry.groups))
    with transaction.atomic():
        for spec in registry.units:
            if _upsert_unit(spec):
                result.changed.append(spec.code)
        for spec in registry.units:  # successors are units too: set once every unit exists
            if _sync_history(spec):
                if spec.code not in result.changed:
                    result.changed.append(spec.code)
        for group in registry.groups:
            if _upsert_group(group):
                result.changed.append(group.code)
        if result.changed:
            audit_append(
                actor=actor,
                action="units.load",
                target_type="unit_registry",
                target_id="units.yaml",
                now=now,
                payload={"changed": result.changed},
            )
    return result


def _upsert_unit(spec: unitnames.Unit) -> bool:
    values = {
        "name": spec.name,
        "full_name": spec.full_name,
        "type": spec.type,
        "uscc": spec.uscc,
        "roles": list(spec.roles),
    }
    unit = Unit.objects.filter(code=spec.code).first()
    changed = unit is None or any(getattr(unit, k) != v for k, v in values.items())
    if unit is None:
        unit = Unit.objects.create(code=spec.code, **values)
    elif changed:
        for key, value in values.items():
            setattr(unit, key, value)
        unit.save(update_fields=list(values))
    return _sync_names(unit, set(spec.all_names)) or changed


def _sync_names(unit: Unit, wanted: set[str]) -> bool:
    have = set(unit.names.values_list("name", flat=True))
    if have == wanted:
        return False
    unit.names.filter(name__in=have - wanted).delete()
    UnitName.objects.bulk_create([UnitName(unit=unit, name=n) for n in sorted(wanted - have)])
    return True


def _sync_history(spec: unitnames.Unit) -> bool:
    """The unit's dated names (名称沿革) and successor, as the file has them."""
    unit = Unit.objects.get(code=spec.code)
    successor_id = Unit.objects.get(code=spec.successor).pk if spec.successor else None
    wanted = [(p.name, p.full_name, p.valid_from, p.valid_to) for p in spec.names]
    fields = ("name", "full_name", "valid_from", "valid_to")
    have = list(unit.name_periods.order_by("pk").values_list(*fields))  # file order, as written
    changed = unit.successor_id != successor_id or have != wanted
    if unit.successor_id != successor_id:
        unit.successor_id = successor_id
        unit.save(update_fields=["successor"])
    if have != wanted:
        unit.name_periods.all().delete()
        UnitNamePeriod.objects.bulk_create(
            UnitNamePeriod(unit=unit, name=n, full_name=f, valid_from=start, valid_to=end)
            for n, f, start, end in wanted
        )
    return changed


def _upsert_group(spec: unitnames.UnitGroup) -> bool:
    values = {
        "name": spec.name,
        "aliases": list(spec.aliases),
        "open_membership": spec.open_membership,
        "member_types": list(spec.member_types),
    }
    group, created = UnitGroup.objects.get_or_create(code=spec.code, defaults=values)
    changed = created or any(getattr(group, k) != v for k, v in values.items())
    if changed and not created:
        for key, value in values.items():
            setattr(group, key, value)
        group.save(update_fields=list(values))
    wanted = set(spec.members)
    if set(group.members.values_list("code", flat=True)) != wanted:
        group.members.set(Unit.objects.filter(code__in=wanted))
        changed = True
    return changed
