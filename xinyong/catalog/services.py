"""Writes of the catalog app: load catalog.yaml and rules.yaml into the database (docs/domain.md principles
3–4).

Both loaders are specs over the shared reference loader (core/reference.py): they parse and validate the
whole file first (``catalog_yaml.py``), then upsert in one transaction and append one audit event when
something changed. Loading the same file twice changes nothing and writes no audit event: rows are
compared with the file's content, not only its SHA-256, so a row edited behind the loader's back is put
right (and audited) on the next load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinyong.accounts.selectors import unit_ids_named
from xinyong.audit.services import audit_append
from xinyong.catalog.catalog_yaml import (
    CatalogSpec,
    CategorySpec,
    FieldSpec,
    RulesSpec,
    parse_catalog,
    parse_rules,
)
from xinyong.catalog.models import CatalogVersion, Category, CategoryField, Rule
from xinyong.catalog.yamlcheck import INVALID, Problems
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict
from xinyong.core.reference import AuditNote, Changes, ReferenceSpec, reference_load
from xinyong.core.reference import LoadResult as ReferenceResult

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CATALOG_PATH = DATA_DIR / "catalog.yaml"
DEFAULT_RULES_PATH = DATA_DIR / "rules.yaml"

_CATEGORY_KEYS = (
    "name", "description", "subject_kinds", "polarity", "severity_tiers", "shuanggongshi",
    "deadline_working_days", "publication_rule", "providers_open", "order", "active",
)  # fmt: skip
_FIELD_KEYS = (
    "code",
    "name",
    "type",
    "required",
    "rule",
    "options",
    "max_length",
    "tier",
    "description",
    "order",
)


@dataclass(kw_only=True)
class LoadResult(ReferenceResult):
    """What a load did. `created` / `updated` / `deactivated` hold category codes (catalog) or
    "key@effective_from" labels (rules); `audit_seq` is the audit event's seq, None when nothing changed."""

    version: str
    sha256: str
    version_created: bool = False

    @property
    def changed(self) -> bool:
        return self.version_created or super().changed

    def head(self) -> str:
        """ "版本 2026.1" (the summary: "版本 2026.1：新增 17，更新 0，停用 0")."""
        return f"版本 {self.version}"


# ── catalog ───────────────────────────────────────────────────────────────────────────────────────


def catalog_load(*, actor: Actor, now: dt.datetime, path: str | Path | None = None) -> LoadResult:
    """Load the catalog (公共信用信息目录, docs/domain.md): validate, resolve providers, upsert, audit
    (`catalog.load`) when something changed.

    Refuses (`catalog.invalid`) an invalid file or an unknown provider name, and (`catalog.version_exists`,
    409) changed content under a version string that is already loaded.
    """
    return reference_load(CATALOG, actor=actor, now=now, path=path)


def _catalog_write(spec: CatalogSpec, changes: Changes) -> LoadResult:
    units = _providers_resolve(spec)
    version, version_created = _version_get_or_create(spec, changes.now)
    created, updated = _categories_apply(spec, version, units)
    deactivated = _categories_deactivate(spec, version)
    return LoadResult(
        version=spec.version, sha256=spec.sha256, version_created=version_created,
        created=created, updated=updated, deactivated=deactivated,
    )  # fmt: skip


def _providers_resolve(spec: CatalogSpec) -> dict[str, int]:
    """Map every provider name to its unit's id through UnitName (every alias, canonical name included)."""
    found = unit_ids_named(names={name for category in spec.categories for name in category.providers})
    problems = Problems("目录文件")
    for category in spec.categories:
        for name in category.providers:
            if name not in found:
                path = f"categories[{category.code}].providers"
                problems.add(path, "unknown_provider", f"数据提供单位“{name}”不在单位名录中")
    problems.raise_if_any()
    return found


def _version_get_or_create(spec: CatalogSpec, now: dt.datetime) -> tuple[CatalogVersion, bool]:
    version = CatalogVersion.objects.select_for_update().filter(version=spec.version).first()
    if version is None:
        fields = {"effective_from": spec.effective_from, "sha256": spec.sha256, "loaded_at": now}
        return CatalogVersion.objects.create(version=spec.version, **fields), True
    if version.sha256 != spec.sha256:
        raise Conflict(
            "catalog.version_exists",
            f"目录版本 {spec.version} 已以不同内容载入（SHA-256 {version.sha256[:12]}…）；"
            "修改目录须同时提升 version",
        )
    return version, False


