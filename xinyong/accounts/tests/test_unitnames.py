"""The unit registry (units.yaml) and name resolution (plain pytest, no Django)."""

from collections import Counter
from pathlib import Path

import pytest

from xinyong.accounts.unitnames import (
    ResolvedName,
    Unit,
    UnitRegistry,
    UnitRegistryError,
    load_unit_registry,
    normalize_unit_name,
)

DISTRICTS = [
    "东城区政府",
    "西城区政府",
    "朝阳区政府",
    "海淀区政府",
    "丰台区政府",
    "石景山区政府",
    "门头沟区政府",
    "房山区政府",
    "通州区政府",
    "顺义区政府",
    "昌平区政府",
    "大兴区政府",
    "怀柔区政府",
    "平谷区政府",
    "密云区政府",
    "延庆区政府",
]


@pytest.fixture(scope="module")
def registry() -> UnitRegistry:
    return load_unit_registry()


def _unit(code: str, name: str, aliases: tuple[str, ...] = ()) -> Unit:
    return Unit(code, name, name, aliases, "municipal_department", None, ("provider",))


def test_counts_and_types(registry: UnitRegistry) -> None:
    assert len(registry) == 77
    assert Counter(unit.type for unit in registry.units) == {
        "municipal_department": 41,
        "district_government": 16,
        "central_office": 9,
        "court": 6,
        "procuratorate": 1,
        "party_body": 2,
        "mass_organisation": 2,
    }
    assert [group.code for group in registry.groups] == ["group-districts", "group-departments"]


def test_reference_data_rules(registry: UnitRegistry) -> None:
    assert all(unit.uscc is None for unit in registry.units)
    assert all({"provider", "consumer", "implementer"} <= set(unit.roles) for unit in registry.units)
    assert [unit.code for unit in registry.units if "reviewer" in unit.roles] == ["bj-jingxinwei"]
    assert all("decider" not in unit.roles for unit in registry.units)


def test_credit_office_is_the_economy_and_information_commission(registry: UnitRegistry) -> None:
    unit = registry.get("bj-jingxinwei")
    assert (unit.name, unit.full_name, unit.type) == (
        "市经济信息化委",
        "北京市经济和信息化委员会",
        "municipal_department",
    )
    assert not registry.resolve("市信用办").is_known


def test_two_names_of_the_communications_office_are_one_unit(registry: UnitRegistry) -> None:
    long_form = registry.resolve("北京市通信管理局")
    short_form = registry.resolve("市通信管理局")
    assert long_form.code == short_form.code == "bj-tongxinju"
    assert long_form.name == short_form.name == "市通信管理局"
    assert registry.get("bj-tongxinju").type == "central_office"


def test_all_districts_group(registry: UnitRegistry) -> None:
    resolved = registry.resolve("各区政府")
    assert (resolved.kind, resolved.code, resolved.fixed_members) == ("group", "group-districts", True)
    assert len(resolved.members) == 16
    assert [registry.get(code).name for code in resolved.members] == DISTRICTS
    assert registry.group_members("group-districts") == resolved.members
    assert {registry.get(code).type for code in resolved.members} == {"district_government"}


def test_districts_answer_to_their_full_names(registry: UnitRegistry) -> None:
    for name in DISTRICTS:
        unit = registry.get(registry.resolve(name).code or "")
        assert unit.full_name == f"北京市{name.removesuffix('政府')}人民政府"
        assert registry.resolve(unit.full_name).code == unit.code
        assert registry.resolve(name.replace("政府", "人民政府")).code == unit.code


def test_relevant_departments_group_is_open(registry: UnitRegistry) -> None:
    resolved = registry.resolve("各有关部门")
    assert resolved == ResolvedName(
        "各有关部门", "各有关部门", "group", "group-departments", "各有关部门", (), False
    )
    members = registry.group_members("group-departments")
    assert len(members) == 41
    assert members == tuple(unit.code for unit in registry.by_type("municipal_department"))


