"""Subject search (一站式查询): two-character queries, ranking, highlight, pagination, privacy. The index:
test_search_index.py; HTTP: test_search_api.py."""

import pytest

from tests.support.factories import (
    T0,
    IndividualBusinessFactory,
    PersonFactory,
    make_regno,
    make_ric,
    make_uscc,
)
from xinyong.core.errors import DomainError
from xinyong.subjects.identifiers import ric_mask
from xinyong.subjects.search import SearchCursor, subject_search
from xinyong.subjects.services import code_correction_decide, code_correction_request
from xinyong.subjects.tests.search_cases import (
    _company,
    _found,
    _rename,
)

pytestmark = pytest.mark.django_db


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
