"""Renders a report's content to PDF with fpdf2 (pure Python, nothing but pip; docs/adr/0006-report-pdf.md).

Structure follows the national public credit report: a cover (report number, verification code, subject,
issuing platform, time, purpose, a QR code to the verify page), notes (报告说明), 一 base information, 二 a
summary per category (or per compliance heading), 三 the details, and a footer with the report number and the
page count on every page.

Speed (docs/performance.md: ≤ 0.5 s for 50 records): one font face only, pre-subset (fonts.py); headings are
the same face drawn with a thin outline; lines are broken once (layout.py) from the advance widths (with the
basic Chinese line-breaking rules: no closing punctuation at a line start, no opening one at a line end, Latin
words and numbers kept whole) and each line is placed with fpdf2's low-level `text()`, several times cheaper
than its general-purpose `cell()` and `multi_cell()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from xinyong.core.timeutil import BEIJING
from xinyong.reports.content import COMPLIANCE, OBJECTION_LABEL, EntryItem, RecordItem, ReportContent
from xinyong.reports.fonts import report_fonts
from xinyong.reports.layout import (
    ACCENT,
    ALERT,
    FACE,
    INK,
    LEADING,
    MARGIN,
    MUTED,
    NUMERALS,
    PT,
    _bold,
    _color,
    _Document,
    _ensure_room,
    _fonts,
    _heading,
    _lines,
    _paragraph,
    _row,
    _subheading,
    _table,
    wrap,
)


@dataclass(frozen=True)
class Letterhead:
    """What the report prints besides its content."""

    number: str
    code: str
    verify_url: str
    platform: str
    purpose: str
    issued_at: dt.datetime


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    extra_face: bool  # an extra font was cut for rare characters


def render_report(content: ReportContent, head: Letterhead) -> RenderedPdf:
    """The PDF of a report: bytes, page count, and whether an extra font was needed for rare characters."""
    pdf = _Document(head.number)
    extra = _fonts(pdf, report_fonts(), content.text() + head.purpose + head.platform)
    pdf.set_title(f"{content.title} {head.number}")
    pdf.set_subject(content.base.name)
    pdf.set_author(head.platform)
    pdf.set_creator("xinyong")
    pdf.set_lang("zh-CN")
    pdf.set_creation_date(head.issued_at)
    _cover(pdf, content, head)
    pdf.add_page()
    _notes(pdf, content, head)
    _heading(pdf, "一、基础信息")
    _base(pdf, content)
    if content.kind == COMPLIANCE:
        _heading(pdf, "二、核查结果概要")
        _compliance_summary(pdf, content)
        _heading(pdf, "三、核查明细")
    else:
        _heading(pdf, "二、信息概要")
        _summary(pdf, content)
        _heading(pdf, "三、信息明细")
    _details(pdf, content)
    pdf.ln(4)
    _paragraph(pdf, "—— 报告正文结束 ——", color=MUTED, center=True)
    data = bytes(pdf.output())
    return RenderedPdf(data=data, pages=pdf.pages_count, extra_face=extra)


def render_one_line(text: str, number: str = "XYBG-BASELINE") -> bytes:
    """One page, one line of text, the same face and the same embedding: the fixed cost of the PDF and font
    machinery (the report benchmark's baseline)."""
    pdf = _Document(number)
    _fonts(pdf, report_fonts(), text)
    pdf.add_page()
    pdf.set_font(FACE, size=10)
    pdf.cell(0, 6, text)
    return bytes(pdf.output())


# ── the parts of a report ──────────────────────────────────────────────────────────────────────────────────


def _when(instant: dt.datetime) -> str:
    return f"{instant.astimezone(BEIJING):%Y年%m月%d日 %H:%M}"


def _cover(pdf: FPDF, content: ReportContent, head: Letterhead) -> None:
    pdf.add_page()
    pdf.set_font(FACE, size=11)
    _color(pdf, MUTED)
    pdf.cell(0, 8, head.platform, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(22)
    pdf.set_font(FACE, size=26)
    _color(pdf, ACCENT)
    with _bold(pdf, 0.3):
        pdf.cell(0, 14, content.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _paragraph(pdf, content.subtitle, size=11, color=ACCENT, center=True)
    pdf.ln(18)
    rows = [
        ("报告编号", head.number),
        ("信用主体", content.base.name),
        (content.base.code_label, content.base.code or "—"),
        ("报告类型", content.title),
        ("报告用途", head.purpose),
        ("出具机构", head.platform),
        ("出具时间", _when(head.issued_at)),
        ("信息截止时间", _when(content.as_of)),
        ("验证码", head.code),
    ]
    for label, value in rows:
        _row(pdf, label, value, label_w=36, size=11, x=MARGIN + 16)
        pdf.ln(1.2)
    size = 34.0
    top = pdf.h - MARGIN - size - 14
    _qr(pdf, head.verify_url, MARGIN + 16, top, size)
    pdf.set_y(top + 2)
    text = (
        "扫描二维码或访问核验页面，输入报告编号和验证码，即可核验本报告的真实性；上传本报告的 PDF 文件"
        f"还可核对文件是否被改动。\n核验页面：{head.verify_url.split('?')[0]}"
    )
    pdf.set_font(FACE, size=9)
    _color(pdf, MUTED)
    x = MARGIN + 16 + size + 6
    width = pdf.w - MARGIN - x
    _lines(pdf, x, width, 9 * PT * LEADING, wrap(pdf, text, width))
    _color(pdf, INK)


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code as filled rectangles, one per horizontal run of dark modules (vector, no image)."""
    matrix = segno.make(url, error="m", micro=False).matrix
    quiet = 2
    module = size / (len(matrix) + 2 * quiet)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(x + (quiet + start) * module, y + (quiet + r) * module, (c - start) * module, module,
                     style="F")  # fmt: skip


def _notes(pdf: FPDF, content: ReportContent, head: Letterhead) -> None:
    _heading(pdf, "报告说明")
    notes = [
        f"本报告由{head.platform}依据公共信用信息目录归集的信息出具，信息截止时间为{_when(content.as_of)}"
        f"（北京时间）。报告用途：{head.purpose}。",
        "本报告只展示社会公开层级、处于公示期内的信息；已修复、已撤回、超过公示期或依规不予公示的信息，"
        "以及证件号码等非公开信息不予展示，必要的标识已遮蔽。",
        f"标注“{OBJECTION_LABEL}”的信息，信用主体已对其提出异议，平台正在核实处理，处理结果以最终核实为准。",
        "本报告的信息由各数据提供单位报送，本平台如实归集和展示。信用主体对信息有异议的，可向本平台提出"
        "异议申请；信息已依规修复的，不再在报告中展示。",
        "本报告每页载有报告编号。可通过封面二维码或核验页面输入报告编号和验证码核验报告真伪；上传 PDF 文件"
        "可核对其与平台留存的文件摘要（SHA-256）是否一致，文件的任何改动都将导致核对不一致。",
    ]
    if content.kind == COMPLIANCE:
        notes.insert(
            1,
            "本专项信用报告核查行政处罚、行政强制、严重失信主体名单、失信被执行人和刑事犯罪记录。“未发现”指"
            "截至信息截止时间，本平台未归集到该主体处于公示期内的相关记录；本平台未归集的信息类别单独注明，"
            "不作证明。",
        )
    for i, note in enumerate(notes, 1):
        _paragraph(pdf, f"{i}.\u00a0{note}", size=9.5)
        pdf.ln(1)


def _base(pdf: FPDF, content: ReportContent) -> None:
    base = content.base
    rows = [("名称", base.name), (base.code_label, base.code or "—"), ("主体类型", base.kind_label)]
    rows += [(a.name, a.value) for a in base.aliases]
    if base.district:
        rows.append(("所属区域", base.district))
    if base.industry:
        rows.append(("行业", base.industry))
    rows.append(("主体状态", base.status_label))
    for label, value in rows:
        _row(pdf, label, value)
    if base.name_history:
        history = "\n".join(
            f"{name}（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）" if end else f"{name}（{start:%Y-%m-%d} 起）"
            for name, start, end in base.name_history
        )
        _row(pdf, "名称变更记录", history)
    pdf.ln(2)


def _summary(pdf: FPDF, content: ReportContent) -> None:
    rows, alerts = [], set()
    for i, s in enumerate(content.sections):
        rows.append([s.title, s.polarity_label, str(s.count), str(s.objections) if s.objections else "—"])
        if s.objections:
            alerts.add((i, 3))
    total = sum(s.count for s in content.sections)
    _paragraph(
        pdf, f"截至信息截止时间，本平台公示期内共有该主体的公共信用信息 {total} 条，分类如下：", size=9.5
    )
    pdf.ln(1)
    _table(pdf, ["信息类别", "信息性质", "记录数", f"其中{OBJECTION_LABEL}"], rows, [74, 30, 30, 40], alerts)


def _compliance_summary(pdf: FPDF, content: ReportContent) -> None:
    rows, alerts = [], set()
    for i, s in enumerate(content.sections):
        if not s.held:
            result = "本平台未归集"
        elif s.count:
            result = f"发现 {s.count} 条"
            alerts.add((i, 1))
        else:
            result = "未发现"
        rows.append([s.title, result])
    _table(pdf, ["核查事项", "核查结果"], rows, [104, 70], alerts)


def _details(pdf: FPDF, content: ReportContent) -> None:
    shown = content.sections if content.kind == COMPLIANCE else [s for s in content.sections if s.count]
    if not shown:
        _paragraph(pdf, "经查询，本平台未发现该主体处于公示期内的公共信用信息。")
        return
    for i, section in enumerate(shown):
        numeral = NUMERALS[i] if i < len(NUMERALS) else str(i + 1)
        count = f"（{section.count} 条）" if section.count else ""
        _subheading(pdf, f"（{numeral}）{section.title}{count}")
        if not section.count:
            _paragraph(pdf, section.empty_text, size=9.5, color=INK if section.held else ALERT)
            pdf.ln(1)
        for n, entry in enumerate(section.entries, 1):
            _entry(pdf, n, entry)
        for n, item in enumerate(section.records, len(section.entries) + 1):
            _record(pdf, n, item)


def _entry(pdf: FPDF, n: int, item: EntryItem) -> None:
    """A current list entry: list, decision date, term, deciding unit, legal basis, objection flag."""
    _ensure_room(pdf, 24)
    pdf.set_font(FACE, size=10)
    with _bold(pdf, 0.1):
        _lines(
            pdf,
            MARGIN,
            pdf.w - 2 * MARGIN,
            6.5,
            wrap(pdf, f"{n}. 列入{item.list_type_name}", pdf.w - 2 * MARGIN),
        )
    term = f"{item.expires_on:%Y-%m-%d}" if item.expires_on else "无固定期限"
    decided = f"{item.decided_on:%Y-%m-%d}" if item.decided_on else "—"
    published = f"{item.published_on:%Y-%m-%d}" if item.published_on else "—"
    _paragraph(
        pdf, f"决定日期：{decided}　公布日期：{published}　列入期限至：{term}", size=9, color=MUTED, indent=4
    )
    if item.under_objection:
        since = f"自 {item.objection_since:%Y-%m-%d} 起，" if item.objection_since else ""
        _paragraph(pdf, f"【{OBJECTION_LABEL}】{since}信用主体已对本条名单信息提出异议，平台正在核实处理。",
                   size=9, color=ALERT, indent=4)  # fmt: skip
    _row(pdf, "认定单位", item.deciding_unit, x=MARGIN + 4, label_w=48, size=9)
    _row(pdf, "法律依据", item.legal_basis, x=MARGIN + 4, label_w=48, size=9)
    pdf.ln(2.5)


def _record(pdf: FPDF, n: int, item: RecordItem) -> None:
    _ensure_room(pdf, 24)
    doc_label = next((f.name for f in item.fields if f.value == item.doc_no), "决定文书号")
    pdf.set_font(FACE, size=10)
    with _bold(pdf, 0.1):
        _lines(
            pdf,
            MARGIN,
            pdf.w - 2 * MARGIN,
            6.5,
            wrap(pdf, f"{n}. {doc_label}：{item.doc_no}", pdf.w - 2 * MARGIN),
        )
    facts = f"决定日期：{item.decision_date:%Y-%m-%d}　报送单位：{item.unit_name}"
    if item.severity:
        facts += f"　严重程度：{item.severity}"
    if item.publish_until:
        facts += f"　公示截止：{item.publish_until:%Y-%m-%d}"
    _paragraph(pdf, facts, size=9, color=MUTED, indent=4)
    if item.under_objection:
        since = f"自 {item.objection_since:%Y-%m-%d} 起，" if item.objection_since else ""
        _paragraph(pdf, f"【{OBJECTION_LABEL}】{since}信用主体已对本条信息提出异议，平台正在核实处理。",
                   size=9, color=ALERT, indent=4)  # fmt: skip
    for line in item.fields:
        if line.value != item.doc_no:
            _row(pdf, line.name, line.value, x=MARGIN + 4, label_w=48, size=9)
    pdf.ln(2.5)
