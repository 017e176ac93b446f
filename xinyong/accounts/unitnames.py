"""The unit registry (单位名录) read from ``data/units.yaml``, and unit-name normalisation.

Pure Python (no Django): the plan loader and file importers use it to turn names as written in text
(``北京市通信管理局``, ``市财政局等部门``, ``各区政府``) into unit codes or groups.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from xinyong.core.yamlstrict import StrictYamlError, yaml_load_strict

__all__ = [
    "DEFAULT_REGISTRY_PATH",
    "ROLES",
    "NamePeriod",
    "UNIT_TYPES",
    "ResolvedName",
    "Unit",
    "UnitGroup",
    "UnitRegistry",
    "UnitRegistryError",
    "load_unit_registry",
    "normalize_unit_name",
]

DEFAULT_REGISTRY_PATH = Path(__file__).resolve().parent / "data" / "units.yaml"

UNIT_TYPES = frozenset(
    {
        "municipal_department",
        "district_government",
        "court",
        "procuratorate",
        "central_office",
        "party_body",
        "mass_organisation",
        "credit_office",
        "institution",
        "other",
    }
)
ROLES = frozenset({"provider", "consumer", "implementer", "decider", "reviewer"})  # a unit's functions
CREDIT_OFFICE_FUNCTION = "reviewer"  # the unit function of the credit office (not the user role reviewer)

# "X等部门" means "X and other departments": the name is X. Longest suffix first.
_OPEN_LIST_SUFFIXES = ("等有关部门", "等相关部门", "等部门", "等单位")
_CITY_PREFIX = "北京市"
_CODE_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_WHITESPACE_RE = re.compile(r"\s+")

_UNIT_KEYS = frozenset(
    {"code", "name", "full_name", "aliases", "type", "uscc", "roles", "names", "successor"}
)
_PERIOD_KEYS = frozenset({"name", "full_name", "valid_from", "valid_to"})
_GROUP_KEYS = frozenset({"code", "name", "aliases", "open_membership", "members", "member_types"})

Kind = Literal["unit", "group", "unknown"]


class UnitRegistryError(ValueError):
    """The registry file is malformed or inconsistent (duplicate code or name, unknown type or role …)."""


@dataclass(frozen=True)
class NamePeriod:
    """A name a unit bore from `valid_from` through `valid_to` (both inclusive; None: open), short and full
    (名称沿革: 北京市工商行政管理局 through 2018-11-15, 北京市市场监督管理局 since 2018-11-16)."""

    name: str
    full_name: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    def covers(self, day: dt.date) -> bool:
        """Whether the name was in force on `day`."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Unit:
    """One unit (单位): a department, district government, court, central office …

    ``names`` is its dated name history (oldest first; empty when the name never changed); ``successor`` the
    code of the unit that took over its functions when it ceased (a merger), if any."""

    code: str
    name: str
    full_name: str
    aliases: tuple[str, ...]
    type: str
    uscc: str | None
    roles: tuple[str, ...]
    names: tuple[NamePeriod, ...] = ()
    successor: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        """Canonical name, full name, aliases and the dated names, without repeats, canonical name first."""
        dated = (n for period in self.names for n in (period.name, period.full_name))
        return tuple(dict.fromkeys((self.name, self.full_name, *self.aliases, *dated)))


