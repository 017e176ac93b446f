"""Factories for credit subjects: valid codes built with uscc_make / regno_make / ric_make, and every
subject created through `subject_register`, so identifier rows, name history and audit exist as in life."""

from __future__ import annotations

import datetime as dt

import factory

from xinyong.accounts.models import Unit, UnitName
from xinyong.core.actor import Actor
from xinyong.subjects.identifiers import USCC_PLACEHOLDER, regno_make, ric_make, uscc_make
from xinyong.subjects.models import Subject, SubjectKind
from xinyong.subjects.services import subject_register

T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
REGISTRAR = Actor(label="user:registrar", unit_code="scjgj", roles=frozenset({"data_officer"}))


def make_uscc(n: int, prefix: str = "91110108") -> str:
    """A valid GB 32100 code: registration authority 9 / type 1, Haidian, a serial organisation body."""
    return uscc_make(f"{prefix}MA{n:06d}")


def make_regno(n: int) -> str:
    return regno_make(f"110108{n:08d}")


def make_ric(n: int, birth: dt.date = dt.date(1980, 1, 1)) -> str:
    return ric_make("110105", birth + dt.timedelta(days=n), f"{n % 1000:03d}")


def unit_make(name: str, code: str, aliases: tuple[str, ...] = ()) -> Unit:
    """A unit with its names (get_or_create: an accounts data migration may already have made it)."""
    unit, _ = Unit.objects.get_or_create(
        name=name, defaults={"code": code, "type": "municipal_department", "roles": ["provider"]}
    )
    for alias in (name, *aliases):
        UnitName.objects.get_or_create(name=alias, defaults={"unit": unit})
    return unit


class SubjectFactory(factory.Factory):
    """An enterprise with a USCC; subclasses cover the other kinds."""

    class Meta:
        model = Subject

    kind = SubjectKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"北京测试{n}科技有限公司")
    uscc = factory.Sequence(lambda n: make_uscc(n))
    district = "haidian"

    @classmethod
    def _create(cls, model_class, **kwargs):
        now = kwargs.pop("now", T0)
        actor = kwargs.pop("actor", REGISTRAR)
        return subject_register(actor=actor, now=now, **kwargs)


class IndividualBusinessFactory(SubjectFactory):
    """个体工商户 without a USCC: the placeholder and a 15-digit registration number."""

    kind = SubjectKind.INDIVIDUAL_BUSINESS
    name = factory.Sequence(lambda n: f"海淀区测试{n}号小吃店")
    uscc = USCC_PLACEHOLDER
    regno = factory.Sequence(lambda n: make_regno(n))


class PersonFactory(SubjectFactory):
    kind = SubjectKind.NATURAL_PERSON
    name = factory.Sequence(lambda n: f"张{n}")
    uscc = None
    district = ""
    resident_id = factory.Sequence(lambda n: make_ric(n))
