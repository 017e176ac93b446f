"""How a natural person's name is shown to the public (docs/adr/0040-persons-masked-in-public-answers.md;
DESIGN principle 6 "Least privilege"; issue 15 "persons never listed by name to the public"): its first
character, then one star per other character (王小明 → 王**; a one-character name → 王*). One rule for every
public answer that carries a person's name — the portal's pages and CSV, the 双公示 API and its exports —
so that the page and the API never disagree about what the public may read."""

from __future__ import annotations


def person_name_mask(name: str) -> str:
    """A person's name for the public: its first character, then one star per other character (at least
    one, so that a one-character name is not shown whole); "" stays ""."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def person_name_masked_in(value: object, name: str) -> object:
    """A field's value with the person's `name` masked wherever it occurs (the 行政相对人名称 field is the
    name; a commitment's or a decision's text may quote it); a value that is not text is returned as given."""
    if isinstance(value, str) and name:
        return value.replace(name, person_name_mask(name))
    return value
