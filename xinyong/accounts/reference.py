"""Loads the unit registry (accounts/data/units.yaml) into the database, idempotently: a spec over the shared
reference loader (core/reference.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.accounts import unitnames
from xinyong.accounts.models import Unit, UnitGroup, UnitName, UnitNamePeriod
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.reference import AuditNote, Changes, LoadResult, ReferenceSpec, reference_load


@dataclass(kw_only=True)
class UnitsLoadResult(LoadResult):
    """Units and groups in the file, and the codes the load created or changed (`changed`, in file order)."""

    units: int = 0
    groups: int = 0
    order: tuple[str, ...] = ()

    def head(self) -> str:
        return f"单位 {self.units} 个，单位组 {self.groups} 个"

    @property
    def changed(self) -> list[str]:  # type: ignore[override]  # a list, truthy when anything changed
        return list(self.order)


def units_load(*, actor: Actor, now: dt.datetime, path: str | None = None) -> UnitsLoadResult:
    """Upsert every unit, alias and group of the registry; a second run with the same file changes nothing."""
    return reference_load(UNITS, actor=actor, now=now, path=path)


def _write(registry: unitnames.UnitRegistry, changes: Changes) -> UnitsLoadResult:
    for spec in registry.units:
        if how := _upsert_unit(spec):
            changes.add(how, spec.code)
    for spec in registry.units:  # successors are units too: set once every unit exists
        if _sync_history(spec) and spec.code not in changes.touched():
            changes.add("updated", spec.code)
    for group in registry.groups:
        if how := _upsert_group(group):
            changes.add(how, group.code)
    sizes = {"units": len(registry.units), "groups": len(registry.groups)}
    return UnitsLoadResult(**sizes, order=tuple(changes.touched()), **changes.result_fields())


def _audit(registry, result: UnitsLoadResult, changes: Changes) -> AuditNote:
    return AuditNote("units.load", "unit_registry", "units.yaml", {"changed": result.changed})


def _upsert_unit(spec: unitnames.Unit) -> str:
    """How the unit changed (created / updated), "" when it did not."""
    values = {
        "name": spec.name,
        "full_name": spec.full_name,
        "type": spec.type,
        "uscc": spec.uscc,
        "roles": list(spec.roles),
    }
    unit = Unit.objects.filter(code=spec.code).first()
    created = unit is None
    changed = unit is None or any(getattr(unit, k) != v for k, v in values.items())
    if unit is None:
        unit = Unit.objects.create(code=spec.code, **values)
    elif changed:
        for key, value in values.items():
            setattr(unit, key, value)
        unit.save(update_fields=list(values))
    names_changed = _sync_names(unit, set(spec.all_names))
    return "created" if created else ("updated" if changed or names_changed else "")


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


def _upsert_group(spec: unitnames.UnitGroup) -> str:
    """How the group changed (created / updated), "" when it did not."""
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
    return "created" if created else ("updated" if changed else "")


UNITS = ReferenceSpec(name="units", default_path=unitnames.DEFAULT_REGISTRY_PATH,
                      invalid="units.invalid", parse=unitnames.parse_unit_registry, write=_write,
                      audit=_audit, append=audit_append)  # fmt: skip
