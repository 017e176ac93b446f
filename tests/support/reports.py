"""Shared set-up for the reports tests: reference data, a known company whose records cover every status, a
natural person, and helpers to read a PDF back."""

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.db import transaction
from pypdf import PdfReader
from pypdf.generic import NameObject

from tests.support.snapshot import restore
from xinyong.accounts.models import Unit
from xinyong.accounts.reference import units_load
from xinyong.catalog.models import Category
from xinyong.catalog.services import catalog_load, rules_load
from xinyong.core.actor import Actor
from xinyong.intake.services import SubmissionSource, body_digest, submission_receive
from xinyong.records.flags import record_objection_flag, record_repair
from xinyong.records.models import Record, RecordStatus
from xinyong.records.publication import clear_caches
from xinyong.records.services import record_withdraw
from xinyong.subjects.identifiers import ric_make, uscc_make
from xinyong.subjects.models import Subject
from xinyong.workdays.services import calendar_load_builtin

SETUP_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 2026-11-02, 10:00 in Beijing
OBJECTED_AT = dt.datetime(2026, 10, 30, 3, 0, tzinfo=dt.UTC)  # Friday 2026-10-30, 11:00 in Beijing
AGENCY = uscc_make("1111000000001234")
COMPANY = uscc_make("9111010800012345")
COMPANY_NAME = "北京华信科技有限公司"
PERSON = ric_make("110105", dt.date(1980, 5, 17), "002")
UNIT = "bj-gongshangju"
OFFICER = Actor(label="token:case0001", unit_code=UNIT, roles=frozenset({"case_officer"}))
DATA_OFFICER = Actor(label="token:data0001", unit_code=UNIT, roles=frozenset({"data_officer"}))


@pytest.fixture
def reference(db):
    """Units, rules, catalog and calendar as loaded at SETUP_AT (loaded once per session: snapshot.py)."""

    def load():
        system = Actor.system()
        units_load(actor=system, now=SETUP_AT)
        rules_load(actor=system, now=SETUP_AT)
        catalog_load(actor=system, now=SETUP_AT)
        calendar_load_builtin(actor=system, now=SETUP_AT, years=[2024, 2025, 2026])

    restore(__name__, load)
    clear_caches()
    yield
    clear_caches()


def xk_row(**overrides) -> dict:
    row = {
        "XK_XDR_MC": COMPANY_NAME, "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": COMPANY, "XK_FRDB": "张伟",
        "XK_XKWS": "准予行政许可决定书", "XK_WSH": "京工商许字〔2026〕第001号", "XK_XKLB": "01",
        "XK_NR": "酒类商品零售", "XK_JDRQ": "2026-10-28", "XK_YXQZ": "2026-10-28", "XK_YXQZI": "2099-12-31",
        "XK_XKJG": "北京市工商行政管理局", "XK_XKJGDM": AGENCY, "XK_ZT": "1",
        "XK_LYDW": "北京市工商行政管理局", "XK_LYDWDM": AGENCY,
    }  # fmt: skip
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def cf_row(no: int, wfxw: str, **overrides) -> dict:
    row = {
        "CF_XDR_MC": COMPANY_NAME, "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": COMPANY, "CF_FRDB": "张伟",
        "CF_WSH": f"京工商罚字〔2026〕第{no}号", "CF_WFXW": wfxw, "CF_SY": "在商品包装上作虚假宣传",
        "CF_YJ": "《反不正当竞争法》第二十条", "CF_CFLB": "罚款;没收违法所得", "CF_NR": "罚款人民币二万元",
        "CF_NR_FK": "2", "CF_NR_WFFF": "0.35", "CF_JDRQ": "2026-10-28", "CF_YXQ": "2099-12-31",
        "CF_CFJG": "北京市工商行政管理局", "CF_CFJGDM": AGENCY, "CF_SJLY": "北京市工商行政管理局",
        "CF_SJLYDM": AGENCY, "XY_YZCD": "一般",
    }  # fmt: skip
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def submit(category: str, rows: list[dict], key: str, now: dt.datetime = NOW):
    outcome = submission_receive(
        actor=DATA_OFFICER,
        unit=Unit.objects.get(code=UNIT),
        category=Category.objects.get(code=category),
        rows=list(enumerate(rows)),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=body_digest(category, rows)),
        now=now,
    )
    assert outcome.submission.rejected == 0, outcome.submission.result
    return outcome.submission


