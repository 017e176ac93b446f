"""双公示 publicity: filters, cursor pagination, public fields only, streaming exports; the operator commands."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from tests.support.records import COMPANY, cf_row, xk_row
from xinyong.intake.tests.test_submissions import _receive
from xinyong.subjects.identifiers import uscc_make

pytestmark = pytest.mark.django_db
OTHER = uscc_make("9111010500054321")


@pytest.fixture
def penalties(officer):
    rows = [
        cf_row(CF_WSH="A", CF_JDRQ="2026-10-01"),
        cf_row(CF_WSH="B", CF_JDRQ="2026-10-15"),
        cf_row(CF_WSH="C", CF_JDRQ="2026-10-15", CF_XDR_SHXYM=OTHER, CF_XDR_MC="北京恒泰商贸有限公司"),
        cf_row(CF_WSH="D", CF_JDRQ="2026-10-20", CF_CFLB="警告", CF_NR_FK=None),  # minor: not published
        cf_row(CF_WSH="E", CF_JDRQ="2026-10-28", CF_NR="=cmd|' /C calc'!A0"),
    ]
    _receive(officer, rows)
    _receive(officer, [xk_row()], category="XK", key="xk")


def _docs(body):
    return [item["doc_no"] for item in body["items"]]


def test_penalties_newest_first_public_fields_only(penalties):
    body = Client().get("/api/v1/publicity/penalties").json()
    assert _docs(body) == ["E", "C", "B", "A"]
    assert body["next_cursor"] is None
    item = body["items"][-1]
    assert (item["unit_name"], item["subject_code"], item["decision_date"]) == (
        "市工商局",
        COMPANY,
        "2026-10-01",
    )
    assert item["publish_until"] == "2027-10-01"
    assert "CF_FR_ZJHM" not in item["fields"] and item["fields"]["CF_NR_FK"] == "2"


def test_cursor_pagination_walks_every_item_once(penalties):
    seen, url = [], "/api/v1/publicity/penalties?limit=2"
    while url:
        body = Client().get(url).json()
        seen += _docs(body)
        url = (
            f"/api/v1/publicity/penalties?limit=2&cursor={body['next_cursor']}"
            if body["next_cursor"]
            else None
        )
    assert seen == ["E", "C", "B", "A"]


def test_filters(penalties):
    client = Client()
    assert _docs(
        client.get("/api/v1/publicity/penalties?date_from=2026-10-15&date_to=2026-10-20").json()
    ) == ["C", "B"]
    assert _docs(client.get(f"/api/v1/publicity/penalties?subject={OTHER}").json()) == ["C"]
    assert _docs(client.get("/api/v1/publicity/penalties?unit=市工商局").json()) == ["E", "C", "B", "A"]
    assert _docs(client.get("/api/v1/publicity/penalties?unit=bj-shuiwuju").json()) == []
    assert _docs(client.get("/api/v1/publicity/licences").json()) == ["京工商许字〔2026〕第001号"]


def test_bad_inputs_are_problems(penalties):
    client = Client()
    for url, status, code in [
        ("/api/v1/publicity/penalties?cursor=%%%", 400, "cursor.invalid"),
        ("/api/v1/publicity/penalties?cursor=e30", 400, "cursor.invalid"),
        ("/api/v1/publicity/penalties?limit=501", 422, "request.invalid"),
        ("/api/v1/publicity/penalties?date_from=2026-13-01", 422, "request.invalid"),
        ("/api/v1/publicity/penalties?subject=123", 400, "identifier.length"),
        ("/api/v1/publicity/penalties?unit=不存在", 404, "unit.not_found"),
        ("/api/v1/publicity/other", 404, "publicity.kind_not_found"),
        ("/api/v1/publicity/penalties/export?format=pdf", 400, "export.format_invalid"),
    ]:
        response = client.get(url)
        assert (response.status_code, response.json()["code"]) == (status, code), url


def test_exports_stream_csv_and_jsonl(penalties):
    csv_text = b"".join(
        Client().get("/api/v1/publicity/penalties/export?format=csv").streaming_content
    ).decode()
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith(
        "record_id,unit,unit_name,doc_no,decision_date,subject_code,subject_name,status,"
    )
    assert len(lines) == 5 and "'=cmd|' /C calc'!A0" in lines[1]
    jsonl = b"".join(
        Client().get("/api/v1/publicity/penalties/export?format=jsonl").streaming_content
    ).decode()
    assert [json.loads(line)["doc_no"] for line in jsonl.splitlines()] == ["E", "C", "B", "A"]


def test_sweep_and_timeliness_commands(penalties):
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert out.getvalue().endswith("条信息公示期满，已结束公示\n")
    out = io.StringIO()
    call_command("timeliness", "--month", "2026-11", stdout=out)
    lines = out.getvalue().splitlines()
    # delays 3, 3 (on time), 9, 12, 12 and the 2026-10-01 decision across National Day (late): median 10.5
    assert lines[1].split() == ["市工商局", "2026-11", "6", "2", "4", "10.5", "0"]


def test_individual_business_without_code_is_shown_by_registration_number(officer):
    from xinyong.subjects.identifiers import regno_make

    regno = regno_make("11010860003734")
    row = xk_row(
        XK_XDR_MC="海淀区王记小吃店",
        XK_XDR_LB="个体工商户",
        XK_XDR_SHXYM="00000000000000000X",
        XK_XDR_GSZC=regno,
        XK_FRDB=None,
    )
    _receive(officer, [row], category="XK", key="ib")
    item = Client().get("/api/v1/publicity/licences").json()["items"][0]
    assert (item["subject_kind"], item["subject_code"]) == ("individual_business", regno)


def test_nobody_filters_publicity_by_a_persons_id(penalties):
    """Issue 12: `?subject=<resident ID>` told anyone whether a person has records; a 20-digit tax number
    holds a resident ID too. Organisation codes still filter (test_filters)."""
    from tests.support.records import PERSON
    from xinyong.records.selectors import PERSON_FILTER_REFUSED

    for value in (PERSON, PERSON + "01"):
        for path in ("/api/v1/publicity/penalties", "/api/v1/publicity/penalties/export"):
            response = Client().get(f"{path}?subject={value}")
            assert (response.status_code, response.json()["code"], response.json()["detail"]) == (
                403, "publicity.person_filter_refused", PERSON_FILTER_REFUSED)  # fmt: skip
