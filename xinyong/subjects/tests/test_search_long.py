"""Subject search, queries of 5 to 50 characters (issue 18, docs/adr/0031): the rarest grams intersected,
the first gram read in the result order when every part is common, both checked against the whole query
and ranked as the short queries are; and the gram counts the plan reads, kept with the index."""

import pytest
from django.db import connection

from xinyong.subjects import search_long
from xinyong.subjects.models import Subject, SubjectName, SubjectNameGramCount
from xinyong.subjects.search import SearchCursor, best_match, subject_search
from xinyong.subjects.search_index import name_gram_counts_rebuild, search_reindex
from xinyong.subjects.tests.search_cases import _company, _found, _rename

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(monkeypatch):
    """Which plan answered each query: "intersect" or "ordered" (an ordered read that gave up counts both)."""
    used = []
    for name, label in (("_intersected", "intersect"), ("_ordered", "ordered")):
        real = getattr(search_long, name)

        def spy(*args, _real=real, _label=label, **kw):
            used.append(_label)
            return _real(*args, **kw)

        monkeypatch.setattr(search_long, name, spy)
    return used


@pytest.fixture
def every_part_common(monkeypatch):
    """Make every gram 'common', so the ordered read answers; small batches to cross batch boundaries."""
    monkeypatch.setattr(search_long, "CHECK_ALL", 0)
    monkeypatch.setattr(search_long, "SCAN_FIRST", 1)


def _shops():
    _company(1, "北京京东世纪贸易有限公司")
    _company(2, "京东世纪贸易有限公司")
    _company(3, "北京京东叁佰陆拾度电子商务有限公司")
    _company(4, "北京世纪京东贸易有限公司")
    renamed = _company(5, "上海京东世纪贸易有限公司")
    _rename(renamed, "上海东方明珠科技有限公司")
    _company(6, "京东世纪贸易")


def test_five_six_and_eight_characters_found_by_intersecting_the_rarest_grams(plans):
    _shops()
    assert _found("东世纪贸易") == [
        ("京东世纪贸易", "substring", None),
        ("京东世纪贸易有限公司", "substring", None),
        ("北京京东世纪贸易有限公司", "substring", None),
        ("上海东方明珠科技有限公司", "substring", "上海京东世纪贸易有限公司"),
    ]
    assert _found("京东世纪贸易") == [
        ("京东世纪贸易", "exact_name", None),
        ("京东世纪贸易有限公司", "prefix", None),
        ("北京京东世纪贸易有限公司", "substring", None),
        ("上海东方明珠科技有限公司", "substring", "上海京东世纪贸易有限公司"),
    ]
    assert _found("世纪贸易有限公司") == [
        ("京东世纪贸易有限公司", "substring", None),
        ("北京京东世纪贸易有限公司", "substring", None),
        ("上海东方明珠科技有限公司", "substring", "上海京东世纪贸易有限公司"),
    ]
    assert _found("京东世纪贸易集团") == []
    assert plans == ["intersect"] * 4


def test_a_query_whose_every_part_is_common_is_answered_in_order(plans, every_part_common):
    for n in range(1, 8):
        _company(n, f"北京测试{'甲' * (n % 3)}{n}科技有限公司")
    _company(8, "科技有限公司")
    renamed = _company(9, "科技有限公司")
    _rename(renamed, "北京某某咨询有限公司")
    expected = [("科技有限公司", "exact_name", None), ("北京某某咨询有限公司", "former_name", "科技有限公司")]
    expected += [
        (f"北京测试{'甲' * (n % 3)}{n}科技有限公司", "substring", None) for n in (3, 6, 1, 4, 7, 2, 5)
    ]
    assert _found("科技有限公司") == expected
    assert set(plans) == {"ordered"}
    seen, cursor = [], None  # page by page, the same order without gaps or repeats
    while True:
        page = subject_search(q="科技有限公司", include_persons=False, limit=2, cursor=cursor)
        seen += [(h.name, h.reason, h.matched_name) for h in page.hits]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected


