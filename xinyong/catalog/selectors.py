"""Reads of the catalog app: categories with their fields, and "which rule applied on date D"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from xinyong.catalog.models import Category, CategoryField, Rule
from xinyong.catalog.periods import add_quantity
from xinyong.catalog.vocabulary import NEGATIVE, SEVERITIES
from xinyong.core.errors import DomainError, NotFound

PUBLICATION_RULE_KEY = "publication.penalty.{severity}"


def _categories() -> QuerySet[Category]:
    """Categories with their active fields (as `active_fields`, in order), providers and version."""
    fields = Prefetch(
        "fields",
        queryset=CategoryField.objects.filter(active=True).order_by("order"),
        to_attr="active_fields",
    )
    return Category.objects.select_related("version").prefetch_related(fields, "providers")


def category_list() -> list[Category]:
    """The active categories of the catalog, in catalog order."""
    return list(_categories().filter(active=True).order_by("order", "code"))


def category_get(*, code: str, include_inactive: bool = False) -> Category:
    """One category by code; `catalog.category_not_found` (404) when unknown (or inactive, unless asked)."""
    queryset = _categories() if include_inactive else _categories().filter(active=True)
    category = queryset.filter(code=code).first()
    if category is None:
        raise NotFound("catalog.category_not_found", f"目录类别 {code} 不存在")
    return category


def rule_in_force(*, key: str, on: dt.date) -> Rule:
    """The row of `key` that applied on `on`: the greatest effective_from <= on (docs/domain.md principle 3).

    `rule.none` when `key` had no row yet on that date (or does not exist).
    """
    rule = Rule.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
    if rule is None:
        raise DomainError("rule.none", f"{on.isoformat()} 时规则 {key} 尚无生效的版本")
    return rule


def rule_versions(*, key: str) -> list[Rule]:
    """Every row of `key`, oldest first: callers that answer for many dates pick the row in force on each
    (the greatest effective_from <= that date) without a query per date. Empty when `key` has no row."""
    return list(Rule.objects.filter(key=key).order_by("effective_from"))


def rules_in_force(*, on: dt.date) -> list[Rule]:
    """For every key, the row that applied on `on` (keys with no row yet on that date are left out)."""
    latest: dict[str, Rule] = {}
    for rule in Rule.objects.filter(effective_from__lte=on).order_by("key", "-effective_from"):
        latest.setdefault(rule.key, rule)
    return list(latest.values())


def publication_window(*, severity: str, decision_date: dt.date) -> tuple[dt.date, dt.date] | None:
    """(minimum end, maximum end) of the publication of a penalty decided on `decision_date`, or None when
    the rule in force on that date does not publish this severity (2026-04-01 on: minor penalties).

    Uses `publication.penalty.<severity>` in force on the decision date, so an old decision keeps the
    periods it was decided under. Both ends are the decision date plus the period in calendar months or
    years, clamped to the end of a shorter month (2024-01-31 + 1 month = 2024-02-29): publication may end
    (e.g. by repair) from the minimum end, and must end by the maximum end.
    """
    if severity not in SEVERITIES:
        raise DomainError(
            "rule.severity_invalid", f"未知的严重程度：{severity}（可选：{'、'.join(SEVERITIES)}）"
        )
    values = rule_in_force(key=PUBLICATION_RULE_KEY.format(severity=severity), on=decision_date).values
    if not values["published"]:
        return None
    return add_quantity(decision_date, values["min"]), add_quantity(decision_date, values["max"])


def category_list_bare() -> list[Category]:
    """The active categories in catalog order, without their fields, providers or version."""
    return list(Category.objects.filter(active=True).order_by("order", "code"))


def category_public_fields(*, category_ids: Iterable[int]) -> list[tuple[int, str, str, dict | None]]:
    """(category id, code, name, options) of the active public-tier fields (社会公开) of these categories, by
    category and catalog order."""
    rows = CategoryField.objects.filter(category_id__in=category_ids, active=True, tier="public")
    return list(rows.order_by("category_id", "order").values_list("category_id", "code", "name", "options"))


def category_codes_polarities() -> dict[int, tuple[str, str]]:
    """Category id → (code, polarity), every category (active or not: old records keep theirs)."""
    rows = Category.objects.values_list("id", "code", "polarity")
    return {pk: (code, polarity) for pk, code, polarity in rows}


def categories_by_ids(*, ids: Iterable[int]) -> list[Category]:
    """These categories, in catalog order."""
    return list(Category.objects.filter(pk__in=list(ids)).order_by("order", "code"))


def category_by_code(*, code: str) -> Category:
    """One category by code, active or not, without its fields or providers (the 双公示 pages read their
    own fields); `Category.DoesNotExist` when unknown, as the callers' fixed codes never are."""
    return Category.objects.get(code=code)


@dataclass(frozen=True)
class CategorySql:
    """Catalog's SQL for other apps' raw queries (ADR 0022): the owner names its table, columns and
    states, the caller composes them into its one statement. `table` is the FROM item (with its alias),
    `columns` the selected (and grouped) columns, `where` the join and filter condition."""

    table: str
    columns: str
    where: str


def category_sql_negative(*, alias: str, category_id: str) -> CategorySql:
    """The negative categories (失信, polarity NEGATIVE) joined on `category_id` (the caller's column, e.g.
    "r.category_id"), as (code, name, order) under `alias`: for the check's negative-record summary
    (records/shown.py `negative_summaries`), which must stay one query on its covering index."""
    return CategorySql(
        table=f"{Category._meta.db_table} {alias}",
        columns=f'{alias}.code, {alias}.name, {alias}."order"',
        where=f"{alias}.id = {category_id} AND {alias}.polarity = '{NEGATIVE}'",
    )


def category_active_bare(*, code: str) -> Category | None:
    """The active category with that code, without its fields, providers or version; None when there is
    none (the caller words its own refusal)."""
    return Category.objects.filter(code=code, active=True).first()


def categories_provided(*, unit_id: int | None, open_too: bool) -> QuerySet[Category]:
    """The active categories unit `unit_id` provides (a named provider, or `open_too`: a provider unit of a
    category open to every provider); every active category when `unit_id` is None. A QuerySet, for form
    choices."""
    categories = Category.objects.filter(active=True)
    if unit_id is not None:
        provides = Q(providers__pk=unit_id) | (Q(providers_open=True) if open_too else Q(pk__in=[]))
        categories = categories.filter(provides).distinct()
    return categories


def categories_queryset(*, ids: Iterable[int]) -> QuerySet[Category]:
    """These categories in catalog order, as a QuerySet (form choices; no ids: an empty choice)."""
    return Category.objects.filter(pk__in=list(ids)).order_by("order", "code")


def category_deadlines() -> dict[int, tuple[str, int]]:
    """Category id → (code, publication deadline in working days) for every category that has one (the
    双公示 categories; issue 16 metrics)."""
    rows = Category.objects.filter(deadline_working_days__isnull=False)
    return {
        pk: (code, days or 0) for pk, code, days in rows.values_list("pk", "code", "deadline_working_days")
    }


def categories_named_providers() -> dict[int, list[str]]:
    """Unit id → codes of the active categories the catalog names it a provider of (`providers`; a category
    open to every provider names nobody), for completeness against the catalog (issue 16 metrics)."""
    provided: dict[int, list[str]] = {}
    rows = Category.providers.through.objects.filter(category__active=True).order_by("category__code")
    for unit_id, code in rows.values_list("unit_id", "category__code"):
        provided.setdefault(unit_id, []).append(code)
    return provided
