"""Every role the platform knows, and the named groups of them that rules use (issue 17: one way per concept).

A role is held by an API token (`ApiToken.role`) or a back-office user (`User.roles`); services ask
`actor.has_role(*GROUP)` or `actor.require(*GROUP)` with one of the groups below, never with a literal. The
values are the strings stored in the database, so the enum changes no stored row. Which roles a unit may hold
and which roles may call an operation stay in `accounts/policy.py`; this module only names the roles.
`xinyong/core` sits below `accounts` and keeps the two literals of its built-in actors (`Actor.system`,
`Actor.anonymous`); tests/test_roles_literals.py allows those and no other literal outside this module.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PUBLIC = "public"  # anyone without a token; a public token
    SUBJECT = "subject"  # a verified subject's own account (信用主体本人)
    DATA_OFFICER = "data_officer"  # a unit's officer who submits records (数据报送员)
    CASE_OFFICER = "case_officer"  # a unit's officer who handles cases and checks (业务经办员)
    REVIEWER = "reviewer"  # the credit office's reviewer (信用办审核员)
    INSTITUTION = "institution"  # a financial institution reading with the subject's consent (机构用户)
    AUDITOR = "auditor"  # the credit office's auditor: reads everything, changes nothing (审计员)
    ADMIN = "admin"  # the credit office's administrator; the system's own actors (管理员)


ROLE_LABELS = {
    Role.PUBLIC: "公众",
    Role.SUBJECT: "信用主体",
    Role.DATA_OFFICER: "数据报送员",
    Role.CASE_OFFICER: "业务经办员",
    Role.REVIEWER: "信用办审核员",
    Role.INSTITUTION: "机构用户",
    Role.AUDITOR: "审计员",
    Role.ADMIN: "管理员",
}
ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]  # `ApiToken.role`
ALL_ROLES = frozenset(Role)

UNIT_OFFICERS = frozenset({Role.DATA_OFFICER, Role.CASE_OFFICER})
"""A unit's own officers: they act for their unit only (its checks, its proposals, its submissions)."""

CREDIT_OFFICE = frozenset({Role.REVIEWER, Role.ADMIN, Role.AUDITOR})
"""The credit office's roles (only the credit office may hold them): they see every unit's objects."""

OFFICE = frozenset({Role.REVIEWER, Role.ADMIN})
"""The credit office's acting staff (the auditor only reads): verify accounts, decide corrections, retry
pushes, load memoranda, read any unit's letters."""

GOVERNMENT = UNIT_OFFICERS | CREDIT_OFFICE
"""Every government role: the units' officers and the credit office (they see what the public does not)."""

OFFICIALS = UNIT_OFFICERS | OFFICE
"""The government roles that act (every government role but the auditor): register webhooks, issue reports,
record a written consent."""

CASE_HANDLERS = UNIT_OFFICERS | {Role.REVIEWER}
"""Who handles cases: the units' officers and the credit office's reviewer (propose, review and decide list
entries, handle tip-offs, verify objections and commitments)."""

REGISTRARS = frozenset({Role.DATA_OFFICER, Role.REVIEWER, Role.ADMIN})
"""Who registers subjects and requests code corrections: data officers and the credit office's staff."""

SUBMITTERS = frozenset({Role.DATA_OFFICER, Role.ADMIN})
"""Who submits and withdraws records (双公示报送): data officers, and the administrator."""

RECORDS_OVERSIGHT = frozenset({Role.ADMIN, Role.AUDITOR})
"""Who sees every unit's submissions and unmasked rejected rows (the others see their own unit's)."""
