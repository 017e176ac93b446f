"""The law as of each decision date (issue 11): publication periods of each rule version, the procedure
field, the minor-publication choice, the penalty-type default table and the tier's source — the same through
the API and through a file (rules.yaml publication.penalty.*, severity.*; records/severity.py)."""

import csv
import datetime as dt
import io
import itertools
import json

import pytest
from django.test import Client

from tests.support.records import NOW, cf_row
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.catalog.models import Category
from xinyong.catalog.services import DEFAULT_RULES_PATH, rules_load
from xinyong.core.actor import Actor
from xinyong.intake.models import RejectedRow
from xinyong.intake.services import SubmissionSource, submission_import_file, submission_receive
from xinyong.records.models import Record
from xinyong.records.publication import clear_caches

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
ARRIVED = D("2026-11-02")  # NOW in Beijing: every record's publish_from
REASON = "涉及食品安全，社会关注度高，确需公示"
_keys = itertools.count(1)


def _receive(officer, rows):
    key = f"k-{next(_keys)}"  # one submission per call, never a replay
    unit = Unit.objects.get(code=officer.unit_code)
    return submission_receive(
        actor=officer,
        unit=unit,
        category=Category.objects.get(code="CF"),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=NOW,
    ).submission


def _one(officer, **overrides) -> Record:
    submission = _receive(officer, [cf_row(**overrides)])
    assert submission.accepted == 1, list(submission.rejected_rows.values_list("errors", flat=True))
    return Record.objects.get(submission=submission)


def _errors(officer, **overrides) -> list[dict]:
    submission = _receive(officer, [cf_row(**overrides)])
    assert (submission.accepted, submission.rejected) == (0, 1)
    return submission.rejected_rows.get().errors


def _facts(record: Record) -> tuple:
    return (
        record.severity,
        record.severity_source,
        record.status,
        record.publish_from,
        record.publish_min_end,
        record.publish_max_end,
        record.rule_key,
        record.rule_effective_from,
    )


def warning(**overrides) -> dict:
    """A penalty of only a warning (警告): no fine, so no fine amount."""
    return {"CF_CFLB": "警告", "CF_NR": "警告", "CF_NR_FK": None, **overrides}


def revocation(**overrides) -> dict:
    """A penalty revoking a licence (吊销许可证件) and nothing else."""
    return {
        "CF_CFLB": "吊销许可证件",
        "CF_NR": "吊销食品经营许可证",
        "CF_NR_FK": None,
        "CF_NR_ZKDX": "食品经营许可证 JY11101080001234",
        **overrides,
    }


# ── each rule version's periods, by decision date ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("decided", "tier", "expected"),
    [
        # 发改办财金〔2019〕527号 (from 2019-07-01): minor as general, general 3 months–1 year,
        # serious 6 months–3 years
        ("2020-06-15", "一般", ("general", "expired", "2020-09-15", "2021-06-15", "general", "2019-07-01")),
        ("2020-06-15", "严重", ("serious", "expired", "2020-12-15", "2023-06-15", "serious", "2019-07-01")),
        ("2020-06-15", "轻微", ("minor", "expired", "2020-09-15", "2021-06-15", "minor", "2019-07-01")),
        # NDRC Order No. 58 (from 2023-05-01): minor not published, general 3 months–1 year, serious 1–3 years
        ("2024-06-03", "一般", ("general", "expired", "2024-09-03", "2025-06-03", "general", "2023-05-01")),
        ("2024-06-03", "严重", ("serious", "published", "2025-06-03", "2027-06-03", "serious", "2023-05-01")),
        ("2024-06-03", "轻微", ("minor", "not_published", None, None, "minor", "2023-05-01")),
        # the 2025 measures (from 2026-04-01): minor not published, general 3 months–1 year, serious 1–3 years
        ("2026-05-06", "一般", ("general", "published", "2026-08-06", "2027-05-06", "general", "2026-04-01")),
        ("2026-05-06", "严重", ("serious", "published", "2027-05-06", "2029-05-06", "serious", "2026-04-01")),
        ("2026-05-06", "轻微", ("minor", "not_published", None, None, "minor", "2026-04-01")),
    ],
)
def test_each_rule_version_keeps_its_periods(officer, decided, tier, expected):
    severity, status, min_end, max_end, key, effective_from = expected
    record = _one(officer, CF_JDRQ=decided, XY_YZCD=tier)
    assert _facts(record) == (
        severity,
        "provider",
        status,
        ARRIVED,
        D(min_end) if min_end else None,
        D(max_end) if max_end else None,
        f"publication.penalty.{key}",
        D(effective_from),
    )


# ── 处罚程序 CF_CFCX ──────────────────────────────────────────────────────────────────────────────────────


def test_summary_procedure_makes_the_penalty_minor_from_2023_05_01(officer):
    summary = _one(officer, CF_WSH="S1", CF_CFCX="简易程序", CF_NR_FK="0.02")
    assert summary.payload["CF_CFCX"] == "1"  # the label is stored as its code
    assert _facts(summary) == (
        "minor", "procedure", "not_published", ARRIVED, None, None, "publication.penalty.minor", D("2026-04-01"),
    )  # fmt: skip
    in_2024 = _one(officer, CF_WSH="S2", CF_CFCX="1", CF_JDRQ="2024-06-03")
    assert _facts(in_2024)[:3] == ("minor", "procedure", "not_published")
    ordinary = _one(officer, CF_WSH="S3", CF_CFCX="2")
    assert _facts(ordinary)[:3] == ("general", "penalty_type_default", "published")


