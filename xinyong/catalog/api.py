"""Catalog API, mounted at /api/v1/catalog: the published catalog and the rules in force. Public reads.

The category list is not paginated: the catalog is small and bounded (one row per category of the national
basic catalog, about twenty).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from xinyong.catalog import selectors
from xinyong.catalog.schemas import CategoryOut, RulesInForceOut, RulesQuery
from xinyong.core import timeutil
from xinyong.core.api import Problem

router = Router(tags=["catalog"])


@router.get(
    "/categories",
    response=list[CategoryOut],
    operation_id="catalog_categories_list",
    summary="目录类别列表（含字段、公开层级、提供单位）",
)
def categories_list(request: HttpRequest):
    return selectors.category_list()


@router.get(
    "/categories/{code}",
    response={200: CategoryOut, 404: Problem},
    operation_id="catalog_categories_get",
    summary="一个目录类别",
)
def categories_get(request: HttpRequest, code: str):
    return selectors.category_get(code=code)


@router.get(
    "/rules",
    response={200: RulesInForceOut, 422: Problem},
    operation_id="catalog_rules_in_force",
    summary="某日有效的规则（默认今天，北京时间）",
)
def rules_in_force(request: HttpRequest, query: Query[RulesQuery]):
    on = query.on or timeutil.business_date(timeutil.now())
    return {"on": on, "rules": selectors.rules_in_force(on=on)}
