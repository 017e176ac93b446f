"""Row validation against the catalog (the catalog is the contract, docs/domain.md principle 4).

A category's fields are compiled once into a list of small checker functions; a row is then checked field by
field, then across fields. A row is accepted whole or rejected whole with every field error it has, each
`{"field", "code", "message"}` with a stable code and a Chinese message (issue 3, validation per category).
An accepted row may carry warnings in the same shape: facts worth checking that are no reason to refuse
(a USCC whose region code is not in the GB/T 2260 table, `uscc.region_unknown`).
Pure Python over plain dicts: this is the import's hot path (tens of thousands of rows a second).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from xinyong.catalog.vocabulary import CONDITIONAL_RULES, SUBJECT_KINDS
from xinyong.intake.checkers import CHECKERS, TEXT_TYPES, FieldInfo, text_accepted
from xinyong.records.keys import RecordKeys
from xinyong.records.severity import SEVERITY_FIELD, Field, SeverityResolver, Tables
from xinyong.subjects.bulk import kind_from_uscc
from xinyong.subjects.identifiers import (
    USCC_PLACEHOLDER,
    IdentifierError,
    regno_validate,
    ric_validate,
    uscc_region_warning,
)

KIND_LEGAL, KIND_PERSON, KIND_BUSINESS = "法人及非法人组织", "自然人", "个体工商户"
RESIDENT_ID_TYPE = "身份证"
EXTRA_CELLS = "__extra__"
_uscc_region_cache: dict[str, tuple[str, str] | None] = {}
_MULTI_SPLIT = re.compile(r"[;；,，、]")


@dataclass(frozen=True)
class CleanRow:
    """An accepted row: its payload (field → normalised text) and what the record needs from it."""

    payload: dict[str, str]
    kind: str  # subject kind (subjects.SubjectKind value)
    name: str
    uscc: str | None
    regno: str | None
    resident_id: str | None
    doc_no: str
    decision_date: dt.date
    valid_until: dt.date | None
    severity: str
    severity_source: str = ""  # records/severity.py SEVERITY_SOURCES
    publish_minor: bool = False  # the department chose to publish this minor penalty (CF_QWGS = 1)
    warnings: tuple[dict, ...] = ()  # accepted, but worth a look (same shape as errors)


def _given(raw) -> bool:
    return raw is not None and (not isinstance(raw, str) or bool(raw.strip()))


def _err(field: str, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": message}


# ── conditional requirements (catalog.vocabulary.CONDITIONAL_RULES) ──────────────────────────────────────


def _suffix_field(fields: dict[str, FieldInfo], suffix: str) -> str:
    return next((code for code in fields if code.endswith(suffix)), "")


def _conditions(fields: dict[str, FieldInfo], keys: RecordKeys) -> dict[str, Callable[[dict], bool]]:
    """rule id → predicate over the cleaned values (implements every id the vocabulary lists)."""
    lb, fr = _suffix_field(fields, "_XDR_LB"), _suffix_field(fields, "_FR_ZJHM")
    xklb, cflb = _suffix_field(fields, "_XKLB"), _suffix_field(fields, "_CFLB")
    qwgs = _suffix_field(fields, "_QWGS")

    def has(field: str, *words: str) -> Callable[[dict], bool]:
        return lambda v: bool(field) and any(w in (v.get(field) or "").split(";") for w in words)

    def natural(v: dict) -> bool:
        return v.get(lb) == KIND_PERSON if lb else bool(v.get(keys.person_id)) and not v.get(keys.uscc)

    return {
        "xdr_lb_legal": lambda v: v.get(lb) == KIND_LEGAL,
        "xdr_lb_legal_or_business": lambda v: v.get(lb) in (KIND_LEGAL, KIND_BUSINESS),
        "xdr_lb_natural": lambda v: v.get(lb) == KIND_PERSON,
        "uscc_placeholder": lambda v: v.get(keys.uscc) == USCC_PLACEHOLDER,
        "fr_zjhm_given": lambda v: bool(fr and v.get(fr)),
        "xklb_other": has(xklb, "06"),
        "cflb_fine": has(cflb, "罚款"),
        "cflb_confiscation": has(cflb, "没收违法所得", "没收非法财物"),
        "cflb_licence": has(cflb, "暂扣许可证件", "吊销许可证件"),
        "cflb_other": has(cflb, "其他"),
        "qwgs_publish": has(qwgs, "1"),
        "subject_legal": lambda v: not natural(v),
        "subject_natural": natural,
    }


# ── the validator ────────────────────────────────────────────────────────────────────────────────────────


class RowValidator:
    """Checks rows of one category. `today` is the submission's business date (decisions may not be later)."""

    def __init__(
        self,
        *,
        category_code: str,
        fields: list[FieldInfo],
        keys: RecordKeys,
        severities: list[str],
        polarity: str,
        today: dt.date,
        tables: Tables | None = None,
        subject_kinds: list[str] | None = None,
        category_name: str = "",
    ) -> None:
        self.category_code, self.keys, self.today = category_code, keys, today
        self.category_name = category_name or category_code
        # the catalog's subject kinds (None: any kind, e.g. a validator built without a category)
        self.subject_kinds = frozenset(subject_kinds) if subject_kinds else None
        self.fields = {f.code: f for f in fields}
        self.checkers = [(f.code, f, CHECKERS[f.type](f)) for f in fields]
        self.by_code = {code: check for code, _f, check in self.checkers}
        # code → (checker, the text limit of a plain text field or None): a text cell is checked in place,
        # by the rules of checkers.py `_check_text`, without a call per cell (issue 18, the import's hot path)
        self.plan = {
            f.code: (check, (f.max_length or 0) if f.type in TEXT_TYPES else None)
            for _c, f, check in self.checkers
        }
        # compiled once: only the fields a row can miss (mandatory or conditional), in catalog order
        self.needed = [(f.code, f) for f in fields if f.required != "optional"]
        self.conditions = _conditions(self.fields, keys)
        self.negative = polarity == "negative"
        self.severity = SeverityResolver(
            severities=severities,
            negative=self.negative,
            fields={f.code: Field(f.code, _label_codes(f)) for f in fields},
            tables=tables or Tables(),
        )
        self.uscc_fields = [f for f in fields if f.type == "uscc"]

    def __call__(self, row: dict) -> tuple[CleanRow | None, list[dict]]:
        errors: list[dict] = []
        values = self._fields(row, errors)
        self._requirements(values, row, errors)
        if errors:
            return None, errors
        clean = self._cross(values, row, errors)
        return (None, errors) if errors else (clean, [])

    def _fields(self, row: dict, errors: list[dict]) -> dict[str, str]:
        values: dict[str, str] = {}
        plan = self.plan
        for key, raw in row.items():
            step = plan.get(key)
            if step is None:
                if key != SEVERITY_FIELD or not self.negative:
                    errors.append(self._unknown(key, raw))
                continue
            if raw is None:
                continue
            text = raw.strip() if isinstance(raw, str) else str(raw)
            if not text:
                continue
            check, limit = step
            if limit is not None and text_accepted(text, limit):
                values[key] = text  # a plain text cell that `_check_text` accepts as it is
                continue
            value, error = check(text)
            if error:
                errors.append(error)
            else:
                values[key] = value
        return values

    def _unknown(self, key: str, value) -> dict:
        if key == EXTRA_CELLS:
            return _err("", "row.extra_cells", f"本行单元格多于表头：{value}")
        return _err(key, "field.unknown", f"字段 {key} 不属于类别 {self.category_code}")

    def _requirements(self, values: dict[str, str], row: dict, errors: list[dict]) -> None:
        for code, f in self.needed:
            if code in values or _given(row.get(code)):
                continue  # present (valid, or already reported as invalid)
            if f.required == "mandatory":
                errors.append(_err(code, "field.required", f"{f.name}（{code}）为必填项"))
            elif self.conditions[f.rule](values):
                errors.append(
                    _err(code, "field.required_if", f"{f.name}（{code}）在此情形下必填：{_RULE_TEXT[f.rule]}")
                )

    def _cross(self, values: dict[str, str], row: dict, errors: list[dict]) -> CleanRow | None:
        """Cross-field rules: person fields only for persons, placeholder rule, dates in order and not in the
        future, a resident ID that is valid and of an adult on the decision date, the severity tier and the
        minor-publication choice (records/severity.py)."""
        k = self.keys
        decision = dt.date.fromisoformat(values[k.decision_date])
        if decision > self.today:
            errors.append(
                _err(k.decision_date, "date.future", f"决定日期 {decision} 晚于报送日期 {self.today}")
            )
        self._validity(values, errors)
        kind = self._kind(values, errors)
        self._kind_allowed(kind, values, errors)
        resident_id = self._resident_id(values, kind, decision, errors)
        regno = self._regno(values, kind, errors)
        severity, source = self.severity.tier(values, row.get(SEVERITY_FIELD), decision, errors)
        publish_minor = self.severity.minor_publication(values, severity, decision, errors)
        if errors:
            return None
        uscc = values.get(k.uscc)
        warnings = self._uscc_warnings(values)
        return CleanRow(
            payload=values,
            kind=kind,
            name=values[k.name],
            uscc=None if uscc == USCC_PLACEHOLDER else uscc,
            regno=regno,
            resident_id=resident_id,
            doc_no=values.get(k.doc_no) or decision.isoformat(),
            decision_date=decision,
            severity=severity,
            severity_source=source,
            publish_minor=publish_minor,
            valid_until=dt.date.fromisoformat(values[k.valid_until]) if values.get(k.valid_until) else None,
            warnings=warnings,
        )

    def _uscc_warnings(self, values: dict[str, str]) -> tuple[dict, ...]:
        """GB 32100 positions 3–8 of every USCC field (the subject's, the deciding agency's …): a region
        code the GB/T 2260 table lacks is accepted with a warning, `uscc.region_unknown`."""
        warnings = []
        for f in self.uscc_fields:
            code = values.get(f.code)
            if not code or code == USCC_PLACEHOLDER:
                continue
            warning = _uscc_region_cache.get(code, False)
            if warning is False:
                warning = uscc_region_warning(code)
                if len(_uscc_region_cache) >= 200_000:
                    _uscc_region_cache.clear()
                _uscc_region_cache[code] = warning
            if warning is not None:
                warnings.append(_err(f.code, warning[0], f"{f.name}：{warning[1]}"))
        return tuple(warnings)

    def _validity(self, values: dict[str, str], errors: list[dict]) -> None:
        start, end = values.get(self.keys.valid_from), values.get(self.keys.valid_until)
        if start and end and start > end:  # ISO dates compare as text
            errors.append(_err(self.keys.valid_from, "date.order", f"有效期自 {start} 晚于有效期至 {end}"))

    def _kind(self, values: dict[str, str], errors: list[dict]) -> str:
        """The subject kind: from 行政相对人类别 where the category has it, else from what identifies it."""
        k = self.keys
        label = (
            values.get(k.kind)
            if k.kind
            else (KIND_PERSON if values.get(k.person_id) and not values.get(k.uscc) else KIND_LEGAL)
        )
        uscc = values.get(k.uscc)
        if label == KIND_PERSON:
            if uscc:
                errors.append(
                    _err(k.uscc, "cross.uscc_for_person", "行政相对人为自然人时不应填写统一社会信用代码")
                )
            return "natural_person"
        for field in (k.person_id, k.id_type):
            if field and values.get(field):
                errors.append(_err(field, "cross.person_field_for_entity", "证件类型、证件号码仅用于自然人"))
        if uscc == USCC_PLACEHOLDER and label != KIND_BUSINESS:
            errors.append(
                _err(
                    k.uscc, "cross.placeholder_not_business", "17 个 0 加 X 的占位代码仅限无代码的个体工商户"
                )
            )
        if label == KIND_BUSINESS:
            return "individual_business"
        return kind_from_uscc(uscc) if uscc and uscc != USCC_PLACEHOLDER else "enterprise"

    def _kind_allowed(self, kind: str, values: dict[str, str], errors: list[dict]) -> None:
        """The catalog's subject kinds are the contract (docs/domain.md principle 4): a row about a subject of
        another kind is refused, e.g. an enterprise in a 政务失信 category (机关 only, ADR 0037)."""
        if self.subject_kinds is None or kind in self.subject_kinds:
            return
        allowed = "、".join(SUBJECT_KINDS[k] for k in SUBJECT_KINDS if k in self.subject_kinds)
        k = self.keys
        uscc = values.get(k.uscc)
        field = k.uscc if uscc else (k.kind or k.person_id or k.name)
        said = (
            f"统一社会信用代码 {uscc} 表明主体为{SUBJECT_KINDS[kind]}"
            if uscc
            else f"主体为{SUBJECT_KINDS[kind]}"
        )
        errors.append(
            _err(
                field,
                "subject.kind_not_allowed",
                f"类别“{self.category_name}”的信用主体只能是{allowed}，{said}",
            )
        )

    def _resident_id(self, values, kind, decision, errors) -> str | None:
        k = self.keys
        number = values.get(k.person_id)
        if kind != "natural_person" or not number:
            return None
        if k.id_type and values.get(k.id_type) not in (None, RESIDENT_ID_TYPE):
            errors.append(
                _err(
                    k.id_type,
                    "cross.id_type_unsupported",
                    "目前只接收居民身份证号码登记的自然人（其他证件类型请联系信用办）",
                )
            )
            return None
        try:
            return ric_validate(number, on_date=decision).number
        except IdentifierError as exc:
            errors.append(_err(k.person_id, exc.code, exc.message))
            return None

    def _regno(self, values, kind, errors) -> str | None:
        number = values.get(self.keys.regno) if self.keys.regno else None
        if not number:
            return None
        if len(number) != 15 and values.get(self.keys.uscc) != USCC_PLACEHOLDER:
            return None  # a legacy number kept as given; only the placeholder case relies on it as the key
        try:
            return regno_validate(number)
        except IdentifierError as exc:
            errors.append(_err(self.keys.regno, exc.code, exc.message))
            return None


def _label_codes(f: FieldInfo) -> dict[str, str]:
    return {v["label"]: v["code"] for v in f.options.get("values", [])}


_RULE_TEXT = {rule: text for rule, (text, _suffix) in CONDITIONAL_RULES.items()}
