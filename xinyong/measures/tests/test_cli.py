"""`xinyong check CODE --matter 政府采购 --unit 市财政局`: the same answer, printed for an operator."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.support.measures import NOW
from tests.support.records import COMPANY, PERSON
from xinyong.measures.models import Check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(clock, monkeypatch):
    clock.set(NOW)
    monkeypatch.setattr("getpass.getuser", lambda: "operator")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("measures_check", *args, stdout=out)
    return out.getvalue()


def test_cli_prints_the_answer(listed_company):
    text = _run(COMPANY, "123", "--matter", "政府采购", "--unit", "市财政局", "--case", "京财采〔2026〕88号")
    check = Check.objects.get()
    assert text == (
        f"核查 #{check.pk} · 市财政局 · 政府采购（government-procurement） · 案件编号 京财采〔2026〕88号\n"
        "核查时间 2026-11-02 10:00（北京时间）；反馈截止 2026-11-16 23:59:59；待反馈措施 1 项\n"
        f"[1] {COMPANY}  北京华信科技有限公司（{COMPANY}）\n"
        "    名单：失信被执行人名单（fy-sxbzx），2026-03-02 起，至 2029-03-01\n"
        "    适用措施（1 项）：\n"
        "      sxbzxr-procurement【失信惩戒·限制】限制失信被执行人作为供应商参加政府采购活动。\n"
        "        依据：《中华人民共和国政府采购法》第二十二条；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）\n"
        "        来源：关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）\n"
        "    失信记录：行政处罚 2 条（最近 2026-10-28）\n"
        "[2] 123  标识无效：无法识别的证件号码：长度为 3 位，应为 9、15、18 或 20 位（identifier.length）\n"
    )
    assert (check.checked_by, check.unit.code) == ("cli:operator", "bj-caizhengju")


def test_cli_without_measures_and_json(listed_company):
    text = _run(COMPANY, "--matter", "bidding", "--unit", "bj-caizhengju")
    assert "无适用措施，无需反馈" in text and "    适用措施：无\n" in text
    assert Check.objects.get().case_number == "命令行核查-20261102100000"
    data = json.loads(_run(COMPANY, "--matter", "政府采购", "--unit", "市财政局", "--json"))
    assert data["results"][0]["measures"][0]["code"] == "sxbzxr-procurement"


def test_cli_refuses_a_person_without_case_number_and_bad_input(memoranda):
    with pytest.raises(CommandError, match="check.case_number_required"):
        _run(PERSON, "--matter", "政府采购", "--unit", "市财政局")
    with pytest.raises(CommandError, match="check.matter_unknown"):
        _run(COMPANY, "--matter", "买菜", "--unit", "市财政局")
    with pytest.raises(CommandError, match="unit.not_found"):
        _run(COMPANY, "--matter", "政府采购", "--unit", "市不存在局")
    assert not Check.objects.exists()
