"""Who handles a report: officers (and reviewers) of the unit that handles it right now (承办单位). Only they
see the report and the reporter's identity (issue: "visible only to the handling unit")."""

from __future__ import annotations

from xinyong.accounts.roles import CASE_HANDLERS
from xinyong.core.actor import Actor


def is_handler(actor: Actor, tipoff) -> bool:
    unit_code = tipoff.handling_unit.code
    return bool(actor.unit_code) and actor.unit_code == unit_code and actor.has_role(*CASE_HANDLERS)
