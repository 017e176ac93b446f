"""How an import keeps masked fields (ADR 0004): shown masked, the clear value only as ciphertext; and the
compact JSON text of the stored payloads. Pure Python: the read-ahead thread runs it (intake/ahead.py)."""

from __future__ import annotations

import json
from typing import cast

from xinyong.subjects.identifiers import ric_mask
from xinyong.subjects.identity import person_encrypt

dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""Compact JSON text, the encoder built once (json.dumps with options builds one per call)."""


def mask_number(text: str) -> str:
    """Resident IDs as 110105********002X; other document numbers keep their first 2 and last 2 characters."""
    if len(text) == 18:
        return ric_mask(text)
    return text[:2] + "*" * max(len(text) - 4, 1) + text[-2:] if len(text) > 4 else "*" * len(text)


def protect(payload: dict[str, str], masked: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Masked fields (证件号码) are stored masked; the clear value only as ciphertext (ADR 0004)."""
    present = [f for f in masked if f in payload]
    if not present:
        return payload, {}
    shown, protected = dict(payload), {}
    for f in present:
        shown[f], protected[f] = mask_number(payload[f]), person_encrypt(payload[f])
    return shown, protected


def protect_raw(row: dict, masked: tuple[str, ...]) -> tuple[dict, dict[str, str]]:
    """A rejected row is kept as sent (for the fix-and-resubmit report), its masked fields protected."""
    text = {k: (v if v is None or isinstance(v, str | list) else str(v)) for k, v in row.items()}
    present = {k: str(text[k]) for k in masked if text.get(k)}
    return protect(cast(dict[str, str], text), tuple(present)) if present else (text, {})
