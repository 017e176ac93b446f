"""Writes of the measures app (联合奖惩): load the memoranda, run checks (应查必查), file feedback
(执行反馈)."""

from xinyong.measures.services.checks import MAX_SUBJECTS, check_run
from xinyong.measures.services.feedback import feedback_file
from xinyong.measures.services.memoranda import DEFAULT_PATH, MemorandaLoadResult, memoranda_load

__all__ = [
    "DEFAULT_PATH",
    "MAX_SUBJECTS",
    "MemorandaLoadResult",
    "check_run",
    "feedback_file",
    "memoranda_load",
]
