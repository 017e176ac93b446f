"""What a record's fields mean (records/data/record_keys.yaml): which field of a category is the subject's
name, its code, the decision document number and date, the end of the conduct…, and how a date in them
reads. The intake validates rows with them (intake/validation.py); retention reads the conduct's end."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from xinyong.core.yamlstrict import yaml_mapping_strict

KEYS_FILE = Path(__file__).resolve().parent / "data" / "record_keys.yaml"
_DATE_CN = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_DATE_SEP = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$")


@dataclass(frozen=True)
class RecordKeys:
    """Which field plays which part (records/data/record_keys.yaml)."""

    name: str
    decision_date: str
    kind: str = ""
    uscc: str = ""
    regno: str = ""
    person_id: str = ""
    id_type: str = ""
    doc_no: str = ""
    valid_from: str = ""
    valid_until: str = ""
    conduct_end: str = ""


@lru_cache(maxsize=1)
def record_keys() -> dict[str, RecordKeys]:
    raw = yaml_mapping_strict(KEYS_FILE.read_text(encoding="utf-8"))
    return {code: RecordKeys(**roles) for code, roles in raw.items()}


def category_record_keys(*, code: str) -> RecordKeys | None:
    """Which field plays which part in a record of category `code` (records/data/record_keys.yaml)."""
    return record_keys().get(code)


_date_cache: dict[str, dt.date | None] = {}


def parse_date(text: str) -> dt.date | None:
    """Accepts 2026-11-02, 2026/11/2, 2026.11.02, 20261102, 2026年11月2日 (and a midnight time suffix)."""
    if text in _date_cache:
        return _date_cache[text]
    m = _DATE_SEP.match(text) or _DATE_CN.match(text)
    if m is None and len(text) == 8 and text.isdigit():
        parts = (text[:4], text[4:6], text[6:])
    else:
        parts = m.groups() if m else None
    try:
        value = dt.date(int(parts[0]), int(parts[1]), int(parts[2])) if parts else None
    except ValueError:
        value = None
    if len(_date_cache) < 100_000:
        _date_cache[text] = value
    return value
