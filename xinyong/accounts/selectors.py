"""Reads of units and accounts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from xinyong.accounts.models import Unit, UnitGroup, UnitName
from xinyong.core.errors import NotFound


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


def unit_names() -> dict[str, str]:
    """Every unit's current name by code, for reads that name many units at once (timeliness, query log)."""
    return dict(Unit.objects.values_list("code", "name"))
