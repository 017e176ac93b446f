"""The evaluation section of the console (evaluation/views.py, mounted at /console/evaluation/), the 通报 PDF
read back with pypdf, the CSV export, who may see what, the explanation of an indicator and the command, on
world.py's November 2026."""

import csv
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from tests.support.otp import verified_login
from xinyong.accounts.models import Unit, User
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied
from xinyong.evaluation import selectors
from xinyong.evaluation.pdf import evaluation_bulletin_pdf
from xinyong.evaluation.services import evaluation_month_compute
from xinyong.evaluation.tests.world import NOV, NOW, OFFICE

pytestmark = pytest.mark.django_db
BASE = "/console/evaluation/unit/2026-11/"


@pytest.fixture
def evaluated(world):
    return evaluation_month_compute(month=NOV, kind="unit", now=NOW, actor=OFFICE)


def _person(username, unit=None, roles=("reviewer",)):
    """A verified officer; by default a reviewer of the credit office (市经济信息化委, accounts/policy.py)."""
    unit = unit or Unit.objects.get(code="bj-jingxinwei")
    user = User.objects.create_user(
        username=username, password="x-strong-password-1", full_name=username, unit=unit, roles=list(roles)
    )
    return verified_login(Client(), user)


def test_the_bulletin_pdf_reads_back_with_title_ranking_lowest_and_version(evaluated):
    data = evaluation_bulletin_pdf(evaluated, selectors.evaluation_ranking(evaluation=evaluated))
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())
    assert "2026年11月各单位信用工作考核情况通报" in flat
    assert "考核期间：2026年11月1日至11月30日" in flat
    assert "评分表：市级部门信用工作考核评分表（2026年第1版）（版本2026.1，2026-01-01起施行）" in flat
    assert "1市人力社保局70.00合格50.00" in flat and "3市工商局52.46不合格50.00" in flat
    # the lowest three ranks, ties included: the 13 units at 0.00 share rank 4, listed from the last (catalog
    # 2026.5 added 4 providers: 市投资促进局 and the three intermediate courts, ADR 0037)
    assert "第4名市商务委（0.00分）：目录信息归集完整率0.00%，得0.00分（满分15.00）" in flat
    assert flat.count("第4名") == 13 and "第3名" not in flat
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("NotoSansSC-Regular") or "Noto" in name for name in fonts), fonts
    assert len(reader.pages) >= 2
    again = evaluation_bulletin_pdf(evaluated, selectors.evaluation_ranking(evaluation=evaluated))
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(data).hexdigest()  # deterministic


def test_the_credit_office_sees_the_ranking_every_unit_and_exports(evaluated, world):
    client = _person("office")
    page = client.get("/console/evaluation/")
    assert page.status_code == 302 and page["Location"] == BASE
    body = client.get(BASE).content.decode()
    assert "2026年11月各单位信用工作考核情况通报" in body
    assert f'href="{BASE}bj-gongshangju/">市工商局</a>' in body
    detail = client.get(BASE + "bj-gongshangju/").content.decode()
    assert "52.46" in detail and "90.00%" in detail and "不计分" in detail
    rows = list(csv.reader(io.StringIO(client.get(BASE + "ranking.csv").content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["名次", "单位代码", "单位", "总分", "等次", "计分权重"]
    assert rows[1][:8] == ["1", "bj-rensheju", "市人力社保局", "70.00", "合格", "50.00", "1.000000", "20.00"]
    pdf = client.get(BASE + "bulletin.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_an_indicator_answers_why_with_definition_source_query_and_records(evaluated, world):
    client = _person("office2")
    body = client.get(BASE + "bj-gongshangju/publicity_on_time/").content.decode()
    assert "9 ÷ 10 = 0.900000" in body
    assert "双公示按时报送率" in body and "xinyong.records.selectors" in body  # the metric's definition
    assert "metric=&#x27;publicity_on_time&#x27;, unit_id=" in body  # the source query
    assert body.count("工商许") == 9 and "工商罚1" in body  # the records behind: 10 first submissions
    why = selectors.indicator_explain(
        evaluation=evaluated, unit_code="bj-gongshangju", indicator_code="rows_rejected", actor=OFFICE
    )
    assert (why.indicator.numerator, why.indicator.denominator, why.indicator.points) == (
        1,
        11,
        Decimal("9.09"),
    )
    assert why.rule == "越低越好：≤2% 得满分，≥20% 得 0 分，其间线性"
    assert [r["计入分子"] for r in why.rows_behind].count("是") == 1


def test_a_unit_officer_sees_the_ranking_and_only_its_own_unit(evaluated, world):
    client = _person("rs", unit=world["bj-rensheju"], roles=("case_officer",))
    body = client.get(BASE).content.decode()
    assert f'href="{BASE}bj-rensheju/">市人力社保局</a>' in body
    assert f'href="{BASE}bj-gongshangju/"' not in body
    assert client.get(BASE + "bj-rensheju/").status_code == 200
    assert client.get(BASE + "bj-gongshangju/").status_code == 403
    assert client.get(BASE + "bj-gongshangju/publicity_on_time/").status_code == 403
    assert client.get("/console/evaluation/unit/2026-10/").status_code == 404
    officer = Actor(label="user:rs", unit_code="bj-rensheju", roles=frozenset({"case_officer"}))
    with pytest.raises(PermissionDenied):
        evaluation_month_compute(month=NOV, kind="unit", now=NOW, actor=officer)


def test_the_command_computes_both_kinds_with_progress(world):
    out = io.StringIO()
    call_command("evaluation_compute", month="2026-11", stdout=out)
    text = out.getvalue()
    assert "2026-11 单位考核：" in text and "2026-11 区考核：" in text
    assert "  指标 publicity_on_time：3 个参评对象有数据" in text
    assert "已保存" in text and "排名 16 个" in text and "排名 1 个" in text


def test_before_any_computation_the_section_says_how_to_compute(reference):
    body = _person("early").get("/console/evaluation/?kind=district").content.decode()
    assert "尚未计算任何月份的考核" in body and "--kind district" in body
    assert 'aria-current="page">区排名</a>' in body


def test_the_district_ranking_page_and_a_district_explained(world):
    evaluation_month_compute(month=NOV, kind="district", now=NOW, actor=OFFICE)
    client = _person("office3")
    body = client.get("/console/evaluation/district/2026-11/").content.decode()
    assert "2026年11月各区信用工作考核情况通报" in body and "82.52" in body
    why = client.get("/console/evaluation/district/2026-11/bj-dongcheng/publicity_on_time/").content.decode()
    assert "16 ÷ 18 = 0.888889" in why and "district=&#x27;bj-dongcheng&#x27;" in why
    assert "区的指标为辖区内各单位相应数据之和" in why
