"""Who sees which government bodies (ADR 0037): the credit office (市信用办: reviewer, admin, auditor) sees
every district and the city level; a district government's officer sees the bodies of its own district only;
any other officer is refused."""

from __future__ import annotations

from dataclasses import dataclass

from xinyong.accounts.models import UnitType
from xinyong.accounts.roles import CREDIT_OFFICE
from xinyong.accounts.selectors import unit_by_code
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied


@dataclass(frozen=True)
class Scope:
    district: str | None  # None: every district and the city level; a code: that district only

    @property
    def everything(self) -> bool:
        return self.district is None


def govintegrity_scope(*, actor: Actor) -> Scope:
    """The actor's scope; `govintegrity.forbidden` (403) for an officer who is neither."""
    if actor.has_role(*CREDIT_OFFICE):
        return Scope(district=None)
    unit = unit_by_code(code=actor.unit_code) if actor.unit_code else None
    if unit is not None and unit.type == UnitType.DISTRICT_GOVERNMENT:
        return Scope(district=unit.code)
    raise PermissionDenied(
        "govintegrity.forbidden", "政务诚信监测和区政府政务诚信评价仅向市信用办和各区政府开放"
    )
