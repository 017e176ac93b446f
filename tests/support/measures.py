"""Shared set-up for the measures tests: reference data, list types, the starter memoranda, officers, a listed
company with published penalties."""

import datetime as dt

import pytest

from tests.support.records import COMPANY, cf_row
from tests.support.snapshot import restore
from xinyong.accounts.models import Unit
from xinyong.accounts.reference import units_load
from xinyong.catalog.models import Category
from xinyong.catalog.services import catalog_load, rules_load
from xinyong.core.actor import Actor
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.services.list_types import list_types_load
from xinyong.measures.services import memoranda_load
from xinyong.records.publication import clear_caches
from xinyong.subjects.models import Subject
from xinyong.workdays.services import calendar_load_builtin

SETUP_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 2026-11-02, 10:00 in Beijing


@pytest.fixture
def reference(db):
    """Units, rules, catalog and calendar as loaded at SETUP_AT (loaded once per session: snapshot.py)."""

    def load():
        system = Actor.system()
        units_load(actor=system, now=SETUP_AT)
        rules_load(actor=system, now=SETUP_AT)
        catalog_load(actor=system, now=SETUP_AT)
        calendar_load_builtin(actor=system, now=SETUP_AT, years=[2025, 2026])

    restore(__name__, load)
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def list_types(reference):
    """The lists app's own list types (lists/data/list_types.yaml), loaded before the memoranda as in production."""
    list_types_load(actor=Actor.system(), now=SETUP_AT)
    return {t.code: t for t in ListType.objects.all()}


@pytest.fixture
def memoranda(list_types):
    return memoranda_load(actor=Actor.system(), now=SETUP_AT)


def officer_of(unit_code: str, role: str = "case_officer", label: str = "token:test0001") -> Actor:
    return Actor(label=label, unit_code=unit_code, roles=frozenset({role}))


@pytest.fixture
def caizhengju(memoranda):
    """A case officer of 市财政局 (government procurement)."""
    return officer_of("bj-caizhengju")


def submit_penalties(rows: list[dict], key: str = "k1") -> None:
    """Published penalties (行政处罚) through the records app's own receive path."""
    provider = Actor(label="token:prov0001", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
    submission_receive(
        actor=provider,
        unit=Unit.objects.get(code="bj-gongshangju"),
        category=Category.objects.get(code="CF"),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=NOW,
    )


def list_subject(
    subject: Subject, list_type: ListType, *, published: dt.datetime, expires_on=None, state="published"
):
    return ListEntry.objects.create(
        list_type=list_type,
        subject=subject,
        state=state,
        legal_basis="《最高人民法院关于公布失信被执行人名单信息的若干规定》",
        reasons="有履行能力而拒不履行生效法律文书确定义务",
        proposing_unit=list_type.deciding_unit,
        proposed_by="user:1",
        proposed_at=published - dt.timedelta(days=20),
        reviewed_by="user:2",
        decided_at=published - dt.timedelta(days=1),
        published_at=published,
        expires_on=expires_on,
        exited_at=published + dt.timedelta(days=30) if state == "exited" else None,
        exit_reason="repair" if state == "exited" else "",
    )


@pytest.fixture
def listed_company(memoranda, list_types):
    """COMPANY: two published penalties (latest 2026-10-28) and on the 失信被执行人 list since 2026-03-02."""
    submit_penalties(
        [
            cf_row(CF_WSH="京工商罚字〔2026〕第101号", CF_JDRQ="2026-10-28"),
            cf_row(CF_WSH="京工商罚字〔2026〕第77号", CF_JDRQ="2026-09-15"),
        ]
    )
    company = Subject.objects.get(uscc=COMPANY)
    list_subject(
        company,
        list_types["fy-sxbzx"],
        published=dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC),
        expires_on=dt.date(2029, 3, 1),
    )
    return company
