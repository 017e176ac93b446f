"""Shared set-up for the records tests: reference data, a provider unit's data officer, row builders."""

import datetime as dt

import pytest

from tests.support.snapshot import restore
from xinyong.accounts.reference import units_load
from xinyong.catalog.services import catalog_load, rules_load
from xinyong.core.actor import Actor
from xinyong.records.publication import clear_caches
from xinyong.subjects.identifiers import ric_make, uscc_make
from xinyong.workdays.services import calendar_load_builtin

SETUP_AT = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 2026-11-02, 10:00 in Beijing
AGENCY = uscc_make("1111000000001234")
COMPANY = uscc_make("9111010800012345")
PERSON = ric_make("110105", dt.date(1980, 5, 17), "002")


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


@pytest.fixture
def officer(reference):
    return Actor(label="token:test0001", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))


def xk_row(**overrides) -> dict:
    row = {
        "XK_XDR_MC": "北京华信科技有限公司",
        "XK_XDR_LB": "法人及非法人组织",
        "XK_XDR_SHXYM": COMPANY,
        "XK_FRDB": "张伟",
        "XK_XKWS": "准予行政许可决定书",
        "XK_WSH": "京工商许字〔2026〕第001号",
        "XK_XKLB": "01",
        "XK_NR": "食品经营许可",
        "XK_JDRQ": "2026-10-28",
        "XK_YXQZ": "2026-10-28",
        "XK_YXQZI": "2031-10-27",
        "XK_XKJG": "北京市工商行政管理局",
        "XK_XKJGDM": AGENCY,
        "XK_ZT": "1",
        "XK_LYDW": "北京市工商行政管理局",
        "XK_LYDWDM": AGENCY,
    }
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def cf_row(**overrides) -> dict:
    row = {
        "CF_XDR_MC": "北京华信科技有限公司",
        "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": COMPANY,
        "CF_FRDB": "张伟",
        "CF_WSH": "京工商罚字〔2026〕第101号",
        "CF_WFXW": "虚假宣传",
        "CF_SY": "在商品包装上作虚假宣传",
        "CF_YJ": "《反不正当竞争法》第二十条",
        "CF_CFLB": "罚款",
        "CF_NR": "罚款人民币二万元",
        "CF_NR_FK": "2",
        "CF_JDRQ": "2026-10-28",
        "CF_YXQ": "2099-12-31",
        "CF_CFJG": "北京市工商行政管理局",
        "CF_CFJGDM": AGENCY,
        "CF_SJLY": "北京市工商行政管理局",
        "CF_SJLYDM": AGENCY,
    }
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}