def test_an_ordered_read_that_finds_no_page_within_its_budget_intersects(monkeypatch, plans):
    _shops()
    monkeypatch.setattr(search_long, "CHECK_ALL", 0)
    monkeypatch.setattr(search_long, "SCAN_FIRST", 1)
    monkeypatch.setattr(search_long, "SCAN_BUDGET", 1)
    assert [name for name, _, _ in _found("京东世纪贸易")] == [
        "京东世纪贸易",
        "京东世纪贸易有限公司",
        "北京京东世纪贸易有限公司",
        "上海东方明珠科技有限公司",
    ]
    assert plans == ["ordered", "intersect"]


def _reference(q):
    """The ranking by definition: every subject's best match over its whole name history, in key order."""
    keys = []
    for subject in Subject.objects.exclude(kind="natural_person"):
        names = SubjectName.objects.filter(subject=subject).order_by("valid_from", "id")
        found = best_match(q, [(n.name, n.valid_to is None) for n in names])
        if found is not None:
            keys.append(SearchCursor(found.rank, found.length, subject.pk))
    return sorted(keys)


@pytest.mark.parametrize("plan", ["intersect", "ordered"])
def test_ranking_of_long_queries_is_the_ranking_of_short_ones(request, plan):
    if plan == "ordered":
        request.getfixturevalue("every_part_common")
    names = [
        "京东世纪",
        "京东世纪科技",
        "京东世纪科技有限公司",
        "北京京东世纪科技有限公司",
        "京东世纪科技集团",
    ]
    for n, name in enumerate(names, start=1):
        _company(n, name)
    for n, (old, new) in enumerate(
        [("京东世纪科技", "甲"), ("京东世纪科技股份公司", "乙乙"), ("华京东世纪科技", "丙")], 6
    ):
        _rename(_company(n, old), new)
    for q in ("京东世纪科", "京东世纪科技", "东世纪科技有限公司"):
        page = subject_search(q=q, include_persons=False, limit=100)
        assert [h.key for h in page.hits] == _reference(q)
    assert [r for _, r, _ in _found("京东世纪科技")] == [
        "exact_name", "former_name", "prefix", "prefix", "prefix", "substring", "substring"
    ]  # fmt: skip


def _counts():
    return dict(SubjectNameGramCount.objects.values_list("gram", "subjects"))


def test_gram_counts_follow_registration_rename_and_reindex():
    _company(1, "北京京东世纪贸易有限公司")
    second = _company(2, "京东世纪贸易有限公司")
    assert _counts()["京东世纪"] == 2 and _counts()["北京京东"] == 1 and "京东" not in _counts()
    _rename(second, "京东世纪商贸有限公司")
    counts = _counts()
    assert (
        counts["京东世纪"] == 2 and counts["世纪商贸"] == 1 and counts["世纪贸易"] == 2
    )  # former names count
    with connection.cursor() as cur:
        cur.execute("DELETE FROM subjects_name_gram_count")
    assert name_gram_counts_rebuild() == len(counts) and _counts() == counts
    search_reindex()
    assert _counts() == counts


FORMER_PATHS = {
    "listing": "SELECT 1000000000 + 0 * %s",
    "length": "SELECT 0 * %s - 1",
}  # the count that picks the path


