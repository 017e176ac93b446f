"""Subject search (一站式查询): two-character queries, ranking, highlight, pagination, privacy, index upkeep."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from tests.support.factories import (
    REGISTRAR,
    T0,
    IndividualBusinessFactory,
    PersonFactory,
    SubjectFactory,
    make_regno,
    make_ric,
    make_uscc,
)
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.api import encode_cursor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.subjects import search
from xinyong.subjects.bulk import NewSubject, subjects_bulk_create
from xinyong.subjects.identifiers import ric_mask
from xinyong.subjects.models import Subject, SubjectName, SubjectNameGram
from xinyong.subjects.search import SHORT_QUERY_SQL, SearchCursor, name_gram_rows, subject_search
from xinyong.subjects.services import code_correction_decide, code_correction_request, subject_rename

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


def _rename(subject, name, day=dt.date(2027, 1, 1)):
    return subject_rename(
        actor=REGISTRAR, now=T0, subject=subject, name=name, valid_from=day, source="登记机关"
    )


def _company(n, name, **kw):
    return SubjectFactory(uscc=make_uscc(n), name=name, **kw)


def _found(q, include_persons=False, limit=100, cursor=None):
    page = subject_search(q=q, include_persons=include_persons, limit=limit, cursor=cursor)
    return [(h.name, h.reason, h.matched_name) for h in page.hits]


def _index_rows():
    return set(SubjectNameGram.objects.values_list("gram", "rank", "length", "subject_id"))


def _expected_rows():
    """What the index must hold: the rows computed from the whole name history."""
    rows = set()
    for subject in Subject.objects.all():
        names = SubjectName.objects.filter(subject=subject).values_list("name", "valid_to")
        rows |= set(name_gram_rows(subject.pk, [(n, to is None) for n, to in names]))
    return rows


# ── two-character queries ───────────────────────────────────────────────────────────────────────────────


def test_two_character_query_finds_every_subject_containing_it_and_no_other():
    _company(1, "中国工商银行股份有限公司北京市分行")
    _company(2, "北京农村商业银行股份有限公司")
    _company(3, "银行")
    renamed = _company(4, "北京银行科技有限公司")
    _rename(renamed, "北京金融科技有限公司")  # 银行 only in the former name now
    _company(5, "北京银河科技有限公司")  # 银 but not 银行
    _company(6, "北京行银商贸有限公司")  # both characters, wrong order
    _company(7, "北京银 行咨询有限公司")  # separated by a space
    _company(8, "北京中信科技有限公司")
    assert sorted(h.code for h in subject_search(q="银行", include_persons=False, limit=100).hits) == [
        make_uscc(n) for n in (1, 2, 3, 4)
    ]
    assert _found("银行") == [
        ("银行", "exact_name", None),
        ("北京农村商业银行股份有限公司", "substring", None),
        ("中国工商银行股份有限公司北京市分行", "substring", None),
        ("北京金融科技有限公司", "substring", "北京银行科技有限公司"),
    ]


def test_two_character_query_finds_a_two_character_name_and_former_names_of_any_length():
    old = _company(1, "京东")
    _rename(old, "北京京东世纪贸易有限公司")
    assert _found("京东") == [("北京京东世纪贸易有限公司", "former_name", "京东")]
    assert _found("世纪") == [("北京京东世纪贸易有限公司", "substring", None)]


# ── ranking ───────────────────────────────────────────────────────────────────────────────────────────


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


def test_ranking_exact_then_former_then_prefix_then_substring(jingdong):
    assert _found("京东") == [
        ("京东", "exact_name", None),
        ("北京某某科技有限公司", "former_name", "京东"),
        ("京东科技有限公司", "prefix", None),
        ("京东世纪贸易有限公司", "prefix", None),
        ("北京方正商贸有限公司", "prefix", "京东方商贸有限公司"),
        ("北京东城贸易有限公司", "substring", None),
        ("北京京东世纪贸易有限公司", "substring", None),
        ("北京京东叁佰陆拾度电子商务有限公司", "substring", None),
        ("华北信息技术有限公司", "substring", "北京京东信息技术有限公司"),
    ]


def test_code_ranks_before_every_name_match():
    target = _company(1, "北京甲科技有限公司")
    code = make_uscc(1)
    _company(2, f"{code}商贸有限公司")  # the code is a prefix of this name
    _company(3, code)  # … and exactly this one's name
    page = subject_search(q=code.lower(), include_persons=False)
    assert [(h.subject.pk, h.reason) for h in page.hits][0] == (target.pk, "code")
    assert [(h.name, h.reason) for h in page.hits] == [
        ("北京甲科技有限公司", "code"),
        (code, "exact_name"),
        (f"{code}商贸有限公司", "prefix"),
    ]
    assert page.hits[0].highlight == []


def test_any_identifier_finds_its_subject_and_regno_is_the_code_without_uscc():
    shop = IndividualBusinessFactory(regno=make_regno(7), name="海淀区王记小吃店")
    page = subject_search(q=make_regno(7), include_persons=False)
    assert [(h.code, h.name, h.reason) for h in page.hits] == [(make_regno(7), "海淀区王记小吃店", "code")]
    assert (
        subject_search(q="王记", include_persons=False).hits[0].code
        == make_regno(7)
        == shop.identifiers.get(kind="regno").value
    )


def test_longer_queries_check_the_whole_query():
    _company(1, "北京京东世纪贸易有限公司")
    _company(2, "京东世纪贸易有限公司")
    _company(3, "北京京东叁佰陆拾度电子商务有限公司")
    _company(4, "北京世纪京东贸易有限公司")
    assert _found("京东世纪贸易") == [
        ("京东世纪贸易有限公司", "prefix", None),
        ("北京京东世纪贸易有限公司", "substring", None),
    ]
    assert _found("京东世纪贸易有限公司") == [
        ("京东世纪贸易有限公司", "exact_name", None),
        ("北京京东世纪贸易有限公司", "substring", None),
    ]
    assert _found("京东世纪贸易集团") == []


def test_longer_query_whose_every_part_is_common_is_too_broad(monkeypatch):
    for n in range(1, 5):
        _company(n, f"北京测试{n}科技有限公司")
    monkeypatch.setattr(search, "BROAD_QUERY_SUBJECTS", 3)
    with pytest.raises(DomainError) as err:
        subject_search(q="科技有限公司", include_persons=False)
    assert err.value.code == "search.query_too_broad"
    assert len(subject_search(q="测试1科技有限", include_persons=False).hits) == 1


# ── normalisation and highlight ───────────────────────────────────────────────────────────────────────


def test_highlight_offsets_are_code_points_in_the_matched_name():
    _company(1, "东京东京都商贸有限公司")
    renamed = _company(2, "北京小米科技有限责任公司")
    _rename(renamed, "北京大米科技有限公司")
    hits = {h.subject.uscc: h for h in subject_search(q="东京", include_persons=False).hits}
    assert (hits[make_uscc(1)].reason, hits[make_uscc(1)].highlight) == ("prefix", [(0, 2), (2, 4)])
    hit = subject_search(q="小米科技", include_persons=False).hits[0]
    assert (hit.name, hit.matched_name, hit.highlight) == (
        "北京大米科技有限公司",
        "北京小米科技有限责任公司",
        [(2, 6)],
    )


def test_full_width_and_spaces_in_query_and_names_are_folded():
    _company(1, "北京ＡＢＣ科技有限公司")
    _company(2, "北京abc 数据有限公司")
    hits = subject_search(q="  ａｂｃ科技 ", include_persons=False)
    assert hits.query == "abc科技"
    assert [(h.name, h.highlight) for h in hits.hits] == [("北京ＡＢＣ科技有限公司", [(2, 7)])]
    page = subject_search(q="ABC\u3000\u3000数据", include_persons=False)
    assert page.query == "abc 数据"
    assert [(h.name, h.highlight) for h in page.hits] == [("北京abc 数据有限公司", [(2, 8)])]


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("", "search.query_empty"),
        ("   ", "search.query_empty"),
        ("京", "search.query_too_short"),
        (" 京　", "search.query_too_short"),
        ("京" * 51, "search.query_too_long"),
    ],
)
def test_query_length_problems(q, code):
    with pytest.raises(DomainError) as err:
        subject_search(q=q, include_persons=False)
    assert (err.value.code, err.value.status) == (code, 400)


def test_fifty_characters_is_allowed():
    assert subject_search(q="京" * 50, include_persons=False).hits == []


# ── pagination ────────────────────────────────────────────────────────────────────────────────────────


def test_pagination_cursor_walks_the_same_order_without_gaps_or_repeats():
    for n in range(1, 26):
        _company(n, ("华鑫" if n % 5 == 0 else f"北京{'测' * (n % 4)}华鑫") + f"{n}科技有限公司")
    whole = subject_search(q="华鑫", include_persons=False, limit=100)
    assert whole.next_cursor is None and len(whole.hits) == 25
    seen, cursor, pages = [], None, 0
    while True:
        page = subject_search(q="华鑫", include_persons=False, limit=10, cursor=cursor)
        seen += [h.subject.pk for h in page.hits]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
        assert cursor == page.hits[-1].key
    assert pages == 3
    assert seen == [h.subject.pk for h in whole.hits]


def test_pagination_after_a_code_hit():
    _company(1, "北京甲科技有限公司")
    _company(2, make_uscc(1) + "商贸有限公司")
    first = subject_search(q=make_uscc(1), include_persons=False, limit=1)
    assert [h.reason for h in first.hits] == ["code"]
    assert first.next_cursor == SearchCursor(0, 0, first.hits[0].subject.pk)
    second = subject_search(q=make_uscc(1), include_persons=False, limit=1, cursor=first.next_cursor)
    assert [h.reason for h in second.hits] == ["prefix"] and second.next_cursor is None


# ── privacy and merged subjects ───────────────────────────────────────────────────────────────────────


def test_persons_are_not_found_by_name_unless_the_caller_may_see_them():
    person = PersonFactory(name="王京东", resident_id=make_ric(1))
    _company(1, "京东科技有限公司")
    assert _found("京东") == [("京东科技有限公司", "prefix", None)]
    assert _found("王京东") == []
    assert _found("京东", include_persons=True) == [
        ("京东科技有限公司", "prefix", None),
        ("王京东", "substring", None),
    ]
    by_id = subject_search(q=make_ric(1), include_persons=False).hits
    assert [(h.subject.pk, h.code, h.name, h.reason) for h in by_id] == [
        (person.pk, ric_mask(make_ric(1)), None, "code")
    ]
    assert subject_search(q=make_ric(1), include_persons=True).hits[0].name == "王京东"


def test_merged_subjects_are_not_listed_and_their_codes_lead_to_the_survivor(registrar, reviewer):
    right = _company(1, "北京甲乙科技有限公司")
    duplicate = _company(2, "北京甲乙丙科技有限公司")
    ticket = code_correction_request(
        actor=registrar, now=T0, wrong_value=make_uscc(2), to_subject=right, reason="重复赋码"
    )
    code_correction_decide(actor=reviewer, now=T0, correction=ticket, approve=True, note="核实")
    duplicate.refresh_from_db()
    assert duplicate.status == "merged"
    assert _found("甲乙") == [("北京甲乙科技有限公司", "substring", None)]
    assert _found("甲乙丙") == []
    assert [(h.subject.pk, h.reason) for h in subject_search(q=make_uscc(2), include_persons=False).hits] == [
        (right.pk, "code")
    ]


# ── index upkeep ──────────────────────────────────────────────────────────────────────────────────────


def test_register_indexes_the_name():
    subject = _company(1, "北京京东世纪贸易有限公司")
    assert _index_rows() == _expected_rows()
    assert ("京东", 5, 12, subject.pk) in _index_rows()
    assert ("北京京东", 3, 12, subject.pk) in _index_rows()
    assert len(_index_rows()) == 11 + 10 + 9  # 2-, 3- and 4-grams of a 12-character name, all distinct


def test_rename_moves_the_old_name_to_former_ranks():
    subject = _company(1, "京东方商贸有限公司")
    _rename(subject, "北京方正商贸有限公司")
    rows = _index_rows()
    assert rows == _expected_rows()
    assert ("京东", 4, 9, subject.pk) in rows  # prefix of a former name
    assert ("商贸", 5, 10, subject.pk) in rows  # both names have it: the current one ranks better
    assert not any(r[0] == "京东" and r[1] == 3 for r in rows)
    _rename(subject, "京东方商贸有限公司", day=dt.date(2028, 1, 1))  # back to the first name
    assert _index_rows() == _expected_rows()
    assert _found("京东方") == [("京东方商贸有限公司", "prefix", None)]


def test_bulk_create_indexes_the_new_subjects():
    _company(1, "北京甲科技有限公司")
    entries = [
        NewSubject(
            key=("uscc", make_uscc(2)), kind="enterprise", name="北京京东世纪贸易有限公司", uscc=make_uscc(2)
        ),
        NewSubject(
            key=("regno", make_regno(3)),
            kind="individual_business",
            name="朝阳区李记京东小吃店",
            regno=make_regno(3),
        ),
        NewSubject(key=("ric_hash", "x"), kind="natural_person", name="张京东", resident_id=make_ric(4)),
    ]
    with transaction.atomic():
        subjects_bulk_create(entries, now=T0)
    assert _index_rows() == _expected_rows()
    assert _found("京东") == [
        ("朝阳区李记京东小吃店", "substring", None),
        ("北京京东世纪贸易有限公司", "substring", None),
    ]
    assert [h.code for h in subject_search(q="李记", include_persons=False).hits] == [make_regno(3)]


def test_search_reindex_rebuilds_the_index_and_is_idempotent():
    _company(1, "北京京东世纪贸易有限公司")
    renamed = _company(2, "京东方商贸有限公司")
    _rename(renamed, "北京方正商贸有限公司")
    PersonFactory(name="王芳", resident_id=make_ric(1))
    built = _index_rows()
    assert built == _expected_rows()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM subjects_name_gram WHERE gram = %s", ["京东"])
        cur.execute("INSERT INTO subjects_name_gram VALUES ('无关', 5, 9, %s)", [renamed.pk])
    for _ in range(2):
        call_command("search_reindex", stdout=io.StringIO())
        assert _index_rows() == built
    assert search.search_reindex() == {"subjects": 3, "rows": len(built)}


# ── query plan ────────────────────────────────────────────────────────────────────────────────────────


def test_two_character_query_reads_the_gram_index_not_the_subject_table():
    entries = [
        NewSubject(
            key=("uscc", make_uscc(n)), kind="enterprise", name=f"北京测试{n}科技有限公司", uscc=make_uscc(n)
        )
        for n in range(1, 2001)
    ]
    with transaction.atomic():
        subjects_bulk_create(entries, now=T0)
    sql = SHORT_QUERY_SQL.format(visibility=" AND s.status = %s AND s.kind <> %s")
    params = ["科技", 0, 0, 0, "active", "natural_person", 21]
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[-1] for row in cur.fetchall()]
            assert plan[0].startswith(
                "SEARCH g USING PRIMARY KEY (gram=? AND (rank,length,subject_id)>(?,?,?))"
            )
            assert plan[1] == "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)"
            assert not any(step.startswith("SCAN") or "TEMP B-TREE" in step for step in plan)
        else:
            cur.execute("ANALYZE subjects_name_gram")
            cur.execute("ANALYZE subjects_subject")
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cur.fetchall())
            assert "Index Only Scan using subjects_name_gram_pkey on subjects_name_gram g" in plan
            assert (
                "Index Cond: ((gram = '科技'::text) AND (ROW(rank, length, subject_id) > ROW(0, 0, 0)))"
                in plan
            )
            assert "Index Scan using subjects_subject_pkey on subjects_subject s" in plan
            assert "Seq Scan" not in plan and "Sort" not in plan
    assert len(subject_search(q="科技", include_persons=False, limit=20).hits) == 20


# ── HTTP ──────────────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def government_token():
    unit = Unit.objects.create(code="xyb", name="市信用办", type="credit_office")
    return api_token_create(actor=Actor.system(), unit=unit, role="reviewer", now=now()).secret


def _get(secret=None, **params):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Client().get(URL, params, headers=headers)


def test_api_search_anonymous(jingdong):
    PersonFactory(name="京东", resident_id=make_ric(1))
    response = _get(q="京东", limit=3)
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "京东"
    assert body["items"] == [
        {
            "code": make_uscc(8),
            "name": "京东",
            "kind": "enterprise",
            "kind_label": "企业",
            "status": "active",
            "reason": "exact_name",
            "matched_name": None,
            "highlight": [[0, 2]],
            "list_entries": [],
            "under_objection": False,
        },
        {
            "code": make_uscc(6),
            "name": "北京某某科技有限公司",
            "kind": "enterprise",
            "kind_label": "企业",
            "status": "active",
            "reason": "former_name",
            "matched_name": "京东",
            "highlight": [[0, 2]],
            "list_entries": [],
            "under_objection": False,
        },
        {
            "code": make_uscc(7),
            "name": "京东科技有限公司",
            "kind": "enterprise",
            "kind_label": "企业",
            "status": "active",
            "reason": "prefix",
            "matched_name": None,
            "highlight": [[0, 2]],
            "list_entries": [],
            "under_objection": False,
        },
    ]
    rest = _get(q="京东", limit=50, cursor=body["next_cursor"]).json()
    assert [i["name"] for i in rest["items"]][:2] == ["京东世纪贸易有限公司", "北京方正商贸有限公司"]
    assert len(rest["items"]) == 6 and rest["next_cursor"] is None


def test_api_government_sees_persons_by_name_and_each_look_is_logged(government_token):
    person = PersonFactory(name="王京东", resident_id=make_ric(1))
    body = _get(government_token, q="京东", purpose="行政许可审查 京审〔2026〕1号").json()
    assert [(i["name"], i["code"], i["kind"]) for i in body["items"]] == [
        ("王京东", ric_mask(make_ric(1)), "natural_person")
    ]
    events = AuditEvent.objects.filter(action="subject.person_read", target_id=str(person.pk))
    assert [e.reason for e in events] == ["行政许可审查 京审〔2026〕1号"]
    assert _get(q="京东").json()["items"] == []
    assert AuditEvent.objects.filter(action="subject.person_read").count() == 1


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": "京"}, "search.query_too_short"),
        ({"q": "京" * 51}, "search.query_too_long"),
        ({"q": ""}, "search.query_empty"),
        ({}, "search.query_empty"),
        ({"q": "京东", "cursor": "not a cursor!"}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor({"r": 1, "l": 2})}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor({"r": 9, "l": 2, "i": 1})}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor({"r": "1", "l": 2, "i": 1})}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor({"r": 1, "l": 2, "i": 2**64})}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor([1, 2, 3])}, "cursor.invalid"),
    ],
)
def test_api_problems(params, code):
    response = _get(**params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert json.loads(response.content)["code"] == code


def test_api_limit_is_bounded():
    assert _get(q="京东", limit=101).status_code == 422
    assert _get(q="京东", limit=0).status_code == 422
