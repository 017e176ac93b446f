"""The record page reads its one record directly (issue 15's performance requirement): it must show exactly what
the public profile shows of that record — the same fields, labels, dates and unit — and the same 404 for every
record the profile does not show today. The oracle below is the page's former way: the whole public profile
(`subject_profile` as `Actor.anonymous()`), searched for the record."""

import datetime as dt

import pytest
from django.test import Client

from tests.support.records import PERSON  # noqa: F401 - the world's person is registered by `person`
from xinyong.accounts.selectors import unit_name_on
from xinyong.catalog.selectors import category_public_fields
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date, now
from xinyong.disclosure.profile import subject_profile
from xinyong.portal.record import NOT_SHOWN, _day, public_record
from xinyong.records.models import Record, RecordStatus
from xinyong.reports.content import display_value
from xinyong.subjects.selectors import subject_primary_code

pytestmark = pytest.mark.django_db


def _from_profile(record_id: int) -> dict | None:
    """What the public profile shows of this record, in the page's terms; None when it shows none."""
    record = Record.with_staged.select_related("subject").filter(pk=record_id).first()
    if record is None or record.subject.is_person:
        return None
    at = now()
    profile = subject_profile(actor=Actor.anonymous(), subject=record.subject, now=at)
    for category in profile["categories"]:
        for item in category["records"]:
            if item["record_id"] == record_id and item["shown"]:
                options = {
                    c: o or {} for _, c, _, o in category_public_fields(category_ids=[record.category_id])
                }
                since = item["under_objection_since"]
                return {
                    "record": {
                        "record_id": item["record_id"],
                        "doc_no": item["doc_no"],
                        "status_label": item["status_label"],
                    },
                    "category": {"name": category["name"]},
                    "subject": {"name": profile["subject"]["name"]},
                    "subject_code": subject_primary_code(record.subject),
                    "fields": [
                        (f["name"], display_value(f["value"], options.get(f["code"], {})))
                        for f in item["fields"]
                    ],  # fmt: skip
                    "unit_name": unit_name_on(record.unit, on=business_date(at), full=False),
                    "decided": _day(dt.date.fromisoformat(item["decision_date"])),
                    "until": _day(dt.date.fromisoformat(item["publish_until"]))
                    if item["publish_until"]
                    else "长期",
                    "objection": _day(business_date(dt.datetime.fromisoformat(since))) if since else "",
                }
    return None


def _comparable(found: dict | None) -> dict | None:
    if found is None:
        return None
    # the lists a record is the basis of are the lists app's answer (test_pages.py), not the profile's
    found = {key: value for key, value in found.items() if key != "list_types"}
    return {**found, "category": {"name": found["category"]["name"]}}


def test_the_direct_read_shows_what_the_public_profile_shows_for_every_record(world, person):
    ids = sorted(Record.with_staged.values_list("pk", flat=True))
    shown = hidden = 0
    for record_id in [*ids, ids[-1] + 1]:
        expected = _from_profile(record_id)
        assert _comparable(public_record(record_id)) == expected, record_id
        shown += expected is not None
        hidden += expected is None
    # the world holds both kinds: shown records (one under objection) and records not public today
    assert shown >= 3 and hidden >= 6
    objected = public_record(world.known.objected.pk)
    assert objected is not None and objected["objection"] == "2026年10月30日"
    assert objected["record"]["status_label"] == dict(RecordStatus.choices)[RecordStatus.UNDER_OBJECTION]


def test_the_same_404_for_every_record_not_public_today(world, person):
    client = Client()
    pages = set()
    for record_id in Record.with_staged.values_list("pk", flat=True):
        if _from_profile(record_id) is None:
            response = client.get(f"/records/{record_id}/")
            assert response.status_code == 404
            pages.add(_main(response.content.decode()))
    unknown = client.get("/records/999999/")
    assert unknown.status_code == 404 and _main(unknown.content.decode()) in pages
    assert len(pages) == 1 and NOT_SHOWN in pages.pop()  # one page, whatever the reason


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_the_record_page_reads_a_handful_of_rows(world, django_assert_max_num_queries):
    """The record, its subject, category and unit in one query; the public fields; the objection date; the
    unit's name on the day; the rate counter — never the subject's other records."""
    client = Client()
    client.get(f"/records/{world.known.objected.pk}/")  # a first request loads what a process caches
    with django_assert_max_num_queries(8):
        assert client.get(f"/records/{world.known.objected.pk}/").status_code == 200
