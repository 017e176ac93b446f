"""Four eyes between people (issue 14; docs/domain.md principle 2): are two actors the same person?
Re-exported by accounts/policy.py, the one place of the authorisation model (ADR 0017)."""

from __future__ import annotations

from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied

__all__ = ["require_distinct_person", "same_person"]


def same_person(actor: Actor, recorded_label: str) -> bool:
    """Whether `actor` may be the person who acted as `recorded_label` (a label in the audit trail).

    Issue 14: four eyes compares people. The same label is the same person; so are a person's session
    (`user:<id>`) and every token of that person, whatever their prefixes. Two different people are two
    people, of one unit or not. A unit's token is a person only as what it names: a system integration
    (a name, no officer) is one person with every token of the same integration of its unit, and a token of
    the unit before issue 14 keeps the issue-12 rule (tokens of one unit are one person unless both name
    officers and the names differ; an unnamed one is the same person as any token of its unit). A unit's
    token and a person are different people."""
    if actor.label == recorded_label:
        return True
    other = _person_of(recorded_label)
    if other is None:
        return False
    mine = _actor_person(actor)
    if mine[0] != other[0]:
        return False
    if mine[0] == "user":
        return mine[1] == other[1]
    return mine[1] == other[1] and (mine[2] is None or other[2] is None or mine[2] == other[2])


def _actor_person(actor: Actor) -> tuple:
    if actor.user_id:
        return ("user", actor.user_id)
    if actor.token_id:
        from xinyong.accounts.models import ApiToken

        token = ApiToken.objects.select_related("unit").filter(pk=actor.token_id).first()
        if token is not None:
            return _token_person(token)
    return ("unit", actor.unit_code, ("officer", actor.officer) if actor.officer else None)


def _person_of(label: str) -> tuple | None:
    from xinyong.accounts.models import ApiToken

    kind, _, key = label.partition(":")
    if kind == "user" and key.isdigit():
        return ("user", int(key))
    if kind != "token":
        return None
    token = ApiToken.objects.select_related("unit").filter(prefix=key).first()
    return _token_person(token) if token is not None else None


def _token_person(token) -> tuple:
    """A token's person: its user's; or its unit with who in the unit uses it (a named officer, a named
    integration, or nobody in particular)."""
    if token.user_id:
        return ("user", token.user_id)
    who: tuple[str, str] | None
    if token.officer:
        who = ("officer", token.officer)
    else:
        who = ("integration", token.name) if token.name else None
    return ("unit", token.unit.code, who)


def require_distinct_person(actor: Actor, recorded_label: str, code: str, detail: str) -> None:
    """403 `code` when four eyes fails (see `same_person`)."""
    if same_person(actor, recorded_label):
        raise PermissionDenied(code, detail)
