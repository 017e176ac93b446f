"""A generated demo data set: a few thousand subjects with valid codes and realistic Chinese names,
spread over Beijing's 16 districts and common industries. Deterministic for a given seed; loading it
twice adds nothing (the first generated code marks the set as loaded)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from xinyong.core.actor import Actor
from xinyong.subjects.identifiers import regno_make, ric_make, uscc_make
from xinyong.subjects.samplenames import CODE_BODY, DISTRICTS, GIVEN, INDUSTRIES, STEMS, SUFFIXES, SURNAMES

# share of each subject kind in the demo population, with the USCC prefix (登记管理部门 + 机构类别)
KINDS = [
    ("enterprise", "91", 70),
    ("individual_business", "92", 12),
    ("farmer_coop", "93", 3),
    ("social_org", "52", 3),
    ("public_institution", "12", 2),
    ("natural_person", "", 10),
]


@dataclass(frozen=True)
class DemoSubject:
    kind: str
    name: str
    district: str
    industry: str
    uscc: str | None = None
    regno: str | None = None
    resident_id: str | None = None


def demo_subjects(size: int, seed: int = 2018) -> Iterator[DemoSubject]:
    """Yield `size` subjects; the same seed always yields the same set."""
    rng = random.Random(seed)
    kinds = [k for k, _, weight in KINDS for _ in range(weight)]
    prefixes = {k: p for k, p, _ in KINDS}
    for _ in range(size):
        kind = rng.choice(kinds)
        region, district, short = rng.choice(DISTRICTS)
        industry = rng.choice(list(INDUSTRIES))
        if kind == "natural_person":
            yield _person(rng, region, district)
        else:
            yield _entity(rng, kind, prefixes[kind], region, district, short, industry)


def _entity(rng, kind, prefix, region, district, short, industry) -> DemoSubject:
    body = "".join(rng.choice(CODE_BODY[:10] if i < 2 else CODE_BODY) for i in range(8))
    uscc = uscc_make(prefix + region + body)
    stem = "".join(rng.sample(STEMS, 2))
    trade = rng.choice(INDUSTRIES[industry])
    name = {
        "enterprise": f"北京{stem}{trade}{rng.choice(SUFFIXES)}",
        "individual_business": f"{short}区{rng.choice(SURNAMES)}记{trade}店",
        "farmer_coop": f"北京市{short}区{stem}种植专业合作社",
        "social_org": f"北京市{short}区{stem}{trade}协会",
        "public_institution": f"北京市{short}区{stem}{trade}服务中心",
    }[kind]
    regno = (
        regno_make(region + "".join(rng.choice("0123456789") for _ in range(8)))
        if kind == "enterprise"
        else None
    )
    return DemoSubject(kind=kind, name=name, district=district, industry=industry, uscc=uscc, regno=regno)


def _person(rng, region, district) -> DemoSubject:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
    number = ric_make(region, birth, f"{rng.randrange(1000):03d}")
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
    return DemoSubject(kind="natural_person", name=name, district=district, industry="", resident_id=number)


def demo_load(*, actor: Actor, now: dt.datetime, size: int = 3000, seed: int = 2018) -> str:
    """Register the demo subjects through the normal service (validated and audited), in one transaction."""
    from xinyong.subjects.selectors import identifier_value_exists
    from xinyong.subjects.services import subject_register

    subjects = list(demo_subjects(size, seed))
    first = subjects[0]
    if identifier_value_exists(value=first.uscc or ""):
        return "已载入（跳过）"
    created, skipped = 0, 0
    with transaction.atomic():
        seen: set[str] = set()
        for s in subjects:
            keys = {k for k in (s.uscc, s.regno, s.resident_id) if k}
            if keys & seen:
                skipped += 1
                continue
            seen |= keys
            subject_register(
                actor=actor,
                now=now,
                kind=s.kind,
                name=s.name,
                uscc=s.uscc,
                regno=s.regno,
                resident_id=s.resident_id,
                on_date=now.date(),
                district=s.district,
                industry=s.industry,
            )
            created += 1
    return f"新建 {created} 个信用主体" + (f"（重复跳过 {skipped}）" if skipped else "")
