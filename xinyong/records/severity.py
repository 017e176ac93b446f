"""The severity tier (轻微 / 一般 / 严重) of a negative record, where it came from, and the minor-publication
choice (issue 11; docs/rules.md; rules.yaml `severity.*` and `publication.penalty.minor`).

The first that answers gives the tier:

1. the provider's own column XY_YZCD (source ``provider``);
2. the procedure table in force on the decision date (`severity.procedure`: a penalty decided under the
   summary procedure, 简易程序, is minor from 2023-05-01; source ``procedure``). A provider's tier that
   contradicts it is refused rather than silently overridden;
3. the penalty-type table in force on the decision date (`severity.penalty_type`, keyed by CF_CFLB; a
   decision with several penalty types takes the most severe; source ``penalty_type_default``);
4. the category: its only tier, else general (source ``category_default``).

The 2025 measures (in force 2026-04-01) let a department publish a minor penalty for at most a period the
rule gives (`choice_max`), record by record with a reason (CF_QWGS = 1 and CF_GSLY): refused where the rule
in force on the decision date has no `choice_max` (every decision before 2026-04-01) or the tier is not
minor. Pure Python over plain dicts and rule rows read once per submission.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from xinyong.catalog.vocabulary import SEVERITIES

SEVERITY_FIELD = "XY_YZCD"  # optional platform column: 严重程度 of a negative record
SEVERITY_WORDS = {"轻微": "minor", "一般": "general", "严重": "serious",
                  "minor": "minor", "general": "general", "serious": "serious"}  # fmt: skip
RANK = {"minor": 0, "general": 1, "serious": 2}
# Where a record's tier came from (records.Record.severity_source); "" = not negative, or recorded before
# sources were kept.
SEVERITY_SOURCES: dict[str, str] = {
    "provider": "报送单位给出",
    "procedure": "按处罚程序",
    "penalty_type_default": "按处罚类别默认",
    "category_default": "按信息类别默认",
}
PROCEDURE_SUFFIX, PENALTY_TYPE_SUFFIX = "_CFCX", "_CFLB"
MINOR_CHOICE_SUFFIX, PUBLISH_CHOSEN = "_QWGS", "1"


@dataclass(frozen=True)
class Versions:
    """The rows of one rule key as (effective_from, values), oldest first."""

    dates: tuple[dt.date, ...] = ()
    values: tuple[dict, ...] = ()

    @classmethod
    def of(cls, rows: Iterable[tuple[dt.date, dict]]) -> Versions:
        ordered = sorted(rows, key=lambda row: row[0])
        return cls(tuple(d for d, _ in ordered), tuple(v for _, v in ordered))

    def on(self, day: dt.date) -> tuple[dt.date, dict] | None:
        """The row in force on `day`: the greatest effective_from <= day (docs/domain.md principle 3), or
        None."""
        i = bisect_right(self.dates, day)
        return (self.dates[i - 1], self.values[i - 1]) if i else None


@dataclass(frozen=True)
class Tables:
    """The rule rows the tier and the minor-publication choice read (rules.yaml), all versions."""

    procedure: Versions = Versions()
    penalty_type: Versions = Versions()
    minor_publication: Versions = Versions()


@dataclass(frozen=True)
class Field:
    """A category field a table is keyed by: its code and how its labels are stored (label -> code)."""

    code: str
    codes: dict[str, str]


def _err(field: str, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": message}


def _lookup(versions: Versions, field: Field | None) -> Versions:
    """Each version's table turned into stored value -> tier (code_list labels become their codes)."""
    if field is None:
        return Versions()
    tables = (
        {field.codes.get(label, label): tier for tier, labels in values.items() for label in labels}
        for values in versions.values
    )
    return Versions(versions.dates, tuple(tables))


