"""What a report shows, before any PDF: sections, statuses, objection flags, public fields, compliance headings."""

import datetime as dt

import pytest

from tests.support.reports import COMPANY, NOW, OBJECTED_AT, current
from xinyong.reports.content import NOT_HELD_TEXT, display_value, report_content

pytestmark = pytest.mark.django_db


def test_full_report_shows_current_public_records_only(known):
    content = report_content(subject=known.subject, kind="full", now=NOW)
    shown = {s.code: [r.doc_no for r in s.records] for s in content.sections if s.records}
    assert shown == {
        "XK": ["京工商许字〔2026〕第001号"],
        "CF": ["京工商罚字〔2026〕第102号", "京工商罚字〔2026〕第101号"],
    }
    assert content.record_ids == sorted([known.licence.pk, known.penalty.pk, known.objected.pk])
    assert content.counts()["XK"] == 1 and content.counts()["CF"] == 2 and content.counts()["QZ"] == 0
    # every category of the catalog that applies to an enterprise is summarised, in catalog order
    assert [s.code for s in content.sections][:5] == ["XK", "CF", "DJ", "SXBZX", "QZ"]
    assert len(content.sections) == 18  # the catalog's 18 categories, 违背信用承诺信息 (XYCNWY) included


def test_base_information(known):
    base = report_content(subject=known.subject, kind="full", now=NOW).base
    assert (base.name, base.code, base.code_label, base.kind_label, base.status_label) == (
        "北京华信科技有限公司", COMPANY, "统一社会信用代码", "企业", "正常",
    )  # fmt: skip
    assert [(a.name, a.value) for a in base.aliases] == [("组织机构代码", COMPANY[8:17])]
    assert base.name_history == ()


def test_objection_flag_carries_its_date(known):
    cf = report_content(subject=known.subject, kind="full", now=NOW).sections[1]
    objected, published = cf.records
    assert (objected.doc_no, objected.under_objection, objected.objection_since) == (
        "京工商罚字〔2026〕第102号", True, OBJECTED_AT.date(),
    )  # fmt: skip
    assert (published.under_objection, published.objection_since) == (False, None)
    assert cf.objections == 1


def test_record_fields_are_public_tier_with_labels(known):
    xk = report_content(subject=known.subject, kind="full", now=NOW).sections[0].records[0]
    fields = {f.name: f.value for f in xk.fields}
    assert (
        fields["许可内容"] == "食品经营许可（预包装食品销售）"
    )  # the current version, not the superseded one
    assert fields["许可类别"] == "普通"
    assert fields["当前状态"] == "有效"
    assert fields["有效期至"] == "长期"
    # the subject's own identity is printed once in 基础信息, not per record
    assert "行政相对人名称" not in fields and "统一社会信用代码" not in fields
    penalty = report_content(subject=known.subject, kind="full", now=NOW).sections[1].records[1]
    assert {f.name: f.value for f in penalty.fields}["处罚类别"] == "罚款、没收违法所得"
    assert (penalty.severity, penalty.unit_name, penalty.publish_until) == (
        "一般",
        "市市场监管局",  # the name in force on the report date (2026), not the 2018 one
        dt.date(2027, 10, 28),
    )


def test_government_tier_fields_are_never_shown(known):
    content = report_content(subject=known.subject, kind="full", now=NOW)
    names = {f.name for s in content.sections for r in s.records for f in r.fields}
    assert "法定代表人证件号码" not in names and "证件号码" not in names


def test_window_ended_before_the_sweep_is_not_shown(known):
    stale = current("京工商罚字〔2025〕第901号")
    before = report_content(
        subject=known.subject, kind="full", now=dt.datetime(2025, 11, 2, 2, 0, tzinfo=dt.UTC)
    )
    after = report_content(subject=known.subject, kind="full", now=NOW)
    assert stale.pk in before.record_ids
    assert stale.pk not in after.record_ids


def test_compliance_sections_and_their_empty_lines(known):
    content = report_content(subject=known.subject, kind="compliance", now=NOW)
    assert [(s.code, s.title, s.held, len(s.records)) for s in content.sections] == [
        ("CF", "行政处罚记录", True, 2),
        ("QZ", "行政强制记录", True, 0),
        ("YZSX", "严重失信主体名单记录", True, 0),
        ("SXBZX", "失信被执行人记录", True, 0),
        ("XSFZ", "刑事犯罪记录", False, 0),
    ]
    assert content.sections[1].empty_text == "经查询，截至2026年11月02日，本平台未发现该主体的行政强制记录。"
    assert content.sections[4].empty_text == NOT_HELD_TEXT
    assert content.counts() == {"CF": 2, "QZ": 0, "YZSX": 0, "SXBZX": 0}


def test_natural_person_base_is_masked(person):
    base = report_content(subject=person, kind="full", now=NOW).base
    assert (base.name, base.code, base.code_label, base.kind_label) == (
        "王芳",
        "110105********0025",
        "身份证件号码",
        "自然人",
    )
    assert base.aliases == ()


@pytest.mark.parametrize(
    "value,options,shown",
    [
        ("2099-12-31", {"long_term": "2099-12-31"}, "长期"),
        ("2031-10-27", {"long_term": "2099-12-31"}, "2031-10-27"),
        ("02", {"values": [{"code": "01", "label": "普通"}, {"code": "02", "label": "特许"}]}, "特许"),
        ("罚款;警告", {"values": [{"code": "罚款", "label": "罚款"}], "multiple": True}, "罚款、警告"),
        ("罚款", {}, "罚款"),
    ],
)
def test_display_value(value, options, shown):
    assert display_value(value, options) == shown