@dataclass(frozen=True)
class UnitGroup:
    """A name standing for several units: fixed members (各区政府) or open membership (各有关部门)."""

    code: str
    name: str
    aliases: tuple[str, ...]
    open_membership: bool
    members: tuple[str, ...]
    member_types: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        """Canonical name and aliases, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True)
class ResolvedName:
    """What a raw name from text means: a unit, a group, or nothing known.

    ``code`` is the unit or group code (``None`` when unknown); ``name`` the canonical name. For a group,
    ``members`` lists its fixed member unit codes; an open group (``fixed_members`` false) has none here —
    ask :meth:`UnitRegistry.group_members`.
    """

    raw: str
    normalized: str
    kind: Kind
    code: str | None = None
    name: str | None = None
    members: tuple[str, ...] = ()
    fixed_members: bool = True

    @property
    def is_unit(self) -> bool:
        """True when the name is one unit."""
        return self.kind == "unit"

    @property
    def is_group(self) -> bool:
        """True when the name stands for a group of units."""
        return self.kind == "group"

    @property
    def is_known(self) -> bool:
        """True unless the registry does not know the name."""
        return self.kind != "unknown"


def normalize_unit_name(raw: str) -> str:
    """Return ``raw`` in comparable form: NFKC, no whitespace, no ``等部门``/``等单位`` suffix.

    Aliases are not mapped here (that needs the registry: :meth:`UnitRegistry.resolve`).
    """
    name = _WHITESPACE_RE.sub("", unicodedata.normalize("NFKC", raw))
    for suffix in _OPEN_LIST_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class UnitRegistry:
    """Units and groups with a name index; built from :func:`load_unit_registry` or directly in tests."""

    def __init__(self, units: Sequence[Unit], groups: Sequence[UnitGroup] = ()) -> None:
        """Check codes, names and group members, and index every name (normalised)."""
        codes = [unit.code for unit in units] + [group.code for group in groups]
        if len(set(codes)) != len(codes):
            raise UnitRegistryError("duplicate unit or group code")
        self._units = {unit.code: unit for unit in units}
        self._groups = {group.code: group for group in groups}
        self._check_groups()
        self._check_successors()
        self._index = _build_index(units, groups)

    @property
    def units(self) -> tuple[Unit, ...]:
        """All units, in file order."""
        return tuple(self._units.values())

    @property
    def groups(self) -> tuple[UnitGroup, ...]:
        """All groups, in file order."""
        return tuple(self._groups.values())

    def __len__(self) -> int:
        """Number of units (groups not counted)."""
        return len(self._units)

    def get(self, code: str) -> Unit:
        """Return the unit with this code; ``KeyError`` if there is none."""
        return self._units[code]

    def group(self, code: str) -> UnitGroup:
        """Return the group with this code; ``KeyError`` if there is none."""
        return self._groups[code]

    def by_type(self, unit_type: str) -> tuple[Unit, ...]:
        """Return the units of one type, in file order."""
        return tuple(unit for unit in self._units.values() if unit.type == unit_type)

    def group_members(self, code: str) -> tuple[str, ...]:
        """Return a group's member unit codes; an open group answers every unit of its member types."""
        group = self._groups[code]
        if not group.open_membership:
            return group.members
        return tuple(unit.code for unit in self._units.values() if unit.type in group.member_types)

    def resolve(self, raw_name: str) -> ResolvedName:
        """Map a name as written (``北京市通信管理局``, ``市财政局等部门``, ``各区政府``) to a unit or group.

        Tries the normalised name, then the ``北京市X`` → ``市X`` form the plan uses for city units.
        """
        normalized = normalize_unit_name(raw_name)
        hit = self._index.get(normalized)
        if hit is None and normalized.startswith(_CITY_PREFIX):
            hit = self._index.get("市" + normalized[len(_CITY_PREFIX) :])
        if hit is None:
            return ResolvedName(raw=raw_name, normalized=normalized, kind="unknown")
        kind, code = hit
        return self._resolved(raw_name, normalized, kind, code)

    def _resolved(self, raw: str, normalized: str, kind: Kind, code: str) -> ResolvedName:
        """Build the answer for a name found in the index."""
        if kind == "unit":
            return ResolvedName(raw, normalized, "unit", code, self._units[code].name)
        group = self._groups[code]
        return ResolvedName(
            raw, normalized, "group", code, group.name, group.members, not group.open_membership
        )

    def _check_successors(self) -> None:
        """A successor is another known unit, and only a unit whose last name has an end has one."""
        for unit in self._units.values():
            if unit.successor is None:
                continue
            if unit.successor not in self._units or unit.successor == unit.code:
                raise UnitRegistryError(f"{unit.code}: unknown successor {unit.successor!r}")
            if not unit.names or unit.names[-1].valid_to is None:
                raise UnitRegistryError(f"{unit.code}: a unit with a successor needs an end date (names)")

    def _check_groups(self) -> None:
        """Every fixed member must be a known unit; open groups need member types and no members."""
        for group in self._groups.values():
            missing = [code for code in group.members if code not in self._units]
            if missing:
                raise UnitRegistryError(f"group {group.code}: unknown members {missing}")
            if group.open_membership and (group.members or not group.member_types):
                raise UnitRegistryError(f"group {group.code}: open membership needs member_types only")
            if not group.open_membership and not group.members:
                raise UnitRegistryError(f"group {group.code}: no members")


def load_unit_registry(path: str | Path | None = None) -> UnitRegistry:
    """Read and check the registry YAML (default: the packaged ``data/units.yaml``)."""
    source = Path(path) if path is not None else DEFAULT_REGISTRY_PATH
    return parse_unit_registry(source.read_text(encoding="utf-8"), source)


def parse_unit_registry(text: str, source: str | Path) -> UnitRegistry:
    """Check the registry YAML's text (`source` names the file in errors)."""
    try:
        data = yaml_load_strict(text)
    except StrictYamlError as exc:
        raise UnitRegistryError(f"{source}: {exc}") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("units"), list):
        raise UnitRegistryError(f"{source}: expected a mapping with a 'units' list")
    units = [_parse_unit(entry) for entry in data["units"]]
    groups = [_parse_group(entry) for entry in data.get("groups") or []]
    return UnitRegistry(units, groups)