@pytest.mark.parametrize(("misses", "growth", "former"), [
    (None, 1, None), (0, 1, None), (3, 1, None), (None, 2, "listing"), (None, 2, "length"), (3, 2, "length"),
])  # fmt: skip
def test_the_ordered_read_checked_one_subject_at_a_time_pages_as_the_reference(
    monkeypatch, misses, growth, former
):
    """The prefix ranks read from the first gram, the substring ranks from the rarest one (ADR 0031): every
    page boundary and chunk boundary gives the reference order; also when the candidates are intersected
    only after `misses` non-matching checks (every gram common), when the chunks grow, and whichever way the
    exact former names are read (the first gram's list, or the former names of the query's length)."""
    monkeypatch.setattr(search_long, "CHECK_GROWTH", growth)
    if former is not None:
        monkeypatch.setattr(search_long, "_FORMER_OF_LENGTH_COUNT_SQL", FORMER_PATHS[former])
    if misses is not None:
        monkeypatch.setattr(search_long, "LAZY_CANDIDATES", 0)
        monkeypatch.setattr(search_long, "MISSES", misses)
    monkeypatch.setattr(search_long, "CHECK_ALL", 0)
    monkeypatch.setattr(search_long, "SCAN_FIRST", 1)
    monkeypatch.setattr(search_long, "CHECK_CHUNK", 1)
    names = [
        "北京市石景山区甲公司",
        "北京市石景",
        "北京市石油公司",
        "上海北京市石景山乙",
        "北京市石景山",
        "丙北京市石景",
    ]
    names += ["北京市石景山区丁有限公司", "戊北京市石景山区", "北京市石化"]
    for n, name in enumerate(names, start=1):
        _company(n, name)
    _rename(_company(20, "北京市石景山区"), "己公司")
    _rename(_company(21, "北京市石景山庚"), "辛")
    _rename(_company(22, "北京市石景山"), "壬公司")  # an exact former name of a query, read apart
    for q in ("北京市石景", "北京市石景山", "市石景山区", "京市石景山区"):
        seen, cursor = [], None
        while True:
            page = subject_search(q=q, include_persons=False, limit=2, cursor=cursor)
            seen += [h.key for h in page.hits]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == _reference(q), q


@pytest.mark.parametrize("former", ["listing", "length"])
def test_exact_former_names_are_read_either_way(monkeypatch, former):
    """`_former_exact` finds the subjects whose former name is the query, from the first gram's list or from the
    former names of the query's length (name_former_length_idx), whichever the counts pick (issue 18)."""
    from xinyong.subjects.search import _visibility

    monkeypatch.setattr(search_long, "_FORMER_OF_LENGTH_COUNT_SQL", FORMER_PATHS[former])
    current = _company(1, "北京市石景山")
    renamed = _company(2, "北京市石景山")
    _rename(renamed, "壬公司")
    _rename(_company(3, "北京市石景山区"), "己公司")  # a longer former name: not exact
    _company(4, "北京市石景山区甲公司")
    keys = search_long._former_exact("北京市石景山", _visibility(False), (0, 0, 0), None, first_listing=4)
    assert keys == [(2, 6, renamed.pk)] and current.pk != renamed.pk
    assert (
        search_long._former_exact(
            "北京市石景山", _visibility(False), (0, 0, 0), {current.pk}, first_listing=4
        )
        == []
    )


@pytest.mark.parametrize("former", ["listing", "length"])
def test_an_exact_former_name_that_only_folds_to_the_query_is_found_either_way(monkeypatch, former):
    """The former names of the query's length are narrowed in SQL to those whose first character is the
    query's or not a CJK unified ideograph (`_former_of_length`): a name starting with the compatibility
    ideograph U+F963 (NFKC: 北) still folds to 北京市石景山; one starting with another ideograph never does."""
    from xinyong.subjects.search import _visibility

    monkeypatch.setattr(search_long, "_FORMER_OF_LENGTH_COUNT_SQL", FORMER_PATHS[former])
    compatible = _company(1, "\uf963京市石景山")  # the old name, as once registered
    _rename(compatible, "甲公司")
    _rename(_company(2, "南京市石景山"), "乙公司")  # same length, another first ideograph
    keys = search_long._former_exact("北京市石景山", _visibility(False), (0, 0, 0), None, first_listing=4)
    assert keys == [(2, 6, compatible.pk)]
