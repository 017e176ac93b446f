"""What the search tests share: companies, renames, search results and index rows."""

import datetime as dt

from tests.support.factories import (
    REGISTRAR,
    T0,
    SubjectFactory,
    make_uscc,
)
from xinyong.subjects.models import Subject, SubjectName, SubjectNameGram
from xinyong.subjects.search import subject_search
from xinyong.subjects.search_index import name_gram_rows
from xinyong.subjects.services import subject_rename


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
