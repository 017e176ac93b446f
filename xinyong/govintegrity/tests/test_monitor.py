"""政务失信监测 (ADR 0037): government bodies with current negative records on a known world (world.py), their
records with dates and provider, the count per district, the CSV export, and who sees which district."""

import datetime as dt

import pytest
from django.test import Client

from tests.support.otp import verified_login
from xinyong.accounts.models import Unit, User
from xinyong.govintegrity.scope import Scope
from xinyong.govintegrity.selectors import monitor_bodies, monitor_counts
from xinyong.govintegrity.tests.world import CHAOYANG_BODY, CITY_BODY, HAIDIAN_BODY, HAIDIAN_INSTITUTION

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
D = dt.date


def _rows(bodies):
    return [
        (b.name, b.uscc, b.kind, b.district_label, b.unit_name,
         [(r.category_code, r.severity, r.decision_date, r.publish_from, r.publish_until, r.provider) for r in b.records])
        for b in bodies
    ]  # fmt: skip


CHAOYANG_ROW = ("北京市朝阳区某某委", CHAOYANG_BODY, "机关", "朝阳区", "",
                [("ZFWY", "一般", D(2026, 11, 3), TODAY, D(2027, 11, 3), "朝阳区政府")])  # fmt: skip
CITY_ROW = ("北京市某某局", CITY_BODY, "机关", "市级", "",
            [("CF", "一般", D(2026, 11, 10), TODAY, D(2027, 11, 10), "市工商局")])  # fmt: skip
INSTITUTION_ROW = ("北京市海淀区某某中心", HAIDIAN_INSTITUTION, "事业单位", "海淀区", "",
                   [("ZFCG", "一般", D(2026, 9, 1), TODAY, D(2027, 9, 1), "市财政局")])  # fmt: skip
HAIDIAN_ROW = ("北京市海淀区某某局", HAIDIAN_BODY, "机关", "海淀区", "", [
    ("ZFSXBZX", "严重", D(2026, 11, 5), TODAY, None, "市高级人民法院"),
    ("ZFWY", "严重", D(2026, 10, 15), TODAY, D(2029, 10, 15), "海淀区政府"),
])  # fmt: skip


def test_every_government_body_with_a_shown_negative_record_and_nothing_else(world):
    bodies = monitor_bodies(scope=Scope(district=None), on=TODAY)
    # the enterprise's penalty and 朝阳's 2025 record (window ended 2026-06-01) are not there
    assert _rows(bodies) == [CHAOYANG_ROW, CITY_ROW, INSTITUTION_ROW, HAIDIAN_ROW]
    counts = {(c.district, c.label): (c.bodies, c.records) for c in monitor_counts(bodies, scope=Scope(None))}
    assert counts[("bj-haidian", "海淀区")] == (2, 3)
    assert counts[("bj-chaoyang", "朝阳区")] == (1, 1)
    assert counts[("city", "市级")] == (1, 1)
    assert len(counts) == 17 and sum(b for b, _r in counts.values()) == 4


def test_the_category_filter_and_the_unit_link(world):
    Unit.objects.filter(code="bj-shangwuwei").update(uscc=CHAOYANG_BODY)
    bodies = monitor_bodies(scope=Scope(district=None), on=TODAY, category="ZFWY")
    assert _rows(bodies) == [
        (*CHAOYANG_ROW[:4], "市商务委", CHAOYANG_ROW[5]),
        (*HAIDIAN_ROW[:5], HAIDIAN_ROW[5][1:]),
    ]


def test_a_record_past_its_window_leaves_the_view_on_the_next_day(world):
    later = monitor_bodies(scope=Scope(district=None), on=D(2027, 9, 2))
    assert [b.name for b in later] == ["北京市朝阳区某某委", "北京市某某局", "北京市海淀区某某局"]


def _officer(username, unit_code, role):
    unit = Unit.objects.get(code=unit_code)
    user = User.objects.create_user(username=username, password="x-strong-password-1", full_name=username,
                                    unit=unit, roles=[role])  # fmt: skip
    return verified_login(Client(), user)


def test_the_credit_office_sees_every_district_and_filters_one(world):
    client = _officer("reviewer1", "bj-jingxinwei", "reviewer")
    html = client.get("/console/govintegrity/").content.decode()
    assert 'aria-current="page">政务诚信</a>' in html
    assert html.count('<section class="body"') == 4
    assert '<th scope="row">海淀区</th><td>2</td><td>3</td>' in html
    html = client.get("/console/govintegrity/?district=city").content.decode()
    assert html.count('<section class="body"') == 1 and "北京市某某局" in html
    html = client.get("/console/govintegrity/?district=bj-xx&category=XK").content.decode()
    assert "所属区“bj-xx”不在可选范围内，已忽略" in html
    assert "信息类别“XK”不存在或不是负面类别，已忽略" in html


def test_a_district_officer_sees_its_own_district_only_and_exports_it(world):
    client = _officer("haidian1", "bj-haidian", "case_officer")
    html = client.get("/console/govintegrity/?district=bj-chaoyang").content.decode()
    assert "北京市朝阳区某某委" not in html and "北京市某某局" not in html
    assert html.count('<section class="body"') == 2
    assert (
        '<th scope="row">朝阳区</th>' not in html
        and '<th scope="row">海淀区</th><td>2</td><td>3</td>' in html
    )
    answer = client.get("/console/govintegrity/export.csv")
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.content.decode().splitlines() == [
        "\ufeff区,机构名称,统一社会信用代码,主体类型,对应单位,信息类别,严重程度,决定日期,公示起,公示至,文书号,提供单位,异议处理中",
        f"海淀区,北京市海淀区某某中心,{HAIDIAN_INSTITUTION},事业单位,,政府采购失信信息（采购人）,一般,2026-09-01,2026-11-20,2027-09-01,京财采处〔2026〕5号,市财政局,",
        f"海淀区,北京市海淀区某某局,{HAIDIAN_BODY},机关,,政府机构失信被执行人信息,严重,2026-11-05,2026-11-20,长期,（2026）京0108执1234号,市高级人民法院,",
        f"海淀区,北京市海淀区某某局,{HAIDIAN_BODY},机关,,政府违约毁约信息（合同、招商引资承诺）,严重,2026-10-15,2026-11-20,2029-10-15,京信用办认〔2026〕1号,海淀区政府,",
    ]


def test_an_officer_of_a_municipal_department_is_refused_in_chinese(world):
    answer = _officer("gs1", "bj-gongshangju", "data_officer").get("/console/govintegrity/")
    assert answer.status_code == 403
    assert "政务诚信监测和区政府政务诚信评价仅向市信用办和各区政府开放" in answer.content.decode()
    assert Client().get("/console/govintegrity/").status_code == 302
