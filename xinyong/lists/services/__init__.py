"""Writes of the lists app (名单): the list types as data and the entry lifecycle, one service per transition.

list_types.py  list_types_load — list_types.yaml into the database
machine.py     the entry machine for audit/transitions.py (lock, history, audit), who may act, outbox
proposals.py   propose (and the red-list refusal)
statements.py  the statement period: statements, objections, waivers
entries.py     review → decide → publish; withdraw
exits.py       list_entry_exit, the one exit (officers, repair, expiry sweep, red lists ended by dishonesty)
notices.py     the 告知书 and 决定书 written on approval and decision
objections.py  the objection flag set and cleared by the remedies app

Other apps import from this package only, never from its modules (pyproject.toml, import-linter).
"""

from xinyong.lists.services.entries import (
    list_entry_decide,
    list_entry_publish,
    list_entry_review,
    list_entry_withdraw,
)
from xinyong.lists.services.exits import (
    EXIT_REASONS,
    list_entries_expire,
    list_entry_exit,
    red_entries_end_for_subjects,
)
from xinyong.lists.services.list_types import ListTypesLoadResult, list_types_load
from xinyong.lists.services.notices import cn_deadline, notice_mark_read, notice_pdf_sha256_keep
from xinyong.lists.services.objections import list_entry_objection_mark, list_entry_require_objectionable
from xinyong.lists.services.proposals import list_entry_propose
from xinyong.lists.services.statements import list_entry_statement

__all__ = [
    "EXIT_REASONS",
    "ListTypesLoadResult",
    "cn_deadline",
    "notice_pdf_sha256_keep",
    "list_entries_expire",
    "list_entry_decide",
    "list_entry_exit",
    "list_entry_objection_mark",
    "list_entry_require_objectionable",
    "list_entry_propose",
    "list_entry_publish",
    "list_entry_review",
    "list_entry_statement",
    "list_entry_withdraw",
    "list_types_load",
    "notice_mark_read",
    "red_entries_end_for_subjects",
]
