"""Reads of units and accounts."""

from __future__ import annotations

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