def test_summary_procedure_before_2023_has_no_table_and_keeps_the_category_default(officer):
    record = _one(officer, CF_CFCX="1", CF_JDRQ="2022-03-15")
    assert _facts(record) == (
        "general", "category_default", "expired", ARRIVED, D("2022-06-15"), D("2023-03-15"),
        "publication.penalty.general", D("2019-07-01"),
    )  # fmt: skip


def test_provider_tier_that_contradicts_the_summary_procedure_is_refused(officer):
    assert _errors(officer, CF_CFCX="1", XY_YZCD="一般") == [
        {
            "field": "XY_YZCD",
            "code": "severity.procedure_conflict",
            "message": "严重程度为一般，但按决定日有效的规则，该处罚程序的处罚为轻微失信（请核对处罚程序或严重程度）",
        }
    ]
    agreeing = _one(officer, CF_CFCX="1", XY_YZCD="轻微")
    assert (agreeing.severity, agreeing.severity_source) == ("minor", "provider")


def test_unknown_procedure_code_is_refused(officer):
    assert _errors(officer, CF_CFCX="3") == [
        {
            "field": "CF_CFCX",
            "code": "code.not_allowed",
            "message": "处罚程序取值不在代码表内：3（可选：1 简易程序、2 普通程序）",
        }
    ]


# ── 轻微处罚公示 CF_QWGS + 公示理由 CF_GSLY (2025 measures) ───────────────────────────────────────────────


def test_a_department_may_publish_a_minor_penalty_for_at_most_three_months(officer):
    record = _one(officer, **warning(CF_QWGS="1", CF_GSLY=REASON))
    assert _facts(record) == (
        "minor", "penalty_type_default", "published", ARRIVED, None, D("2027-01-28"),
        "publication.penalty.minor", D("2026-04-01"),
    )  # fmt: skip
    assert record.payload["CF_GSLY"] == REASON


def test_a_chosen_publication_already_over_on_arrival_is_expired(officer):
    record = _one(officer, **warning(CF_QWGS="公示", CF_GSLY=REASON, CF_JDRQ="2026-04-01"))
    assert _facts(record)[2:6] == ("expired", ARRIVED, None, D("2026-07-01"))


def test_the_choice_needs_a_reason(officer):
    assert _errors(officer, **warning(CF_QWGS="1")) == [
        {
            "field": "CF_GSLY",
            "code": "field.required_if",
            "message": "公示理由（CF_GSLY）在此情形下必填：轻微处罚公示为“1 公示”时必填",
        }
    ]


def test_not_publishing_needs_no_reason(officer):
    record = _one(officer, **warning(CF_QWGS="0"))
    assert _facts(record)[:3] == ("minor", "penalty_type_default", "not_published")


@pytest.mark.parametrize(
    ("decided", "rule_since"), [("2026-03-31", "2023-05-01"), ("2022-03-15", "2019-07-01")]
)
def test_the_choice_is_refused_where_the_rule_in_force_does_not_allow_it(officer, decided, rule_since):
    assert _errors(officer, **warning(CF_QWGS="1", CF_GSLY=REASON, CF_JDRQ=decided)) == [
        {
            "field": "CF_QWGS",
            "code": "minor_publication.not_allowed",
            "message": f"决定日 {decided} 适用的公示规则（{rule_since} 起施行）不允许选择公示轻微处罚",
        }
    ]


def test_the_choice_is_only_for_minor_penalties(officer):
    assert _errors(officer, CF_QWGS="1", CF_GSLY=REASON) == [
        {
            "field": "CF_QWGS",
            "code": "minor_publication.not_minor",
            "message": "只有轻微失信的处罚可以选择公示（本条为一般）",
        }
    ]


def test_the_cap_is_the_rule_row(officer, tmp_path):
    """choice_max is data: another value in rules.yaml gives another maximum end, no code change."""
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    changed = text.replace("choice_max: {months: 3}", "choice_max: {months: 2}")
    assert changed != text
    (tmp_path / "rules.yaml").write_text(changed, encoding="utf-8")
    rules_load(actor=Actor.system(), now=NOW, path=tmp_path / "rules.yaml")
    clear_caches()
    record = _one(officer, **warning(CF_QWGS="1", CF_GSLY=REASON))
    assert (record.status, record.publish_max_end) == ("published", D("2026-12-28"))


# ── the default table by penalty type (severity.penalty_type) ─────────────────────────────────────────────


