"""The PDF read back: the text a reader sees (extracted with pypdf), the embedded font, line breaking."""

import datetime as dt

import pytest
from fpdf import FPDF

from tests.support.reports import (
    COMPANY,
    DATA_OFFICER,
    NOW,
    OFFICER,
    pdf_fonts,
    pdf_text,
    submit,
    xk_row,
)
from xinyong.reports.content import report_content
from xinyong.reports.fonts import outside_subset, report_fonts
from xinyong.reports.layout import FACE, wrap
from xinyong.reports.pdf import render_one_line
from xinyong.reports.services import report_issue
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject
from xinyong.subjects.services.naming import subject_rename

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(known):
    return report_issue(actor=OFFICER, subject=known.subject, kind="full", purpose="招投标", now=NOW)


def test_full_report_text(full):
    text = pdf_text(full.pdf)
    number, code = full.report.number, full.code
    lines = text.splitlines()
    assert lines[:5] == [
        "北京市公共信用信息服务平台",
        "公共信用信息报告",
        "（全量版）",
        f"报告编号 {number}",
        "信用主体 北京华信科技有限公司",
    ]
    for expected in [
        f"统一社会信用代码 {COMPANY}",
        "报告类型 公共信用信息报告",
        "报告用途 招投标",
        "出具机构 北京市公共信用信息服务平台",
        "出具时间 2026年11月02日 10:00",
        f"验证码 {code}",
        "核验页面：http://127.0.0.1:8000/reports/verify",
        "报告说明",
        "一、基础信息",
        "二、信息概要",
        "截至信息截止时间，本平台公示期内共有该主体的公共信用信息 3 条，分类如下：",
        "行政许可信息 中性 1 —",
        "行政处罚信息 负面 2 1",
        "行政强制信息 负面 0 —",
        "三、信息明细",
        "（一）行政许可信息（1 条）",
        "1. 行政许可决定文书号：京工商许字〔2026〕第001号",
        "许可内容 食品经营许可（预包装食品销售）",
        "（二）行政处罚信息（2 条）",
        "1. 行政处罚决定书文号：京工商罚字〔2026〕第102号",
        "【异议处理中】自 2026-10-30 起，信用主体已对本条信息提出异议，平台正在核实处理。",
        "2. 行政处罚决定书文号：京工商罚字〔2026〕第101号",
        "决定日期：2026-10-28\u3000报送单位：市市场监管局\u3000严重程度：一般\u3000公示截止：2027-10-28",
        "违法行为类型 虚假宣传",
        "—— 报告正文结束 ——",
    ]:
        assert expected in lines, expected
    pages = full.report.pages
    assert [line for line in lines if line.startswith("报告编号：")] == [
        f"报告编号：{number}        第 {n} 页 / 共 {pages} 页" for n in range(1, pages + 1)
    ]


def test_records_not_public_are_absent(full):
    text = pdf_text(full.pdf)
    for absent in [
        "第103号", "无照经营",  # repaired
        "第104号", "价格违法",  # withdrawn
        "第105号", "未按规定公示年报",  # minor: not published
        "〔2025〕第901号", "超范围经营",  # publication window over (sweep not run yet)
        "〔2020〕第077号", "印刷经营许可",  # expired
        "酒类商品零售",  # superseded version
    ]:  # fmt: skip
        assert absent not in text, absent
    assert text.count("【异议处理中】") == 1


def test_compliance_report_says_none_found_per_section(known):
    issued = report_issue(actor=OFFICER, subject=known.subject, kind="compliance", purpose="投标", now=NOW)
    lines = pdf_text(issued.pdf).splitlines()
    assert lines[1:3] == ["专项信用报告", "（行政处罚、行政强制、严重失信名单及刑事犯罪记录情况）"]
    summary = lines[lines.index("核查事项 核查结果") + 1 : lines.index("三、核查明细")]
    assert summary == [
        "行政处罚记录 发现 2 条",
        "行政强制记录 未发现",
        "严重失信主体名单记录 未发现",
        "失信被执行人记录 未发现",
        "刑事犯罪记录 本平台未归集",
    ]
    for expected in [
        "（一）行政处罚记录（2 条）",
        "1. 行政处罚决定书文号：京工商罚字〔2026〕第102号",
        "（二）行政强制记录",
        "经查询，截至2026年11月02日，本平台未发现该主体的行政强制记录。",
        "经查询，截至2026年11月02日，本平台未发现该主体的严重失信主体名单记录。",
        "经查询，截至2026年11月02日，本平台未发现该主体的失信被执行人记录。",
        "（五）刑事犯罪记录",
    ]:
        assert expected in lines, expected
    text = "".join(lines)
    assert "本平台未归集刑事犯罪记录（公共信用信息目录不含此类信息），本报告不证明该主体有无此类记录" in text
    assert "许可" not in "".join(lines[lines.index("三、核查明细") :])  # licences are not part of it