def test_courts(registry: UnitRegistry) -> None:
    assert [unit.full_name for unit in registry.by_type("court")] == [
        "北京市高级人民法院",
        "北京市第一中级人民法院",
        "北京市第二中级人民法院",
        "北京市第三中级人民法院",
        "北京知识产权法院",
        "北京互联网法院",
    ]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("市财政局", "bj-caizhengju"),
        ("市财政局等部门", "bj-caizhengju"),
        (" 北京市 财政局等单位 ", "bj-caizhengju"),
        ("北京市财政局", "bj-caizhengju"),
        ("北京市发展和改革委员会", "bj-fagaiwei"),
        ("北京市市经济信息化委", None),
        ("中国人民银行营业管理部", "bj-renhang"),
        ("北京市委宣传部", "bj-xuanchuanbu"),
        ("北京市高级人民法院", "bj-gaoyuan"),
        ("北京市人民检察院", "bj-jianchayuan"),
        ("北京市人民政府国有资产监督管理委员会", "bj-guoziwei"),
        ("北京市市场监管局", "bj-gongshangju"),  # its name since 2018-11-16 (names in units.yaml)
        ("国家税务总局北京市税务局", "bj-guoshuiju"),
        ("北京市经济和信息化局", None),  # a successor without a dated name is not an alias
    ],
)
def test_resolve_units(registry: UnitRegistry, raw: str, code: str | None) -> None:
    resolved = registry.resolve(raw)
    assert resolved.code == code
    assert resolved.kind == ("unit" if code else "unknown")


def test_city_prefix_rule_works_without_an_alias() -> None:
    registry = UnitRegistry([_unit("bj-a", "市甲局")])
    assert registry.resolve("北京市甲局").code == "bj-a"
    assert registry.resolve("北京市乙局").kind == "unknown"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("市财政局", "市财政局"),
        (" 市财政局等部门\n", "市财政局"),
        ("市 编办等单位", "市编办"),
        ("各有关部门", "各有关部门"),
        ("等部门", "等部门"),
        ("北京市通信管理局", "北京市通信管理局"),
    ],
)
def test_normalize_unit_name(raw: str, expected: str) -> None:
    assert normalize_unit_name(raw) == expected


def test_every_name_is_unique_across_units(registry: UnitRegistry) -> None:
    names = [normalize_unit_name(name) for unit in registry.units for name in unit.all_names]
    assert len(names) == len(set(names))
    assert len({unit.name for unit in registry.units}) == 77


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    return path


UNIT_A = "  - {code: bj-a, name: 市甲局, aliases: [甲局], type: municipal_department, roles: [provider]}\n"


@pytest.mark.parametrize(
    "extra",
    [
        "  - {code: bj-b, name: 市乙局, aliases: [甲局], type: municipal_department, roles: [provider]}\n",
        "  - {code: bj-a, name: 市乙局, type: municipal_department, roles: [provider]}\n",
        "  - {code: BJ_B, name: 市乙局, type: municipal_department, roles: [provider]}\n",
        "  - {code: bj-b, name: 市乙局, type: ministry, roles: [provider]}\n",
        "  - {code: bj-b, name: 市乙局, type: court, roles: [boss]}\n",
        "  - {code: bj-b, name: 市乙局, type: court, roles: [provider], uscc: '123'}\n",
        "  - {code: bj-b, name: 市乙局, type: court, roles: [provider], colour: red}\n",
    ],
)
def test_bad_registry_files_are_refused(tmp_path: Path, extra: str) -> None:
    with pytest.raises(UnitRegistryError):
        load_unit_registry(_write(tmp_path, "units:\n" + UNIT_A + extra))


def test_bad_groups_are_refused(tmp_path: Path) -> None:
    group = "groups:\n  - {code: g, name: 各局, members: [bj-zzz]}\n"
    with pytest.raises(UnitRegistryError, match="unknown members"):
        load_unit_registry(_write(tmp_path, "units:\n" + UNIT_A + group))


def test_small_registry_file(tmp_path: Path) -> None:
    group = "groups:\n  - {code: g-all, name: 各局, members: [bj-a]}\n"
    registry = load_unit_registry(_write(tmp_path, "units:\n" + UNIT_A + group))
    assert registry.resolve("甲局等部门").code == "bj-a"
    assert registry.get("bj-a").full_name == "市甲局"
    assert registry.resolve("各局").members == ("bj-a",)
