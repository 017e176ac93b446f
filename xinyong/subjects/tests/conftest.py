import pytest

from xinyong.core.actor import Actor
from xinyong.subjects.tests.search_cases import _company, _rename


@pytest.fixture
def registrar() -> Actor:
    return Actor(label="user:registrar", unit_code="scjgj", roles=frozenset({"data_officer"}))


@pytest.fixture
def reviewer() -> Actor:
    return Actor(label="user:reviewer", unit_code="xyb", roles=frozenset({"reviewer"}))


@pytest.fixture
def second_reviewer() -> Actor:
    return Actor(label="user:reviewer2", unit_code="xyb", roles=frozenset({"reviewer"}))


@pytest.fixture
def jingdong():
    """One subject per rank for the query 京东, registered in an order unlike the ranking."""
    _company(1, "北京京东叁佰陆拾度电子商务有限公司")  # substring, 17 characters
    former_sub = _company(2, "北京京东信息技术有限公司")
    _rename(former_sub, "华北信息技术有限公司")  # 京东 only as a substring of the former name
    _company(3, "京东世纪贸易有限公司")  # prefix, 10
    former_prefix = _company(4, "京东方商贸有限公司")
    _rename(former_prefix, "北京方正商贸有限公司")  # prefix of a former name
    _company(5, "北京京东世纪贸易有限公司")  # substring, 12
    former_exact = _company(6, "京东")
    _rename(former_exact, "北京某某科技有限公司")  # exact former name
    _company(7, "京东科技有限公司")  # prefix, 8
    _company(8, "京东")  # exact current name
    _company(9, "北京东城贸易有限公司")  # 北京东城: 京东 across two words is still a substring
    _company(10, "东京贸易有限公司")  # no 京东
