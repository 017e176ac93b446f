"""Issue 17: roles are one enum with named groups, owned by `accounts` (xinyong/accounts/roles.py).

The scan reads every module outside tests and migrations and fails on a string constant equal to a role's
value where it stands for a role:
- the values that mean nothing else (`data_officer`, `case_officer`, `reviewer`, `auditor`) anywhere;
- the values that are also ordinary words (`public`, `subject`, `institution`, `admin`: a disclosure tier,
  an audit target type, a unit type, a URL) only in a role context: the arguments of `has_role`/`require`,
  the value of a `role=`/`roles=` keyword, a `… in x.roles` test, an assignment to `x.roles` or to a name
  ending in `ROLE`/`ROLES`, a key of a dict of roles.
Modules outside the rule: `accounts/roles.py` (the enum), `accounts/unitnames.py` (a unit's registry
functions — provider, consumer, …, reviewer — are not user roles), and `core`, which sits below `accounts`
in the import layers and keeps the roles of its built-in actors (`Actor.system`, `Actor.anonymous`) and of
the calendar's back-office user.
"""

from __future__ import annotations

import ast
from pathlib import Path

from xinyong.accounts.roles import Role

ROOT = Path(__file__).resolve().parent.parent / "xinyong"
OUTSIDE = {"accounts/roles.py", "accounts/unitnames.py"}
OUTSIDE_DIRS = ("core/",)
ROLE_ONLY = {Role.DATA_OFFICER, Role.CASE_OFFICER, Role.REVIEWER, Role.AUDITOR}
VALUES = {role.value for role in Role}
ROLE_CALLS = {"has_role", "require"}
ROLE_KEYWORDS = {"role", "roles"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        parts = rel.split("/")
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py":
            continue
        if rel in OUTSIDE or rel.startswith(OUTSIDE_DIRS):
            continue
        yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _strings(node) -> list[ast.Constant]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and n.value in VALUES]


def _mentions_roles(node) -> bool:
    return any(
        (isinstance(n, ast.Attribute) and n.attr == "roles") or (isinstance(n, ast.Name) and n.id == "roles")
        for n in ast.walk(node)
    )


def _role_target(target) -> bool:
    if isinstance(target, ast.Attribute):
        return target.attr == "roles"
    if isinstance(target, ast.Name):
        return target.id.endswith(("ROLE", "ROLES"))
    if isinstance(target, ast.Tuple):
        return any(_role_target(t) for t in target.elts)
    return False


def _in_role_context(tree) -> list[ast.Constant]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in ROLE_CALLS:
                found += [s for arg in node.args for s in _strings(arg)]
            found += [s for kw in node.keywords if kw.arg in ROLE_KEYWORDS for s in _strings(kw.value)]
        elif isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In | ast.NotIn):
            if _mentions_roles(node.comparators[0]):
                found += _strings(node.left)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None and any(_role_target(t) for t in targets):
                found += _strings(node.value)
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if isinstance(k, ast.Constant)]
            if keys and sum(k.value in VALUES for k in keys) >= 3:  # a table keyed by role
                found += [k for k in keys if k.value in VALUES]
    return found


def bare_roles() -> list[str]:
    out = set()
    for rel, tree in _modules():
        hits = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in ROLE_ONLY]
        hits += _in_role_context(tree)
        out |= {f"{rel}:{n.lineno}: {n.value!r}" for n in hits}
    return sorted(out)


def test_no_bare_role_string_outside_accounts_roles():
    """Use `Role.X` or a named group of xinyong/accounts/roles.py instead of the string."""
    assert bare_roles() == []


def test_the_scan_sees_a_bare_role(tmp_path):
    """The scan is not vacuous: each kind of context is caught, and an ordinary word is not."""
    source = """
actor.require("data_officer")
actor.has_role("admin")
Actor(label="x", roles=frozenset({"public"}))
ok = "subject" in user.roles
SEE_ALL_ROLES = ("admin", "auditor")
LABELS = {"public": 1, "subject": 2, "admin": 3}
target_type = "subject"
tier = "public"
"""
    tree = ast.parse(source)
    hits = sorted((n.lineno, n.value) for n in _in_role_context(tree))
    assert (2, "data_officer") in hits and (3, "admin") in hits and (4, "public") in hits
    assert (5, "subject") in hits and (6, "admin") in hits and (7, "admin") in hits
    assert not [h for h in hits if h[0] in (8, 9)]
