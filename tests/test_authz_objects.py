"""The object-level authorisation matrix (issue 12: "a test that calls every operation as every role against
objects of another unit and compares with the table"; accounts/policy.py, ADR 0017).

tests/test_authz.py checks the role gate with made-up ids; here every operation whose rule is not public and
whose path or body names an object is called over HTTP against real objects — the demo story of `xinyong up
--demo` (records of 市工商局 and 市食药监局, a published black-list and red-list entry, an objection in progress,
a repair decided, a tip-off, checks with feedback due) plus what it lacks (a submission with rejected rows, a
pending entry, a push, a code correction, a consent, a tip-off with evidence, notices to an account) — as the
officers of an unrelated unit, the same roles of the owning unit, the credit office, the subject itself, a
subject account of an unrelated subject and anonymous. The object rule of the table decides: a caller it
excludes gets 401, 403 or 404 and no data of the object; a caller it admits is not refused (writes may still
fail for the object's state: 400, 409, 422). Every call runs in a savepoint that is rolled back, so each one
meets the story as loaded."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client

from tests.support.authz import (
    OFFICE,
    OFFICE_ROLES,
    STRANGER,
    UNIT_ROLES,
    Target,
    demo_story_loaded,
    list_targets,
    object_targets,
    story_extras,
    token_for,
)
from xinyong.accounts import policy
from xinyong.accounts.roles import CASE_HANDLERS, CREDIT_OFFICE, GOVERNMENT, UNIT_OFFICERS
from xinyong.ops.management.commands.authz_table import api_operations

pytestmark = pytest.mark.django_db


# ── callers and the rule's verdict ──────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Caller:
    name: str
    secret: str | None
    column: str  # the table column (policy.TABLE_ROLES)
    unit: str = ""
    subject: str = ""  # story firm key of a subject account


def _callers(story: dict, target: Target, tokens: dict) -> list[Caller]:
    """Officers of an unrelated unit and of every unit the rule names, the credit office, the subject itself,
    an unrelated subject and anonymous."""
    out = [Caller("anonymous", None, policy.ANONYMOUS)]
    for unit in dict.fromkeys((STRANGER, target.owner, *target.units)):
        for role in UNIT_ROLES if unit else ():
            if (unit, role) not in tokens:
                tokens[unit, role] = token_for(unit, role)
            out.append(Caller(f"{role}@{unit}", tokens[unit, role], role, unit))
    for role in OFFICE_ROLES:
        if (OFFICE, role) not in tokens:
            tokens[OFFICE, role] = token_for(OFFICE, role)
        out.append(Caller(f"{role}@{OFFICE}", tokens[OFFICE, role], role, OFFICE))
    for key in dict.fromkeys(("stranger", target.subject or "stranger")):
        out.append(Caller(f"subject:{key}", story["accounts"][key], "subject", subject=key))
    return out


def _admits(rule: policy.Rule, caller: Caller, target: Target) -> bool:
    """The table's verdict for this caller on this object: the role gate, then the object rule."""
    if caller.column not in rule.roles:
        return False
    office = caller.unit == OFFICE and caller.column in CREDIT_OFFICE
    staff = caller.column in UNIT_OFFICERS
    own = staff and caller.unit == target.owner
    named = staff and caller.unit in target.units
    itself = bool(caller.subject) and caller.subject == target.subject
    handler = caller.unit == target.owner and caller.column in CASE_HANDLERS
    return {
        "own_unit": own or office,
        "own_unit_only": own,
        "deciding_unit": own or office,
        "handling_unit": own or office,
        "proposing_or_deciding": own or named or office or itself,
        "providing_unit": own or office or itself,
        "credit_office": office,
        "subject_self": itself,
        "subject_or_government": itself or caller.column in GOVERNMENT,
        "handling_unit_only": handler,
        "proposing_or_deciding_unit": own or named or office,
        "subject_or_officer": itself or caller.column in CASE_HANDLERS,
        "subject_or_unit": itself or own,
    }[rule.scope]


def _call(caller: Caller, method: str, url: str, target: Target):
    """One call in a savepoint that is rolled back: every caller meets the story as loaded."""
    client = Client(HTTP_AUTHORIZATION=f"Bearer {caller.secret}") if caller.secret else Client()
    with transaction.atomic():
        if method == "GET":
            answer = client.get(url)
        elif target.multipart:
            answer = client.post(url, target.body)
        else:
            body = json.dumps(target.body, ensure_ascii=False)
            answer = client.generic(method, url, body, content_type="application/json")
        transaction.set_rollback(True)
    return answer


def _verdict(method: str, admitted: bool, answer, target: Target) -> str:
    """'' when the answer matches the table, else what is wrong."""
    status, text = answer.status_code, _body(answer).decode(errors="replace")
    if status >= 500:
        return "5xx"
    if target.listing:
        if admitted:
            return "" if status == 200 and target.secret in text else "object missing from its reader's list"
        return "object in an excluded caller's list" if target.secret in text else ""
    if not admitted:
        if status not in (401, 403, 404):
            return "not refused"
        return "object's data in the refusal" if target.secret and target.secret in text else ""
    if status in (401, 403, 404) or (method == "GET" and status != 200):
        return "refused"
    return ""


def _body(answer) -> bytes:
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


def _url(path: str, params: dict) -> str:
    return re.sub(r"\{(?:\w+:)?(\w+)\}", lambda m: str(params[m.group(1)]), path)


def test_every_object_operation_as_every_caller_follows_the_object_rule():
    """Issue 12's matrix on real objects: 0 cross-unit reads or actions the table does not allow, and no
    caller the table admits refused."""
    story = demo_story_loaded()
    extra = story_extras(story)
    targets = {**object_targets(story, extra), **list_targets(story, extra)}
    operations = {op_id: (method.split(",")[0], path) for op_id, method, path, _ in api_operations()}
    scoped = {op for op, rule in policy.OPERATIONS.items() if rule.scope not in ("public", "query_code")}
    named = {op for op in scoped if "{" in operations[op][1]}
    assert sorted(named - set(targets)) == []  # every operation with an object in its path is called
    tokens: dict = {}
    mismatches, calls = [], 0
    for op_id, objects in targets.items():
        method, path = operations[op_id]
        rule = policy.OPERATIONS[op_id]
        for target in objects:
            for caller in _callers(story, target, tokens):
                answer = _call(caller, method, _url(path, target.params), target)
                calls += 1
                wrong = _verdict(method, _admits(rule, caller, target), answer, target)
                if wrong:
                    detail = _body(answer)[:120].decode(errors="replace")
                    mismatches.append(f"{op_id} {caller.name}: {answer.status_code} {wrong} {detail}")
    assert mismatches == [], f"{len(mismatches)} of {calls} calls:\n" + "\n".join(mismatches)
