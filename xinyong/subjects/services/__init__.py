"""Writes for credit subjects (信用主体). Each service is one transaction with its audit event."""

from xinyong.subjects.services.access import subject_person_read_log
from xinyong.subjects.services.corrections import TRANSITIONS, code_correction_decide, code_correction_request
from xinyong.subjects.services.naming import subject_rename
from xinyong.subjects.services.registration import subject_add_alias, subject_register

__all__ = [
    "TRANSITIONS",
    "code_correction_decide",
    "code_correction_request",
    "subject_add_alias",
    "subject_person_read_log",
    "subject_register",
    "subject_rename",
]
