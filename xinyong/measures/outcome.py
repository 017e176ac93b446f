"""What a check answered (应查必查, docs/domain.md Check): `CheckOutcome`, the one shape that both a check
just run (services.checks.check_run) and a stored check read back (selectors.check_get) hand to the API, the
CLI and `selectors.check_view`, instead of a Check model instance with stand-in relations.

The answer per subject is the JSON document stored with its result (`CheckResult.answer`): a check can always
say later what it said then. It is typed here as TypedDicts, so the hot path builds and stores plain dicts
(no conversion per subject, docs/performance.md) and the API's schemas (schemas.CheckOut) validate them as
they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

from xinyong.accounts.selectors import UnitRef
from xinyong.measures.rulebook import MatterRef


class AnswerError(TypedDict):
    code: str
    message: str


class AnswerSubject(TypedDict):
    code: str  # USCC, registration number or the masked resident ID
    name: str  # masked for a person
    kind: str
    subject_id: int


class AnswerEntry(TypedDict):
    entry_id: int
    list_type: str
    list_type_name: str
    list_kind: str
    since: str | None
    until: str | None
    under_objection: bool


class AnswerMeasure(TypedDict):
    measure_id: int
    code: str
    kind: str
    strength: str
    text: str
    legal_basis: str
    memorandum: str
    memorandum_title: str
    document_no: str
    list_types: list[str]


class AnswerNegatives(TypedDict):
    category: str
    name: str
    count: int
    latest: str
    under_objection: int


class SubjectAnswer(TypedDict):
    """The answer about one identifier of the request, in request order (duplicates kept)."""

    index: int
    identifier: str
    known: bool
    error: AnswerError | None
    subject: AnswerSubject | None
    entries: list[AnswerEntry]
    measures: list[AnswerMeasure]
    negative_records: list[AnswerNegatives]
    records_summary: str | None
    result_id: NotRequired[int]  # the stored result's id, set once stored (not part of the stored JSON)


class FeedbackFiled(TypedDict):
    outcome: str
    reason: str
    applied_on: dt.date
    filed_by: str
    filed_at: dt.datetime


@dataclass(frozen=True)
class CheckOutcome:
    """A stored check as answered. `feedback` holds the feedback filed since, by (result id, measure code):
    empty for a check just run."""

    check_id: int
    unit: UnitRef
    matter: MatterRef
    case_number: str
    checked_by: str
    checked_at: dt.datetime
    feedback_due: dt.datetime | None
    subjects_count: int
    known_count: int
    applicable_count: int
    answers: tuple[SubjectAnswer, ...]
    feedback: Mapping[tuple[int, str], FeedbackFiled] = field(default_factory=dict)
