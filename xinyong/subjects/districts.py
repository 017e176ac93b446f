"""Which district a subject belongs to when nobody said (ADR 0037): a body registered by the 机构编制
authority (USCC starting with `1`: 机关 11, 事业单位 12 …) carries in positions 3–8 the GB/T 2260 code of the
registering authority's area (GB 32100-2015), so a district body's code names its district (110108 → 海淀区,
unit code `bj-haidian`) and a municipal body's names the city (110000 → no district: city level). Other
subjects keep what their registration gives."""

from __future__ import annotations

from xinyong.subjects.samplenames import DISTRICTS

# GB/T 2260 area code → the district government's unit code (accounts/data/units.yaml)
REGION_DISTRICTS: dict[str, str] = {region: code for region, code, _short in DISTRICTS}
DISTRICT_SHORT_NAMES: dict[str, str] = {code: f"{short}区" for _region, code, short in DISTRICTS}


def district_of_uscc(uscc: str | None) -> str:
    """The district unit code a 机构编制 code announces ("" for the city level and for every other code)."""
    if not uscc or not uscc.startswith("1"):
        return ""
    return REGION_DISTRICTS.get(uscc[2:8], "")
