"""Writes of the remedies app: objections (异议) and credit repair (信用修复), one service per transition.

machine.py     the two machines for audit/transitions.py (lock, tables, history, audit), deadlines, who acts
objections.py  file → accept | refuse → correct | uphold | leave_unresolved → reply; the escalation sweep
conditions.py  what can be repaired and the conditions of repair, each answered with its reason
repairs.py     apply (refused at once unless every condition holds) → check → decide; effects of approval
"""

from xinyong.remedies.services.objections import (
    objection_accept,
    objection_file,
    objection_refuse,
    objection_reply,
    objection_verify,
    objections_escalate,
)
from xinyong.remedies.services.repairs import repair_apply, repair_check, repair_decide, repair_preview

__all__ = [
    "objection_accept",
    "objection_file",
    "objection_refuse",
    "objection_reply",
    "objection_verify",
    "objections_escalate",
    "repair_apply",
    "repair_check",
    "repair_decide",
    "repair_preview",
]
