"""The district government integrity evaluation (ADR 0037) computed by hand for 海淀 and 朝阳 on the known world
(world.py), the recompute that replaces a month with an audit event, the scorecard file's checks, and the
console page ranking the districts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.support.otp import verified_login
from xinyong.accounts.models import Unit, User
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied
from xinyong.govintegrity.models import DistrictEvaluation
from xinyong.govintegrity.scorecard import Indicator, ScorecardError, scorecard_on, scorecards_parse
from xinyong.govintegrity.scoring import IndicatorInput, indicator_points
from xinyong.govintegrity.services import district_evaluation_compute
from xinyong.govintegrity.tests.world import NOW
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 1)
OFFICE = Actor(label="user:9", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}))
INPUTS = {  # (b): the share of each indicator's weight the district earned in the evaluation of districts
    "bj-haidian": {"publicity_on_time": IndicatorInput(Decimal("1"), "evaluation #1"),
                   "feedback_on_time": IndicatorInput(Decimal("0.8"), "evaluation #1")},
    "bj-chaoyang": {"publicity_on_time": IndicatorInput(Decimal("0"), "evaluation #1"),
                    "rows_rejected": IndicatorInput(Decimal("0.6"), "evaluation #1"),
                    "feedback_on_time": IndicatorInput(Decimal("1"), "evaluation #1"),
                    "objections_on_time": IndicatorInput(Decimal("0.5"), "evaluation #1"),
                    "repairs_on_time": IndicatorInput(Decimal("1"), "evaluation #1"),
                    "plan_reports_on_time": IndicatorInput(Decimal("0.2"), "evaluation #1")},
}  # fmt: skip
D = Decimal


def _ids(world, name):
    return list(Record.objects.filter(submission=world[name]).values_list("id", flat=True))


def _indicators(evaluation):
    return [(i.code, i.value_text, i.points, i.max_points) for i in evaluation.indicators.order_by("order")]


def test_two_districts_by_hand(world):
    results = {
        e.district: e
        for e in district_evaluation_compute(actor=OFFICE, now=NOW, month=NOVEMBER, inputs=INPUTS)
    }
    assert len(results) == 16
    haidian, chaoyang = results["bj-haidian"], results["bj-chaoyang"]
    # 海淀: ZFSXBZX serious, new in November (10) and current (6); ZFWY serious of October, current (5); its
    # public institution's ZFCG general of September, current (1) → 60 − 22 = 38. (b): 双公示 share 1 of 10
    # points; feedback share 0.8 of 10: 8; the other four have no value and leave the maximum: 38 + 18 of 80.
    missing = "缺少数据（不计入满分）"
    assert _indicators(haidian) == [
        ("ZFSXBZX", "新增 1（严重 1），现存 1（严重 1）", D("-16.00"), None),
        ("ZFWY", "新增 0，现存 1（严重 1）", D("-5.00"), None),
        ("ZFCG", "新增 0，现存 1（一般 1）", D("-1.00"), None),
        ("publicity_on_time", "100.00%", D("10.00"), D("10.00")),
        ("rows_rejected", missing, None, D("5.00")),
        ("feedback_on_time", "80.00%", D("8.00"), D("10.00")),
        ("objections_on_time", missing, None, D("5.00")),
        ("repairs_on_time", missing, None, D("5.00")),
        ("plan_reports_on_time", missing, None, D("5.00")),
    ]
    assert (haidian.records_points, haidian.score, haidian.max_score, haidian.rate, haidian.level) == (
        D("38.00"),
        D("56.00"),
        D("80.00"),
        D("0.7000"),
        "中",
    )
    assert (haidian.complete, haidian.rank, haidian.scorecard_version) == (False, 16, "2026.1")
    zfsxbzx = haidian.indicators.get(code="ZFSXBZX")
    assert zfsxbzx.inputs["new"] == zfsxbzx.inputs["current"] == _ids(world, "zfsxbzx")
    assert haidian.indicators.get(code="ZFCG").inputs["current"] == _ids(world, "zfcg")
    # 朝阳: ZFWY general of November, new (4) and current (2); its 2025 record is neither → 54. (b): 0 + 5 × 0.6
    # + 10 + 5 × 0.5 + 5 + 5 × 0.2 = 21.5 of 40 → 75.5 of 100.
    assert _indicators(chaoyang) == [
        ("ZFSXBZX", "新增 0，现存 0", D("0.00"), None),
        ("ZFWY", "新增 1（一般 1），现存 1（一般 1）", D("-6.00"), None),
        ("ZFCG", "新增 0，现存 0", D("0.00"), None),
        ("publicity_on_time", "0.00%", D("0.00"), D("10.00")),
        ("rows_rejected", "60.00%", D("3.00"), D("5.00")),
        ("feedback_on_time", "100.00%", D("10.00"), D("10.00")),
        ("objections_on_time", "50.00%", D("2.50"), D("5.00")),
        ("repairs_on_time", "100.00%", D("5.00"), D("5.00")),
        ("plan_reports_on_time", "20.00%", D("1.00"), D("5.00")),
    ]
    assert (chaoyang.records_points, chaoyang.score, chaoyang.max_score, chaoyang.rate, chaoyang.level) == (
        D("54.00"),
        D("75.50"),
        D("100.00"),
        D("0.7550"),
        "良",
    )
    assert (chaoyang.complete, chaoyang.rank) == (True, 15)
    assert chaoyang.indicators.get(code="ZFWY").inputs["new"] == _ids(world, "zfwy_chaoyang")
    # the 14 other districts: no record, no (b) value: 60 of 60, all first
    others = [e for d, e in results.items() if d not in ("bj-haidian", "bj-chaoyang")]
    assert {(e.score, e.max_score, e.rate, e.level, e.rank) for e in others} == {
        (D("60.00"), D("60.00"), D("1.0000"), "优", 1)
    }


def test_recomputing_a_month_replaces_it_with_an_audit_event(world):
    district_evaluation_compute(actor=OFFICE, now=NOW, month=NOVEMBER, inputs=INPUTS)
    district_evaluation_compute(actor=OFFICE, now=NOW, month=dt.date(2026, 11, 17), inputs={})
    assert DistrictEvaluation.objects.count() == 16
    haidian = DistrictEvaluation.objects.get(district="bj-haidian")
    assert (haidian.score, haidian.max_score, haidian.rate, haidian.level) == (
        D("38.00"),
        D("60.00"),
        D("0.6333"),
        "中",
    )
    events = list(AuditEvent.objects.filter(action="govintegrity.district_evaluation").order_by("seq"))
    assert [e.target_id for e in events] == ["2026-11", "2026-11"]
    assert events[0].payload["replaced"] == {}
    assert events[1].payload["replaced"]["bj-haidian"] == "56.00"
    assert events[1].payload["scores"]["bj-haidian"] == "38.00"


def test_only_the_credit_office_computes(world):
    district = Actor(label="user:8", unit_code="bj-haidian", roles=frozenset({"case_officer"}))
    with pytest.raises(PermissionDenied):
        district_evaluation_compute(actor=district, now=NOW, month=NOVEMBER, inputs={})
    assert not DistrictEvaluation.objects.exists()


def test_indicator_points_are_linear_between_the_thresholds():
    feedback = scorecard_on(NOVEMBER).indicators[2]
    assert (feedback.code, feedback.points) == ("feedback_on_time", D("10"))
    assert [indicator_points(feedback, D(v)) for v in ("0.5", "0", "1", "1.2", "0.333")] == [
        D("5.00"),
        D("0.00"),
        D("10"),
        D("10"),
        D("3.33"),
    ]
    steep = Indicator("x", "x", D("15"), full_at=D("0.95"), zero_at=D("0.50"))
    assert indicator_points(steep, D("0.725")) == D("7.50")


def test_the_scorecard_file_is_checked():
    with pytest.raises(ScorecardError, match="重复的键"):
        scorecards_parse("versions: []\nversions: []\n")
    bad_levels = """