def test_a_revocation_without_a_tier_is_serious_by_the_penalty_type_table(officer):
    record = _one(officer, **revocation())
    assert _facts(record) == (
        "serious", "penalty_type_default", "published", ARRIVED, D("2027-10-28"), D("2029-10-28"),
        "publication.penalty.serious", D("2026-04-01"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"CF_CFLB": "罚款;吊销许可证件", "CF_NR_ZKDX": "食品经营许可证"},
            ("serious", "penalty_type_default"),
        ),
        ({"CF_CFLB": "警告;罚款"}, ("general", "penalty_type_default")),
        ({"CF_CFLB": "责令关闭", "CF_NR_FK": None}, ("serious", "penalty_type_default")),
        ({"CF_CFLB": "限制从业", "CF_NR_FK": None}, ("serious", "penalty_type_default")),
        ({"CF_CFLB": "通报批评", "CF_NR_FK": None}, ("minor", "penalty_type_default")),
        (
            {"CF_CFLB": "没收违法所得", "CF_NR_FK": None, "CF_NR_WFFF": "1.5"},
            ("general", "penalty_type_default"),
        ),
    ],
)
def test_several_penalty_types_take_the_most_severe(officer, overrides, expected):
    record = _one(officer, **overrides)
    assert (record.severity, record.severity_source) == expected


def test_the_providers_tier_wins_over_the_table(officer):
    record = _one(officer, **revocation(XY_YZCD="一般"))
    assert _facts(record)[:6] == (
        "general",
        "provider",
        "published",
        ARRIVED,
        D("2027-01-28"),
        D("2027-10-28"),
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # Order No. 58's table lists only 警告 and 通报批评 (minor); other types keep the category default
        (revocation(CF_JDRQ="2024-06-03"), ("general", "category_default", "expired")),
        (warning(CF_JDRQ="2024-06-03"), ("minor", "penalty_type_default", "not_published")),
        (
            warning(CF_CFLB="警告;罚款", CF_NR_FK="0.5", CF_JDRQ="2024-06-03"),
            ("general", "category_default", "expired"),
        ),
        # before 2023-05-01 there is no table: the category default (general), published as 527号 says
        (warning(CF_JDRQ="2022-03-15"), ("general", "category_default", "expired")),
    ],
)
def test_the_table_in_force_on_the_decision_date_applies(officer, overrides, expected):
    record = _one(officer, **overrides)
    assert (record.severity, record.severity_source, record.status) == expected


# ── the API and a file give the same records and the same refusals ──────────────────────────────────────────

SAME_ROWS = [
    cf_row(CF_WSH="R1", **revocation()),
    cf_row(CF_WSH="R2", CF_CFCX="简易程序", CF_NR_FK="0.02"),
    cf_row(CF_WSH="R3", **warning(CF_QWGS="1", CF_GSLY=REASON)),
    cf_row(CF_WSH="R4", **warning(CF_QWGS="1")),
    cf_row(CF_WSH="R5", **revocation(XY_YZCD="一般")),
    cf_row(CF_WSH="R6", **warning(CF_QWGS="1", CF_GSLY=REASON, CF_JDRQ="2026-03-31")),
    cf_row(CF_WSH="R7", CF_JDRQ="2024-06-03", XY_YZCD="严重"),
]
SAME_RESULT = [
    ("R1", "serious", "penalty_type_default", "published", D("2027-10-28"), D("2029-10-28")),
    ("R2", "minor", "procedure", "not_published", None, None),
    ("R3", "minor", "penalty_type_default", "published", None, D("2027-01-28")),
    ("R5", "general", "provider", "published", D("2027-01-28"), D("2027-10-28")),
    ("R7", "serious", "provider", "published", D("2025-06-03"), D("2027-06-03")),
]
SAME_REFUSALS = [
    [("CF_GSLY", "field.required_if")],
    [("CF_QWGS", "minor_publication.not_allowed")],
]


def _result() -> list[tuple]:
    records = Record.objects.order_by("doc_no")
    return [
        (r.doc_no, r.severity, r.severity_source, r.status, r.publish_min_end, r.publish_max_end)
        for r in records
    ]


def _refusals() -> list[list[tuple]]:
    rows = RejectedRow.objects.order_by("row_index")
    return [[(e["field"], e["code"]) for e in row.errors] for row in rows]


def test_through_the_api(officer):
    unit = Unit.objects.get(code=officer.unit_code)
    token = api_token_create(actor=Actor.system(), unit=unit, role="data_officer", now=NOW).secret
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/v1/submissions",
        json.dumps({"category": "CF", "rows": SAME_ROWS}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="same",
    )
    assert (response.status_code, response.json()["accepted"], response.json()["rejected"]) == (201, 5, 2)
    assert (_result(), _refusals()) == (SAME_RESULT, SAME_REFUSALS)


def test_through_a_file(officer, tmp_path):
    header = list(dict.fromkeys(key for row in SAME_ROWS for key in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, restval="")
    writer.writeheader()
    writer.writerows(SAME_ROWS)
    path = tmp_path / "cf.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    unit = Unit.objects.get(code=officer.unit_code)
    outcome, _ = submission_import_file(
        actor=officer, unit=unit, category=Category.objects.get(code="CF"), path=path, now=NOW
    )
    assert (outcome.submission.accepted, outcome.submission.rejected) == (5, 2)
    assert (_result(), _refusals()) == (SAME_RESULT, SAME_REFUSALS)
