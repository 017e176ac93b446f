"""Spreadsheet cells written from user data, escaped against formula injection (OWASP "CSV Injection"): a
text that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``. Used by every
CSV/XLSX a user downloads (the rejected-rows report, intake/export.py; the 双公示 export, records/api.py)."""

from __future__ import annotations

from typing import Any

_DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> str:
    """The cell's text, with a leading ``'`` when it begins with ``=``, ``+``, ``-``, ``@``, tab or CR.

    None is the empty text. Other values are turned into text first.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(_DANGEROUS_PREFIXES) else text


def unescape_cell(value: Any) -> Any:
    """The inverse of `escape_cell` for a cell read back from the report: ``'=x`` → ``=x``."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_DANGEROUS_PREFIXES):
        return value[1:]
    return value
