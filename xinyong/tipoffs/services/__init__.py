"""Writes of the tipoffs app (失信行为举报), one service per step.

filing.py    tipoff_file and the routing to the competent unit (tipoff_route_unit)
handling.py  accept / refuse / route / investigate / conclude / reward / close
machine.py   the report machine for audit/transitions.py (lock, TRANSITIONS, history, audit) and who may act
"""

from xinyong.tipoffs.services.filing import CREDIT_OFFICE_UNIT, tipoff_file, tipoff_route_unit
from xinyong.tipoffs.services.handling import (
    tipoff_accept,
    tipoff_close,
    tipoff_conclude,
    tipoff_investigate,
    tipoff_refuse,
    tipoff_reward,
    tipoff_route,
)

__all__ = [
    "CREDIT_OFFICE_UNIT",
    "tipoff_accept",
    "tipoff_close",
    "tipoff_conclude",
    "tipoff_file",
    "tipoff_investigate",
    "tipoff_refuse",
    "tipoff_reward",
    "tipoff_route",
    "tipoff_route_unit",
]
