"""Reads of units and accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xinyong.accounts.models import Unit, UnitGroup, UnitName, UnitType, User
from xinyong.core.errors import NotFound
from xinyong.core.roundtrips import Read


def unit_get(*, name_or_code: str) -> Unit:
    """A unit by code, canonical name or any alias (北京市通信管理局 = 市通信管理局)."""
    key = name_or_code.strip()
    unit = Unit.objects.filter(Q(code=key) | Q(name=key)).first()
    if unit is None:
        alias = UnitName.objects.select_related("unit").filter(name=key).first()
        unit = alias.unit if alias else None
    if unit is None:
        raise NotFound("unit.not_found", f"单位不存在：{key}")
    return unit


def unit_list(*, type: str | None = None, role: str | None = None) -> QuerySet[Unit]:
    units = Unit.objects.filter(active=True).prefetch_related("names").order_by("code")
    if type:
        units = units.filter(type=type)
    if role:
        units = [u for u in units if role in u.roles]  # roles is a short JSON list; portable across DBs
    return units


def unit_group_list() -> QuerySet[UnitGroup]:
    return UnitGroup.objects.prefetch_related("members").order_by("code")


def unit_name_on(unit: Unit, *, on: dt.date, full: bool = True) -> str:
    """The unit's name in force on `on` (名称沿革, accounts/data/units.yaml `names`): a document issued on
    D names its unit as it was named on D — a 2018-06 notice of the market regulator is signed
    北京市工商行政管理局, a 2019 one 北京市市场监督管理局 (the 2018 institutional reform). `full` picks
    the full name (letters, signatures) or the short one (市市场监管局, tables). A unit merged away
    (市质监局, 市地税局) is named by its successor after its last day; a unit without a dated history
    answers its registry names."""
    seen: set[int] = set()
    while True:
        periods = list(unit.name_periods.all())
        for period in periods:
            if (period.valid_from is None or period.valid_from <= on) and (
                period.valid_to is None or on <= period.valid_to
            ):
                return period.full_name if full else period.name
        ended = bool(periods) and all(p.valid_to is not None and p.valid_to < on for p in periods)
        if not (ended and unit.successor_id) or unit.pk in seen:
            return (unit.full_name or unit.name) if full else unit.name
        seen.add(unit.pk)
        unit = unit.successor


def unit_by_code(*, code: str, active_only: bool = False) -> Unit | None:
    """The unit with that code (an active one with `active_only`), None when there is none."""
    units = Unit.objects.filter(code=code, active=True) if active_only else Unit.objects.filter(code=code)
    return units.first()


def unit_list_all() -> QuerySet[Unit]:
    """Every unit, active or not, by code."""
    return Unit.objects.order_by("code")


def unit_names_on(*, unit_ids: Iterable[int], on: dt.date, full: bool = True) -> dict[int, str]:
    """Unit id → its name in force on `on` (`unit_name_on`), for these units in two queries."""
    units = Unit.objects.filter(pk__in=set(unit_ids)).prefetch_related("name_periods")
    return {unit.pk: unit_name_on(unit, on=on, full=full) for unit in units}


def user_get(*, user_id: int) -> User:
    """A user by id (User.DoesNotExist when there is none)."""
    return User.objects.get(pk=user_id)


def admin_user_exists() -> bool:
    """Whether any superuser (an admin of the back office) exists."""
    return User.objects.filter(is_superuser=True).exists()


@dataclass(frozen=True)
class UnitRef:
    """A unit as an answer names it (a check's): id, code and name."""

    id: int
    code: str
    name: str


def unit_active_ref_read(*, code: str) -> Read[UnitRef | None]:
    """The active unit with this code (None when unknown or inactive), in one indexed query, as a read to run
    with others (core.roundtrips): raw on purpose, the check's hot path (docs/performance.md), sent with its
    subjects' lookup when its caller has not just read the unit (issue 18)."""
    return Read.one(_UNIT_ACTIVE, [code], decode=lambda rows: _active_ref(code, rows))


_UNIT_ACTIVE = "SELECT id, name, active FROM accounts_unit WHERE code = %s"


def _active_ref(code: str, rows: list[tuple]) -> UnitRef | None:
    return UnitRef(rows[0][0], code, rows[0][1]) if rows and rows[0][2] else None


def unit_ids_by_name() -> dict[str, int]:
    """Every unit's code, name and alias (UnitName) → its id: how a loader resolves the units a file names."""
    units = list(Unit.objects.values_list("code", "name", "id"))
    found = {code: pk for code, _, pk in units} | {name: pk for _, name, pk in units}
    return found | dict(UnitName.objects.values_list("name", "unit_id"))


def unit_group_members() -> dict[str, tuple[bool, tuple[int, ...]]]:
    """Every group's name, code and alias → (open membership, its member unit ids in id order)."""
    groups: dict[str, tuple[bool, tuple[int, ...]]] = {}
    for g in UnitGroup.objects.prefetch_related("members"):
        members = (g.open_membership, tuple(sorted(m.pk for m in g.members.all())))
        for name in (g.name, g.code, *g.aliases):
            groups[name] = members
    return groups


def units_active(*, ids: Iterable[int], municipal_departments: bool = False) -> list[Unit]:
    """The active units among `ids` (and, if asked, every active municipal department), in code order."""
    wanted = Q(pk__in=list(ids))
    if municipal_departments:
        wanted |= Q(type=UnitType.MUNICIPAL_DEPARTMENT)
    return list(Unit.objects.filter(wanted, active=True).order_by("code"))


def unit_names_by_id(ids: Iterable[int]) -> dict[int, str]:
    """Unit id → its (current) name."""
    return dict(Unit.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def unit_names() -> dict[str, str]:
    """Every unit's current name by code, for reads that name many units at once (timeliness, query log)."""
    return dict(Unit.objects.values_list("code", "name"))


def unit_ids_named(*, names: Iterable[str]) -> dict[str, int]:
    """These names → their unit's id, through every alias (UnitName, canonical name included), then the
    canonical name; codes do not count (a catalog names its providers by name). Unknown names are left out."""
    names = set(names)
    found = dict(UnitName.objects.filter(name__in=names).values_list("name", "unit_id"))
    return found | dict(Unit.objects.filter(name__in=names - set(found)).values_list("name", "pk"))


def unit_and_group_names() -> list[tuple[str, int | None, int | None, str]]:
    """Every name a unit or a group goes by, as (name, unit id, group id, the unit's or group's own name), in
    precedence order: each unit's name and full name (by code), the aliases (UnitName), then each group's
    name and aliases — how the plan loader indexes the responsible units its text names."""
    rows: list[tuple[str, int | None, int | None, str]] = []
    for pk, name, full_name in Unit.objects.values_list("pk", "name", "full_name"):
        rows += [(name, pk, None, name), (full_name, pk, None, name)]
    aliases = UnitName.objects.values_list("name", "unit_id", "unit__name")
    rows += [(alias, unit_id, None, unit_name) for alias, unit_id, unit_name in aliases]
    for pk, name, group_aliases in UnitGroup.objects.values_list("pk", "name", "aliases"):
        rows += [(group_name, None, pk, name) for group_name in (name, *group_aliases)]
    return rows


def units_by_uscc(*, usccs: Iterable[str]) -> dict[str, Unit]:
    """USCC → the unit holding it (`Unit.uscc`), for these codes: a government body subject (机关) links to
    its unit when the unit's registry entry carries the same code (ADR 0037)."""
    wanted = {code for code in usccs if code}
    if not wanted:
        return {}
    return {unit.uscc: unit for unit in Unit.objects.filter(uscc__in=wanted) if unit.uscc}


def district_governments() -> list[Unit]:
    """The district governments (区政府, unit type district_government), in code order: the districts a
    subject's `district` names (ADR 0037)."""
    return list(Unit.objects.filter(type=UnitType.DISTRICT_GOVERNMENT).order_by("code"))