def _categories_apply(
    spec: CatalogSpec, version: CatalogVersion, units: dict[str, int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    codes = [category.code for category in spec.categories]
    existing = {c.code: c for c in Category.objects.select_for_update().filter(code__in=codes)}
    created, updated = [], []
    for order, category_spec in enumerate(spec.categories):
        category = existing.get(category_spec.code)
        wanted = _category_state(category_spec, order, units)
        if category is None:
            _category_write(Category(code=category_spec.code), wanted, version)
            created.append(category_spec.code)
        elif _category_current_state(category) != wanted:
            _category_write(category, wanted, version)
            updated.append(category_spec.code)
    return tuple(created), tuple(updated)


def _category_state(spec: CategorySpec, order: int, units: dict[str, int]) -> dict[str, Any]:
    """The category as the file wants it, in the same shape as `_category_current_state`."""
    return {
        "row": {
            "name": spec.name, "description": spec.description, "subject_kinds": list(spec.subject_kinds),
            "polarity": spec.polarity, "severity_tiers": list(spec.severity_tiers),
            "shuanggongshi": spec.shuanggongshi, "deadline_working_days": spec.deadline_working_days,
            "publication_rule": spec.publication_rule, "providers_open": spec.providers_open,
            "order": order, "active": True,
        },
        "providers": sorted(units[name] for name in spec.providers),
        "fields": [_field_row(f, i) for i, f in enumerate(spec.fields)],
    }  # fmt: skip


def _field_row(spec: FieldSpec, order: int) -> dict[str, Any]:
    return {
        "code": spec.code, "name": spec.name, "type": spec.type, "required": spec.required, "rule": spec.rule,
        "options": spec.options, "max_length": spec.max_length, "tier": spec.tier,
        "description": spec.description, "order": order,
    }  # fmt: skip


def _category_current_state(category: Category) -> dict[str, Any]:
    """The category as the database has it (active fields only), comparable with `_category_state`."""
    fields = category.fields.filter(active=True).order_by("order")
    return {
        "row": {key: getattr(category, key) for key in _CATEGORY_KEYS},
        "providers": sorted(category.providers.values_list("pk", flat=True)),
        "fields": [{key: getattr(f, key) for key in _FIELD_KEYS} for f in fields],
    }


def _category_write(category: Category, wanted: dict[str, Any], version: CatalogVersion) -> None:
    for key, value in wanted["row"].items():
        setattr(category, key, value)
    category.version = version
    category.save()
    category.providers.set(wanted["providers"])
    _fields_write(category, wanted["fields"])


def _fields_write(category: Category, rows: list[dict[str, Any]]) -> None:
    """Upsert the file's fields; a field the file no longer has is deactivated, never deleted."""
    existing = {f.code: f for f in category.fields.all()}
    for row in rows:
        field = existing.pop(row["code"], None) or CategoryField(category=category)
        for key, value in row.items():
            setattr(field, key, value)
        field.active = True
        field.save()
    for field in existing.values():
        if field.active:
            field.active = False
            field.save(update_fields=["active"])


def _categories_deactivate(spec: CatalogSpec, version: CatalogVersion) -> tuple[str, ...]:
    """A category the file no longer has is deactivated (records may still refer to it)."""
    gone = Category.objects.filter(active=True).exclude(code__in=[c.code for c in spec.categories])
    codes = tuple(gone.order_by("code").values_list("code", flat=True))
    gone.update(active=False, version=version)
    return codes


def _catalog_audit(spec: CatalogSpec, result: LoadResult, changes: Changes) -> AuditNote:
    payload = {
        "version": spec.version, "effective_from": spec.effective_from.isoformat(), "sha256": spec.sha256,
        "version_created": result.version_created, **result.labels(),
    }  # fmt: skip
    return AuditNote("catalog.load", "catalog_version", spec.version, payload)


# ── rules ─────────────────────────────────────────────────────────────────────────────────────────


def rules_load(*, actor: Actor, now: dt.datetime, path: str | Path | None = None) -> LoadResult:
    """Load the rules table (docs/rules.md): insert new rows, update changed ones, audit `catalog.rules_load`.

    A loaded row may not disappear from the file (`catalog.rule_removed`, 409): the rule in force on a past
    date must stay answerable. A change of law is a new row with a later effective_from.
    """
    return reference_load(RULES, actor=actor, now=now, path=path)


def _rules_write(spec: RulesSpec, changes: Changes) -> LoadResult:
    existing = {(r.key, r.effective_from): r for r in Rule.objects.select_for_update()}
    _refuse_removed_rules(existing, spec)
    created, updated = _rules_apply(existing, spec)
    return LoadResult(version=spec.version, sha256=spec.sha256, created=created, updated=updated)


def _rule_label(key: str, effective_from: dt.date) -> str:
    return f"{key}@{effective_from.isoformat()}"


def _refuse_removed_rules(existing: dict[tuple[str, dt.date], Rule], spec: RulesSpec) -> None:
    missing = sorted(set(existing) - {(r.key, r.effective_from) for r in spec.rules})
    if missing:
        key, effective_from = missing[0]
        raise Conflict(
            "catalog.rule_removed",
            f"规则 {key}（{effective_from.isoformat()} 起生效）已载入，不得从规则表中删除；"
            "法规变化请新增生效日期更晚的一行",
        )


def _rules_apply(
    existing: dict[tuple[str, dt.date], Rule], spec: RulesSpec
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    created, updated = [], []
    for row in spec.rules:
        rule = existing.get((row.key, row.effective_from))
        if rule is None:
            Rule.objects.create(
                key=row.key, effective_from=row.effective_from, values=row.values, source=row.source
            )
            created.append(_rule_label(row.key, row.effective_from))
        elif (rule.values, rule.source) != (row.values, row.source):
            rule.values, rule.source = row.values, row.source
            rule.save(update_fields=["values", "source"])
            updated.append(_rule_label(row.key, row.effective_from))
    return tuple(created), tuple(updated)


def _rules_audit(spec: RulesSpec, result: LoadResult, changes: Changes) -> AuditNote:
    payload = {"version": spec.version, "sha256": spec.sha256, "created": list(result.created),
               "updated": list(result.updated)}  # fmt: skip
    return AuditNote("catalog.rules_load", "rule_table", spec.version, payload)


CATALOG = ReferenceSpec(name="catalog", default_path=DEFAULT_CATALOG_PATH, invalid=INVALID,
                        parse=lambda text, _path: parse_catalog(text), write=_catalog_write,
                        audit=_catalog_audit, append=audit_append)  # fmt: skip
RULES = ReferenceSpec(name="rules", default_path=DEFAULT_RULES_PATH, invalid=INVALID,
                      parse=lambda text, _path: parse_rules(text), write=_rules_write,
                      audit=_rules_audit, append=audit_append)  # fmt: skip