versions:
  - version: "x"
    effective_from: 2026-01-01
    source: s
    records: {max_points: 60, categories: {ZFWY: {new: {general: 1}, current: {general: 1}}}}
    indicators: []
    levels: [{level: 优, min: 0.9}]
"""
    with pytest.raises(ScorecardError, match="最后一档下限为 0"):
        scorecards_parse(bad_levels)
    with pytest.raises(ScorecardError, match="严重程度只能是"):
        scorecards_parse(bad_levels.replace("general: 1}, current", "grave: 1}, current"))
    with pytest.raises(ScorecardError, match="尚无生效的计分卡版本"):
        scorecard_on(dt.date(2025, 12, 31))


def _client(username, unit_code, role):
    user = User.objects.create_user(username=username, password="x-strong-password-1", full_name=username,
                                    unit=Unit.objects.get(code=unit_code), roles=[role])  # fmt: skip
    return verified_login(Client(), user)


def test_the_console_computes_and_ranks_the_districts(world):
    office = _client("reviewer1", "bj-jingxinwei", "reviewer")
    answer = office.post("/console/govintegrity/evaluation/", {"month": "2026-11"})
    assert (answer.status_code, answer["Location"]) == (
        302,
        "/console/govintegrity/evaluation/?month=2026-11",
    )
    html = office.get(answer["Location"]).content.decode()
    assert "已计算 2026年11月 的区政府政务诚信评价（16 个区）" in html
    assert '<th scope="col">政府机构失信被执行人信息</th>' in html
    assert (
        '<td>16</td>\n    <th scope="row">海淀区</th>\n    <td>38.00</td><td>60.00</td><td>0.6333</td><td>中（数据不完整）</td>'
    ) in html
    assert "新增 1（严重 1），现存 1（严重 1）；-16.00 分" in html
    district = _client("haidian1", "bj-haidian", "case_officer")
    html = district.get("/console/govintegrity/evaluation/?month=2026-11").content.decode()
    assert html.count('<th scope="row">') == 1 and "海淀区" in html and "计算（或重新计算）月份" not in html
    refused = district.post("/console/govintegrity/evaluation/", {"month": "2026-10"}, follow=True)
    assert "需要以下角色之一" in refused.content.decode()
    assert not DistrictEvaluation.objects.filter(month=dt.date(2026, 10, 1)).exists()


def test_the_command_computes_a_month(world, capsys):
    from django.core.management import call_command

    call_command("govintegrity_evaluate", "--month", "2026-11")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 16
    assert lines[-1] == " 16  bj-haidian         38.00/60.00     0.6333  中（数据不完整）"
    assert AuditEvent.objects.get(action="govintegrity.district_evaluation").actor == "system"


def test_part_b_is_read_from_the_evaluation_of_districts(world):
    """inputs.py: the evaluation's district result for the month, each counted indicator's share."""
    from xinyong.evaluation.models import Evaluation, EvaluationResult, IndicatorResult, Scorecard

    card = Scorecard.objects.create(kind="district", version="2026.1", effective_from=dt.date(2026, 1, 1),
                                    title="各区", document={}, sha256="x", loaded_at=NOW)  # fmt: skip
    evaluation = Evaluation.objects.create(scorecard=card, month=NOVEMBER, kind="district", computed_at=NOW,
                                           computed_by="user:9", entities=16, ranked=1)  # fmt: skip
    result = EvaluationResult.objects.create(evaluation=evaluation, unit=Unit.objects.get(code="bj-haidian"),
                                             position=1, total=D("90"), counted_weight=D("25"), rank=1)  # fmt: skip
    IndicatorResult.objects.create(result=result, position=1, code="publicity_on_time", metric="publicity_on_time",
                                   name="双公示按时公示率", weight=D("25"), numerator=D("9"), denominator=D("10"),
                                   value=D("0.9"), share=D("0.857143"), points=D("21.43"))  # fmt: skip
    IndicatorResult.objects.create(
        result=result,
        position=2,
        code="feedback_on_time",
        metric="feedback_on_time",
        name="联合奖惩反馈按时率",
        weight=D("25"),
    )  # fmt: skip  (not counted: no data)
    haidian = next(
        e
        for e in district_evaluation_compute(actor=OFFICE, now=NOW, month=NOVEMBER)
        if e.district == "bj-haidian"
    )
    publicity = haidian.indicators.get(code="publicity_on_time")
    assert (publicity.value_text, publicity.points, publicity.max_points) == (
        "90.00%（考核得分比例 0.86）",
        D("8.57"),
        D("10.00"),
    )
    assert (
        publicity.source == f"考核评价 2026-11（区，评分表 2026.1）结果 #{result.pk} 指标 publicity_on_time"
    )
    assert publicity.inputs == {"value": "0.900000", "numerator": "9.0000", "denominator": "10.0000",
                                "share": "0.857143", "points": "21.43", "weight": "25.00"}  # fmt: skip
    assert haidian.indicators.get(code="feedback_on_time").points is None
    assert (haidian.score, haidian.max_score) == (D("46.57"), D("70.00"))
