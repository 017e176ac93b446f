"""Small catalog and rules documents for tests, as Python data (dumped to YAML by `dump`)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import yaml

CATALOG: dict[str, Any] = {
    "version": "t1",
    "effective_from": dt.date(2026, 4, 1),
    "categories": [
        {
            "code": "CF",
            "name": "行政处罚信息",
            "description": "测试用处罚类别",
            "subject_kinds": ["enterprise", "natural_person"],
            "polarity": "negative",
            "severity_tiers": ["minor", "general", "serious"],
            "shuanggongshi": True,
            "deadline_working_days": 7,
            "publication_rule": "severity_period",
            "providers": ["*"],
            "fields": [
                {
                    "code": "CF_XDR_MC",
                    "name": "行政相对人名称",
                    "type": "string",
                    "required": True,
                    "max_length": 200,
                    "tier": "public",
                    "description": "名称或姓名",
                },
                {
                    "code": "CF_CFLB",
                    "name": "处罚类别",
                    "type": "enum",
                    "required": True,
                    "max_length": 256,
                    "tier": "public",
                    "multiple": True,
                    "values": ["警告", "罚款"],
                    "description": "可多选",
                },
                {
                    "code": "CF_NR_FK",
                    "name": "罚款金额（万元）",
                    "type": "decimal_wan",
                    "required_if": "cflb_fine",
                    "tier": "public",
                    "description": "万元",
                },
                {
                    "code": "CF_XDR_ZJHM",
                    "name": "证件号码",
                    "type": "id_number",
                    "required": False,
                    "max_length": 64,
                    "tier": "authorised",
                    "masked": True,
                    "description": "遮蔽",
                },
            ],
        },
        {
            "code": "DJ",
            "name": "登记注册基本信息",
            "subject_kinds": ["enterprise"],
            "polarity": "neutral",
            "publication_rule": "while_registered",
            "providers": ["市工商局"],
            "fields": [
                {
                    "code": "DJ_ZTMC",
                    "name": "主体名称",
                    "type": "string",
                    "required": True,
                    "max_length": 200,
                    "tier": "public",
                    "description": "登记名称",
                },
                {
                    "code": "DJ_ZT",
                    "name": "登记状态",
                    "type": "code_list",
                    "required": True,
                    "tier": "public",
                    "values": {"1": "存续", "2": "注销"},
                    "description": "状态",
                },
                {
                    "code": "DJ_YXQZ",
                    "name": "有效期至",
                    "type": "date",
                    "required": False,
                    "tier": "public",
                    "long_term": dt.date(2099, 12, 31),
                    "description": "长期填 2099-12-31",
                },
            ],
        },
    ],
}

RULES: dict[str, Any] = {
    "version": "r1",
    "rules": [
        {
            "key": "publication.penalty.serious",
            "effective_from": dt.date(2019, 7, 1),
            "values": {"published": True, "min": {"months": 6}, "max": {"years": 3}},
            "source": "2019",
        },
        {
            "key": "publication.penalty.serious",
            "effective_from": dt.date(2026, 4, 1),
            "values": {"published": True, "min": {"years": 1}, "max": {"years": 3}},
            "source": "2025",
        },
        {
            "key": "objection.accept",
            "effective_from": dt.date(2026, 4, 1),
            "values": {"deadline": {"working_days": 2}},
            "source": "2025",
        },
    ],
}


def catalog() -> dict[str, Any]:
    """A fresh deep copy of the sample catalog, to modify in one test."""
    return copy.deepcopy(CATALOG)


def rules() -> dict[str, Any]:
    return copy.deepcopy(RULES)


def dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def field(document: dict[str, Any], category: str, code: str) -> dict[str, Any]:
    """The field `code` of `category` in a sample document (to modify in place)."""
    cat = next(c for c in document["categories"] if c["code"] == category)
    return next(f for f in cat["fields"] if f["code"] == code)


def category(document: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for c in document["categories"] if c["code"] == code)
