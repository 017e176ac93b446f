"""The back office for accounts (issue 14): units, people, roles and tokens (peopleadmin), registrations,
subject accounts, agents and OIDC identities (subjectadmin). Every change is an audit event."""

from xinyong.accounts import peopleadmin, subjectadmin  # noqa: F401 - registration happens on import