def _build_index(units: Iterable[Unit], groups: Iterable[UnitGroup]) -> dict[str, tuple[Kind, str]]:
    """Index every normalised name; one name may not point to two different units or groups."""
    index: dict[str, tuple[Kind, str]] = {}
    entries: list[tuple[Kind, str, tuple[str, ...]]] = [("unit", u.code, u.all_names) for u in units]
    entries += [("group", g.code, g.all_names) for g in groups]
    for kind, code, names in entries:
        for name in names:
            key = normalize_unit_name(name)
            if index.setdefault(key, (kind, code)) != (kind, code):
                raise UnitRegistryError(f"name {name!r} is used by both {index[key][1]} and {code}")
    return index


def _check_keys(entry: Any, allowed: frozenset[str], required: Iterable[str]) -> Mapping[str, Any]:
    """Reject entries that are not mappings, miss a required key or carry an unknown one."""
    if not isinstance(entry, Mapping):
        raise UnitRegistryError(f"entry is not a mapping: {entry!r}")
    missing = [key for key in required if not entry.get(key)]
    unknown = set(entry) - allowed
    if missing or unknown:
        raise UnitRegistryError(f"entry {entry.get('code')!r}: missing {missing}, unknown {sorted(unknown)}")
    return entry


def _check_code(code: Any) -> str:
    """A code is a lowercase ASCII slug (``bj-jingxinwei``)."""
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise UnitRegistryError(f"bad code {code!r}")
    return code


def _str_tuple(value: Any, where: str) -> tuple[str, ...]:
    """A YAML list of non-empty strings (``None`` counts as empty)."""
    items = value or []
    if not isinstance(items, list) or not all(isinstance(item, str) and item for item in items):
        raise UnitRegistryError(f"{where}: expected a list of strings")
    return tuple(items)


def _parse_unit(entry: Any) -> Unit:
    """Turn one ``units`` entry into a :class:`Unit`, checking type, roles and USCC."""
    entry = _check_keys(entry, _UNIT_KEYS, ("code", "name", "type", "roles"))
    code = _check_code(entry["code"])
    roles = _str_tuple(entry["roles"], f"{code}.roles")
    if entry["type"] not in UNIT_TYPES or not set(roles) <= ROLES:
        raise UnitRegistryError(f"{code}: unknown type {entry['type']!r} or roles {roles}")
    uscc = entry.get("uscc")
    if uscc is not None and not (isinstance(uscc, str) and _USCC_RE.match(uscc)):
        raise UnitRegistryError(f"{code}: malformed uscc {uscc!r}")
    successor = entry.get("successor")
    if successor is not None:
        successor = _check_code(successor)
    return Unit(
        code=code,
        name=entry["name"],
        full_name=entry.get("full_name") or entry["name"],
        aliases=_str_tuple(entry.get("aliases"), f"{code}.aliases"),
        type=entry["type"],
        uscc=uscc,
        roles=roles,
        names=_parse_names(entry.get("names"), code),
        successor=successor,
    )


def _parse_names(value: Any, code: str) -> tuple[NamePeriod, ...]:
    """A unit's dated names, oldest first: only the first may lack `valid_from`, only the last `valid_to`,
    and each starts the day after the one before ends (no gap, no overlap)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise UnitRegistryError(f"{code}.names: expected a non-empty list")
    periods = []
    for index, item in enumerate(value):
        item = _check_keys(item, _PERIOD_KEYS, ("name", "full_name"))
        start, end = item.get("valid_from"), item.get("valid_to")
        if not all(d is None or type(d) is dt.date for d in (start, end)):
            raise UnitRegistryError(f"{code}.names[{index}]: dates must be YYYY-MM-DD")
        if start and end and end < start:
            raise UnitRegistryError(f"{code}.names[{index}]: valid_to before valid_from")
        periods.append(NamePeriod(item["name"], item["full_name"], start, end))
    for before, after in zip(periods, periods[1:], strict=False):
        if before.valid_to is None or after.valid_from != before.valid_to + dt.timedelta(days=1):
            raise UnitRegistryError(
                f"{code}.names: {after.full_name} must start the day after {before.full_name} ends"
            )
    return tuple(periods)


def _parse_group(entry: Any) -> UnitGroup:
    """Turn one ``groups`` entry into a :class:`UnitGroup`."""
    entry = _check_keys(entry, _GROUP_KEYS, ("code", "name"))
    code = _check_code(entry["code"])
    member_types = _str_tuple(entry.get("member_types"), f"{code}.member_types")
    if not set(member_types) <= UNIT_TYPES:
        raise UnitRegistryError(f"{code}: unknown member_types {member_types}")
    return UnitGroup(
        code=code,
        name=entry["name"],
        aliases=_str_tuple(entry.get("aliases"), f"{code}.aliases"),
        open_membership=bool(entry.get("open_membership", False)),
        members=_str_tuple(entry.get("members"), f"{code}.members"),
        member_types=member_types,
    )