class SeverityResolver:
    """The tier, its source and the minor-publication choice of the rows of one category."""

    def __init__(self, *, severities: list[str], negative: bool, fields: dict[str, Field], tables: Tables):
        self.severities, self.negative = severities, negative
        self.procedure_field = _field(fields, PROCEDURE_SUFFIX)
        self.type_field = _field(fields, PENALTY_TYPE_SUFFIX)
        self.choice_field = _field(fields, MINOR_CHOICE_SUFFIX)
        self.procedure = _lookup(tables.procedure, self.procedure_field)
        self.penalty_type = _lookup(tables.penalty_type, self.type_field)
        self.minor_rules = tables.minor_publication

    def tier(self, values: dict[str, str], given, decision: dt.date, errors: list[dict]) -> tuple[str, str]:
        """(tier, source) of a row; ("", "") for a category that is not negative."""
        if not self.negative:
            return "", ""
        by_procedure = self._procedure_tier(values, decision)
        if given not in (None, ""):
            return self._provider(str(given).strip(), by_procedure, errors), "provider"
        if by_procedure:
            return by_procedure, "procedure"
        return self._type_tier(values, decision)

    def _provider(self, given: str, by_procedure: str, errors: list[dict]) -> str:
        tier = SEVERITY_WORDS.get(given, "")
        if tier not in self.severities:
            allowed = "、".join(self.severities)
            errors.append(
                _err(SEVERITY_FIELD, "severity.not_allowed", f"严重程度不适用：{given}（可选：{allowed}）")
            )
        elif by_procedure and tier != by_procedure:
            errors.append(
                _err(
                    SEVERITY_FIELD,
                    "severity.procedure_conflict",
                    f"严重程度为{SEVERITIES[tier]}，但按决定日有效的规则，该处罚程序的处罚为"
                    f"{SEVERITIES[by_procedure]}失信（请核对处罚程序或严重程度）",
                )
            )
        return tier

    def _procedure_tier(self, values: dict[str, str], decision: dt.date) -> str:
        row = self.procedure.on(decision) if self.procedure_field else None
        tier = row[1].get(values.get(self.procedure_field.code, "")) if row else None
        return tier if tier in self.severities else ""

    def _type_tier(self, values: dict[str, str], decision: dt.date) -> tuple[str, str]:
        """The most severe tier of the row's penalty types; a type the table does not list counts as the
        category default."""
        fallback = self._category_default()
        row = self.penalty_type.on(decision) if self.type_field else None
        kinds = [k for k in (values.get(self.type_field.code) or "").split(";") if k] if row else []
        listed = [row[1][k] for k in kinds if row[1].get(k) in self.severities]
        if not listed:
            return fallback, "category_default"
        best = max(listed, key=RANK.__getitem__)
        if len(listed) < len(kinds) and RANK[fallback] > RANK[best]:
            return fallback, "category_default"
        return best, "penalty_type_default"

    def _category_default(self) -> str:
        if len(self.severities) == 1:
            return self.severities[0]
        return "general" if "general" in self.severities else self.severities[0]

    def minor_publication(
        self, values: dict[str, str], tier: str, decision: dt.date, errors: list[dict]
    ) -> bool:
        """Whether the department chose to publish this minor penalty (CF_QWGS = 1), checked against the
        rule in force on the decision date (publication.penalty.minor's choice_max)."""
        field = self.choice_field
        if field is None or values.get(field.code) != PUBLISH_CHOSEN:
            return False
        row = self.minor_rules.on(decision)
        if row is None or "choice_max" not in row[1]:
            since = f"（{row[0]:%Y-%m-%d} 起施行）" if row else ""
            errors.append(
                _err(
                    field.code,
                    "minor_publication.not_allowed",
                    f"决定日 {decision} 适用的公示规则{since}不允许选择公示轻微处罚",
                )
            )
            return False
        if tier != "minor":
            label = SEVERITIES.get(tier, tier)
            errors.append(
                _err(
                    field.code,
                    "minor_publication.not_minor",
                    f"只有轻微失信的处罚可以选择公示（本条为{label}）",
                )
            )
            return False
        return True


def _field(fields: dict[str, Field], suffix: str) -> Field | None:
    return next((f for code, f in fields.items() if code.endswith(suffix)), None)
