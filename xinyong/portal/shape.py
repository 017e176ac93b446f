"""How the public pages show a shown record (issue 15): the records app's public view (`publicity_item`, the
same as the 双公示 API), with a natural person never named — the name becomes its first character and stars
(张**) wherever it appears, also inside a text, by the one rule of subjects.masking that the API's public
answers use too (ADR 0040) — and the catalog's field names and code-list labels instead of field codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.catalog.selectors import category_public_fields
from xinyong.records.selectors import publicity_item

PERSON = "natural_person"
# the fields a column's row shows besides its fixed facts (the CSV carries every public field)
SUMMARY_FIELDS = {
    "XK": ["XK_XKLB", "XK_NR"],
    "CF": ["CF_CFLB", "CF_WFXW", "CF_NR"],
    "XYCN": ["XYCN_CNLX", "XYCN_CNSX", "XYCN_LYQK", "XYCN_SLDW"],
}


@dataclass(frozen=True)
class Field:
    code: str
    name: str
    choices: list[tuple[str, str]]  # a code list's or an enum's (value, label) pairs, catalog order


def public_fields(category) -> list[Field]:
    """The category's public-tier fields in catalog order, with their names and allowed values."""
    rows = category_public_fields(category_ids=[category.pk])
    return [Field(code, name, _choices(options)) for _, code, name, options in rows]


def _choices(options: dict | None) -> list[tuple[str, str]]:
    """The catalog's values ([{"code", "label"}], catalog/catalog_yaml.py) as pairs."""
    return [(str(v["code"]), str(v["label"])) for v in (options or {}).get("values", [])]


def shown_row(record, fields: list[Field], category_code: str) -> dict:
    """One record as the pages and the CSV show it: the API's public item, persons masked, values labelled."""
    item = publicity_item(record, [f.code for f in fields], category_code, names_in_full=False)
    labelled = {f.code: _label(f, item["fields"].get(f.code, "")) for f in fields}
    summary = [(f.name, labelled[f.code]) for f in fields if f.code in SUMMARY_FIELDS.get(category_code, [])]
    return {
        **item,
        "is_person": item["subject_kind"] == PERSON,
        "decision_day": dt.date.fromisoformat(item["decision_date"]),
        "until_day": dt.date.fromisoformat(item["publish_until"]) if item["publish_until"] else None,
        "labelled": labelled,
        "summary": [(name, value) for name, value in summary if value],
    }


def _label(field: Field, value: str) -> str:
    """A code list's value as its label (许可类别 05 → 登记); other values as they are."""
    return next((label for code, label in field.choices if code == value), value) if value else ""