def flag(record: Record, to: str, at: dt.datetime, reason: str) -> None:
    """A record flagged (异议标注) or repaired through the records services the remedies workflows call."""
    actor = Actor(label="user:71", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}), user_id=71)
    with transaction.atomic():  # the services write in their caller's transaction
        if to == RecordStatus.UNDER_OBJECTION:
            record_objection_flag(actor=actor, record_id=record.pk, objection_id=1, now=at)
        else:
            record_repair(actor=actor, record_id=record.pk, repair_id=1, now=at)


def current(doc_no: str) -> Record:
    return Record.objects.get(doc_no=doc_no, is_current=True)


@dataclass
class Known:
    subject: Subject
    licence: Record  # 京工商许字〔2026〕第001号, second version (correction)
    penalty: Record  # 京工商罚字〔2026〕第101号, published
    objected: Record  # 京工商罚字〔2026〕第102号, under objection since 2026-10-30


@pytest.fixture
def known(reference) -> Known:
    """北京华信科技有限公司: a current licence (its first version superseded), an expired licence, a published
    penalty, one under objection, one repaired, one withdrawn, one minor (not published) and one whose
    publication window ended before the report's date without the sweep having run yet."""
    submit("XK", [xk_row()], "xk-1")
    submit("XK", [xk_row(XK_NR="食品经营许可（预包装食品销售）")], "xk-2")
    submit("XK", [xk_row(XK_WSH="京工商许字〔2020〕第077号", XK_NR="印刷经营许可", XK_JDRQ="2020-01-06",
                         XK_YXQZ="2020-01-06", XK_YXQZI="2025-01-05")], "xk-3")  # fmt: skip
    submit("CF", [cf_row(101, "虚假宣传"), cf_row(102, "商标侵权"), cf_row(103, "无照经营"),
                  cf_row(104, "价格违法"), cf_row(105, "未按规定公示年报", XY_YZCD="轻微")], "cf-1")  # fmt: skip
    old = dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)
    submit("CF", [cf_row(901, "超范围经营", CF_WSH="京工商罚字〔2025〕第901号", CF_JDRQ="2025-10-01")],
           "cf-2", now=old)  # fmt: skip
    flag(current("京工商罚字〔2026〕第102号"), RecordStatus.UNDER_OBJECTION, OBJECTED_AT, "异议申请")
    flag(current("京工商罚字〔2026〕第103号"), RecordStatus.REPAIRED, OBJECTED_AT, "信用修复")
    record_withdraw(actor=DATA_OFFICER, record_id=current("京工商罚字〔2026〕第104号").pk, reason="决定撤销",
                    now=NOW)  # fmt: skip
    stale = current("京工商罚字〔2025〕第901号")
    assert stale.status == RecordStatus.PUBLISHED and stale.publish_max_end < NOW.date()
    assert current("京工商许字〔2020〕第077号").status == RecordStatus.EXPIRED
    assert current("京工商罚字〔2026〕第105号").status == RecordStatus.NOT_PUBLISHED
    return Known(
        subject=Subject.objects.get(uscc=COMPANY),
        licence=current("京工商许字〔2026〕第001号"),
        penalty=current("京工商罚字〔2026〕第101号"),
        objected=current("京工商罚字〔2026〕第102号"),
    )


@pytest.fixture
def person(reference) -> Subject:
    submit("XK", [xk_row(XK_XDR_MC="王芳", XK_XDR_LB="自然人", XK_XDR_SHXYM=None, XK_FRDB=None,
                         XK_XDR_ZJLX="身份证", XK_XDR_ZJHM=PERSON, XK_WSH="京工商许字〔2026〕第300号")],
           "person-1")  # fmt: skip
    return Subject.objects.get(kind="natural_person")


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined by newlines."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> list[dict]:
    """Every font object the pages use: base name, subtype, encoding and the embedded font file kind."""
    out = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            out[ref.idnum] = {
                "name": str(font["/BaseFont"]),
                "subtype": str(descendant["/Subtype"]),
                "encoding": str(font["/Encoding"]) if isinstance(font["/Encoding"], NameObject) else "cmap",
                "embedded": [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor],
            }
    return [out[k] for k in sorted(out)]
