import pytest

from xinyong.core.actor import Actor


@pytest.fixture
def registrar() -> Actor:
    return Actor(label="user:registrar", unit_code="scjgj", roles=frozenset({"data_officer"}))


@pytest.fixture
def reviewer() -> Actor:
    return Actor(label="user:reviewer", unit_code="xyb", roles=frozenset({"reviewer"}))


@pytest.fixture
def second_reviewer() -> Actor:
    return Actor(label="user:reviewer2", unit_code="xyb", roles=frozenset({"reviewer"}))
