"""The shipped catalog.yaml against the shipped units.yaml (accounts app): every provider name resolves."""

from __future__ import annotations

import pytest

from xinyong.accounts.models import Unit, UnitName
from xinyong.catalog.models import Category
from xinyong.catalog.services import catalog_load
from xinyong.subjects.samplenames import DISTRICTS as SAMPLE_DISTRICTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_units(db):
    """Units and their names from units.yaml (skipped while that file does not exist)."""
    unitnames = pytest.importorskip("xinyong.accounts.unitnames")
    if not unitnames.DEFAULT_REGISTRY_PATH.exists():
        pytest.skip("xinyong/accounts/data/units.yaml does not exist yet")
    for entry in unitnames.load_unit_registry().units:
        unit, _ = Unit.objects.get_or_create(
            code=entry.code,
            defaults={
                "name": entry.name,
                "full_name": entry.full_name,
                "type": entry.type,
                "roles": list(entry.roles),
            },
        )
        for name in entry.all_names:
            UnitName.objects.get_or_create(name=name, defaults={"unit": unit})


# the 16 district governments (accounts/data/units.yaml), providers of the 政务失信 categories (ADR 0037)
DISTRICTS = [code for _region, code, _short in SAMPLE_DISTRICTS]


def test_shipped_catalog_loads_against_shipped_units(registry_units, actor, now):
    result = catalog_load(actor=actor, now=now)
    assert len(result.created) == 21
    providers = {
        c.code: sorted(u.code for u in c.providers.all())
        for c in Category.objects.filter(providers_open=False)
    }
    assert providers == {
        "DJ": ["bj-bianban", "bj-gongshangju", "bj-minzhengju"],
        "SXBZX": ["bj-gaoyuan"],
        "JYYC": ["bj-gongshangju"],
        "HTLY": ["bj-caizhengju", "bj-fagaiwei", "bj-shangwuwei"],
        "NSXY": ["bj-dishuiju", "bj-guoshuiju"],
        "SBJN": ["bj-rensheju"],
        "ZYSB": ["bj-jingxinwei"],
        "ZFSXBZX": ["bj-erzhongyuan", "bj-gaoyuan", "bj-sanzhongyuan", "bj-yizhongyuan"],
        "ZFWY": sorted(
            [*DISTRICTS, "bj-caizhengju", "bj-fagaiwei", "bj-jingxinwei", "bj-shangwuwei", "bj-touzicujinju"]
        ),
        "ZFCG": sorted([*DISTRICTS, "bj-caizhengju"]),
    }
