"""Writes of the commitments app (信用承诺与信用修复培训), one service per write.

commitments.py  commitment_sign (and the 告知承诺 refusal for black-listed subjects), commitment_verify,
                commitment_withdraw
breach.py       the negative record (XYCNWY) a broken commitment becomes, through the records intake
training.py     course_enrol, enrolment_complete (certificate numbers)
reference.py    commitments_load — templates and courses from data/commitments.yaml
"""

from xinyong.commitments.services.commitments import commitment_sign, commitment_verify, commitment_withdraw
from xinyong.commitments.services.reference import CommitmentsLoadResult, commitments_load
from xinyong.commitments.services.training import course_enrol, enrolment_complete

__all__ = [
    "CommitmentsLoadResult",
    "commitment_sign",
    "commitment_verify",
    "commitment_withdraw",
    "commitments_load",
    "course_enrol",
    "enrolment_complete",
]
