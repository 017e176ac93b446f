"""名称沿革: units keep their names with the dates each was in force, and a document dated D names a unit as
it was named on D (the 2018 reform: 工商/食药监/质监 → 市场监管 on 2018-11-16, 国税/地税 → 税务 on 2018-06-15)."""

import datetime as dt
from pathlib import Path

import pytest

from xinyong.accounts.models import Unit, UnitNamePeriod
from xinyong.accounts.reference import units_load
from xinyong.accounts.selectors import unit_name_on
from xinyong.accounts.unitnames import NamePeriod, UnitRegistryError, load_unit_registry
from xinyong.core.actor import Actor

NOW = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
D = dt.date


def test_the_registry_reads_the_dated_names_and_successors():
    registry = load_unit_registry()
    market = registry.get("bj-gongshangju")
    assert market.names == (
        NamePeriod("市工商局", "北京市工商行政管理局", None, D(2018, 11, 15)),
        NamePeriod("市市场监管局", "北京市市场监督管理局", D(2018, 11, 16), None),
    )
    assert [(u.code, u.successor) for u in registry.units if u.successor] == [
        ("bj-shiyaojianju", "bj-gongshangju"),
        ("bj-zhijianju", "bj-gongshangju"),
        ("bj-dishuiju", "bj-guoshuiju"),
    ]
    assert registry.get("bj-guoshuiju").names[1] == NamePeriod(
        "市税务局", "国家税务总局北京市税务局", D(2018, 6, 15), None
    )
    # the old names resolve as before, the new ones resolve to the same unit
    assert [registry.resolve(n).code for n in ("市工商局", "北京市工商局", "市市场监管局", "市税务局")] == [
        "bj-gongshangju", "bj-gongshangju", "bj-gongshangju", "bj-guoshuiju",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("names", "successor", "error"),
    [
        (
            "[{name: 甲, full_name: 甲局, valid_to: 2018-11-15}, {name: 乙, full_name: 乙局, valid_from: 2018-11-17}]",
            None,
            "bj-a.names: 乙局 must start the day after 甲局 ends",
        ),
        ("[{name: 甲, full_name: 甲局}]", "bj-b", "bj-a: a unit with a successor needs an end date (names)"),
        ("[{name: 甲, full_name: 甲局, valid_to: 2018-11-15}]", "bj-zz", "bj-a: unknown successor 'bj-zz'"),
        (
            "[{name: 甲, full_name: 甲局, valid_to: 2018-11}]",
            None,
            "bj-a.names[0]: dates must be YYYY-MM-DD",
        ),
    ],
)
def test_bad_name_histories_are_refused(tmp_path: Path, names, successor, error):
    unit = "  - {code: %s, name: %s, type: municipal_department, roles: [provider]%s}\n"
    extra = f", names: {names}" + (f", successor: {successor}" if successor else "")
    text = "units:\n" + unit % ("bj-a", "市甲局", extra) + unit % ("bj-b", "市乙局", "")
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnitRegistryError) as caught:
        load_unit_registry(path)
    assert str(caught.value) == error


@pytest.mark.django_db
def test_the_name_in_force_on_a_date():
    units_load(actor=Actor.system(), now=NOW)
    market, tax = Unit.objects.get(code="bj-gongshangju"), Unit.objects.get(code="bj-guoshuiju")
    assert [unit_name_on(market, on=day) for day in (D(2018, 6, 1), D(2018, 11, 15), D(2018, 11, 16))] == [
        "北京市工商行政管理局", "北京市工商行政管理局", "北京市市场监督管理局",
    ]  # fmt: skip
    assert unit_name_on(market, on=D(2019, 3, 1), full=False) == "市市场监管局"
    assert unit_name_on(market, on=D(2018, 6, 1), full=False) == "市工商局"
    assert [unit_name_on(tax, on=day) for day in (D(2018, 6, 14), D(2018, 6, 15))] == [
        "北京市国家税务局", "国家税务总局北京市税务局",
    ]  # fmt: skip
    merged = {
        code: Unit.objects.get(code=code) for code in ("bj-shiyaojianju", "bj-zhijianju", "bj-dishuiju")
    }
    assert {code: unit_name_on(u, on=D(2018, 6, 1)) for code, u in merged.items()} == {
        "bj-shiyaojianju": "北京市食品药品监督管理局",
        "bj-zhijianju": "北京市质量技术监督局",
        "bj-dishuiju": "北京市地方税务局",
    }
    assert {code: unit_name_on(u, on=D(2019, 1, 2)) for code, u in merged.items()} == {
        "bj-shiyaojianju": "北京市市场监督管理局",
        "bj-zhijianju": "北京市市场监督管理局",
        "bj-dishuiju": "国家税务总局北京市税务局",
    }
    finance = Unit.objects.get(code="bj-caizhengju")  # no dated history: its registry names
    assert (unit_name_on(finance, on=D(2018, 6, 1)), unit_name_on(finance, on=D(2026, 1, 1), full=False)) == (
        "北京市财政局",
        "市财政局",
    )


@pytest.mark.django_db
def test_loading_the_history_twice_changes_nothing():
    first = units_load(actor=Actor.system(), now=NOW)
    assert "bj-gongshangju" in first.changed
    assert UnitNamePeriod.objects.count() == 7
    assert Unit.objects.get(code="bj-dishuiju").successor.code == "bj-guoshuiju"
    assert units_load(actor=Actor.system(), now=NOW).changed == []
    UnitNamePeriod.objects.filter(full_name="北京市市场监督管理局").update(valid_from=D(2019, 1, 1))
    assert units_load(actor=Actor.system(), now=NOW).changed == ["bj-gongshangju"]
    period = UnitNamePeriod.objects.get(full_name="北京市市场监督管理局")
    assert (period.valid_from, period.valid_to) == (D(2018, 11, 16), None)
