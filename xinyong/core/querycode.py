"""Query codes (查询码): how an applicant without an account follows an objection, a repair application, a
dishonesty report or an account registration. 16 characters of Crockford base32 (80 random bits) in four
groups, with a prefix that says what it is for (YY 异议, XF 修复, JB 举报, ZC 实名注册). Input is normalised:
case, spaces, hyphens, and the letters Crockford reads as digits (O→0, I/L→1) do not matter.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
PREFIXES = {"objection": "YY", "repair": "XF", "tipoff": "JB", "account": "ZC"}


def query_code_new(kind: str) -> str:
    """A fresh code such as `YY-7K2M-Q9PD-3XTA-HV0C`."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join([PREFIXES[kind], body[0:4], body[4:8], body[8:12], body[12:16]])


def query_code_normalise(raw: str) -> str:
    """The stored form of what someone typed (`yy 7k2m-q9pd 3xta hvoc` → `YY-7K2M-Q9PD-3XTA-HV0C`), or ""
    when it cannot be a query code."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if len(text) != 18 or text[:2] not in PREFIXES.values():
        return ""
    body = text[2:].translate(_READ_AS)
    if any(ch not in ALPHABET for ch in body):
        return ""
    return "-".join([text[:2], body[0:4], body[4:8], body[8:12], body[12:16]])