def test_one_font_face_embedded_as_truetype_with_unicode_map(full):
    assert pdf_fonts(full.pdf) == [
        {
            "name": "/MPDFAA+NotoSansSC",
            "subtype": "/CIDFontType2",
            "encoding": "/Identity-H",
            "embedded": ["/FontFile2"],
        }
    ]
    assert b"/ToUnicode" in full.pdf


def test_rare_characters_fall_back_to_the_full_font(reference):
    code = uscc_make("9111010800099999")
    submit(
        "XK",
        [xk_row(XK_XDR_MC="北京堃昇科技有限公司", XK_XDR_SHXYM=code, XK_WSH="京工商许字〔2026〕第009号")],
        "rare",
    )
    subject = Subject.objects.get(uscc=code)
    assert outside_subset(subject.name, report_fonts()) == {"堃", "昇"}
    issued = report_issue(actor=OFFICER, subject=subject, kind="full", purpose="融资", now=NOW)
    assert pdf_text(issued.pdf).count("北京堃昇科技有限公司") == 2  # cover and 基础信息
    assert [(f["subtype"], f["encoding"], f["embedded"]) for f in pdf_fonts(issued.pdf)] == [
        ("/CIDFontType2", "/Identity-H", ["/FontFile2"]),  # the pre-subset face
        ("/CIDFontType2", "/Identity-H", ["/FontFile2"]),  # the extra face with 堃 and 昇
    ]
    assert issued.pdf.count(b"/FontFile2") == 2


def test_baseline_document_uses_the_same_face():
    data = render_one_line("公共信用信息报告")
    assert data.startswith(b"%PDF-")
    assert "公共信用信息报告" in pdf_text(data)


def _pdf_at(size: float) -> FPDF:
    pdf = FPDF()
    pdf.add_font(FACE, "", str(report_fonts().subset))
    pdf.set_font(FACE, size=size)
    return pdf


def test_line_breaking_follows_chinese_rules():
    pdf = _pdf_at(10)
    em = 10 * 25.4 / 72
    width = 5 * em + 2 * pdf.c_margin + 0.01  # five ideographs a line
    assert wrap(pdf, "一二三四五六七八九十", width) == ["一二三四五", "六七八九十"]
    assert wrap(pdf, "一二三四五，六七", width) == ["一二三四", "五，六七"]  # no comma at a line start
    assert wrap(pdf, "一二三四（五六七", width) == [
        "一二三四",
        "（五六七",
    ]  # no opening bracket at a line end
    assert wrap(pdf, "一二三AB12345", width) == ["一二三", "AB12345"]  # a Latin word or number stays whole
    assert wrap(pdf, "甲\n乙", width) == ["甲", "乙"]


def test_report_content_text_covers_what_is_printed(known):
    content = report_content(subject=known.subject, kind="full", now=NOW)
    assert {"北", "京", "许", "罚", "〔", "〕"} <= set(content.text())


def test_a_renamed_subject_shows_its_history_and_the_name_records_were_filed_under(known):
    subject_rename(actor=DATA_OFFICER, now=NOW, subject=known.subject, name="北京华信数据科技有限公司",
                   valid_from=dt.date(2026, 11, 3), source="登记机关变更登记")  # fmt: skip
    known.subject.refresh_from_db()
    later = NOW + dt.timedelta(days=2)
    issued = report_issue(actor=OFFICER, subject=known.subject, kind="full", purpose="招投标", now=later)
    lines = pdf_text(issued.pdf).splitlines()
    assert "信用主体 北京华信数据科技有限公司" in lines
    start = lines.index("名称变更记录 北京华信科技有限公司（2026-11-02 至 2026-11-02）")
    assert lines[start + 1] == "北京华信数据科技有限公司（2026-11-03 起）"
    assert lines.count("报送时名称 北京华信科技有限公司") == 3  # every record was filed under the old name
