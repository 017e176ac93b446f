"""Queries of the public pages that must not grow (issue 15's performance requirement): a list type's page reads
the codes of its rows in one query, not one per entry whose subject has no USCC (an individual business shown
by its registration number); the subject page reads the subject's standing once, for its sections and its
badges alike."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import IndividualBusinessFactory
from tests.support.lists import bj, lists_reference  # noqa: F401
from xinyong.lists.models import EntryState, ListEntry, ListType
from xinyong.subjects.selectors import subject_primary_code, subject_primary_codes

pytestmark = pytest.mark.django_db
URL = "/lists/scjg-yzsx/"


def _list_shop(n: int):
    """An individual business (no USCC) with a published entry on the market regulator's black list (the
    entry's row written as the lists app's publication leaves it: only its reading is tested here)."""
    shop = IndividualBusinessFactory()
    list_type = ListType.objects.get(code="scjg-yzsx")
    ListEntry.objects.create(
        list_type=list_type, subject=shop, state=EntryState.PUBLISHED, legal_basis="《管理办法》第二条",
        reasons="测试", proposing_unit_id=list_type.deciding_unit_id, proposed_by="token:gsj00001",
        proposed_at=bj(2025, 9, 26, 10), decided_at=bj(2025, 10, 14, 9), published_at=bj(2025, 10, 15, 9 + n),
        expires_on=dt.date(2028, 10, 14),
    )  # fmt: skip
    return shop


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()
    return len(queries), html


def test_the_list_page_reads_every_rows_code_in_one_query(
    lists_reference,  # noqa: F811
    clock,
    django_assert_max_num_queries,
):
    clock.set(bj(2025, 11, 4, 10))
    client = Client()
    first = _list_shop(1)
    client.get(URL)  # what a process caches on its first request
    one, html = _queries(client)
    assert subject_primary_code(first) in html
    shops = [first, *(_list_shop(n) for n in range(2, 6))]
    many, html = _queries(client)
    assert many == one  # five rows without a USCC cost what one did
    for shop in shops:
        assert subject_primary_code(shop) in html and not shop.uscc
    assert len(re.findall(r"<h3>([^<]*)</h3>", html)) == 5
    with django_assert_max_num_queries(one):
        client.get(URL)


def test_primary_codes_in_bulk_agree_with_one_by_one(lists_reference):  # noqa: F811
    shops = [IndividualBusinessFactory() for _ in range(3)]
    codes = subject_primary_codes(subjects=shops)
    assert codes == {s.pk: subject_primary_code(s) for s in shops}
    assert all(code.isdigit() and len(code) == 15 for code in codes.values())  # the registration numbers


def test_the_subject_page_reads_the_standing_once(world, django_assert_max_num_queries):
    client = Client()
    url = f"/subjects/{world.subject.uscc}/"
    client.get(url)  # what a process caches on its first request
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert 'id="badges"' in html and "有信息正在异议处理中" in html  # the badges, from the same standing
    standing_reads = [q["sql"] for q in queries if 'FROM "lists_listentry"' in q["sql"]]
    assert len(standing_reads) == 1, standing_reads
    with django_assert_max_num_queries(len(queries)):
        client.get(url)
