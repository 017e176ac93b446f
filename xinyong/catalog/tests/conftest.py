"""Fixtures of the catalog tests: units for the providers (created here, not read from units.yaml),
loaded catalog and rules, a fixed clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.support.factories import unit_make
from xinyong.accounts.models import Unit
from xinyong.catalog.services import catalog_load, rules_load
from xinyong.core.actor import Actor

# The providers named in the shipped catalog.yaml, with the codes units.yaml gives them.
PROVIDER_UNITS = {
    "市工商局": "bj-gongshangju",
    "市民政局": "bj-minzhengju",
    "市编办": "bj-bianban",
    "市高级人民法院": "bj-gaoyuan",
    "市财政局": "bj-caizhengju",
    "市发展改革委": "bj-fagaiwei",
    "市商务委": "bj-shangwuwei",
    "市国税局": "bj-guoshuiju",
    "市地税局": "bj-dishuiju",
    "市人力社保局": "bj-rensheju",
    "市经济信息化委": "bj-jingxinwei",
    "市第一中级人民法院": "bj-yizhongyuan",
    "市第二中级人民法院": "bj-erzhongyuan",
    "市第三中级人民法院": "bj-sanzhongyuan",
    "市投资促进局": "bj-touzicujinju",
    "东城区政府": "bj-dongcheng",
    "西城区政府": "bj-xicheng",
    "朝阳区政府": "bj-chaoyang",
    "丰台区政府": "bj-fengtai",
    "石景山区政府": "bj-shijingshan",
    "海淀区政府": "bj-haidian",
    "门头沟区政府": "bj-mentougou",
    "房山区政府": "bj-fangshan",
    "通州区政府": "bj-tongzhou",
    "顺义区政府": "bj-shunyi",
    "昌平区政府": "bj-changping",
    "大兴区政府": "bj-daxing",
    "怀柔区政府": "bj-huairou",
    "平谷区政府": "bj-pinggu",
    "密云区政府": "bj-miyun",
    "延庆区政府": "bj-yanqing",
}


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def actor() -> Actor:
    return Actor(label="user:1", unit_code="bj-jingxinwei", roles=frozenset({"admin"}), request_id="req-1")


@pytest.fixture
def provider_units(db) -> dict[str, Unit]:
    return {name: unit_make(name, code, (f"北京{name}",)) for name, code in PROVIDER_UNITS.items()}


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name="catalog.yaml") -> path of a file holding `text`."""

    def _write(text: str, name: str = "catalog.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def shipped(provider_units, actor, now) -> None:
    """The shipped rules.yaml and catalog.yaml, loaded."""
    rules_load(actor=actor, now=now)
    catalog_load(actor=actor, now=now)
