"""The page and text machinery of the platform's PDFs (reports, and the letters of lists): the A4 document
with its footer, the fonts (the pre-subset face, an extra one for rare characters), line breaking from the
font's advance widths with the basic Chinese rules, and the paragraphs, headings, rows and tables drawn
with fpdf2's low-level `text()` (see `xinyong.reports.pdf` for why; docs/adr/0006-report-pdf.md).
"""

from __future__ import annotations

from contextlib import contextmanager

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from xinyong.reports.fonts import FontFiles, extra_font, outside_subset

FACE, FALLBACK = "report", "reportextra"
MARGIN = 18.0
LEADING = 1.55  # line height / font size
INK, MUTED, ACCENT, ALERT = (33, 33, 33), (102, 102, 102), (25, 60, 120), (176, 32, 32)
NUMERALS = "一二三四五六七八九十"
PT = 25.4 / 72  # mm per point

# Line-breaking rules (避头尾): never start a line with the first set, never end one with the second.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")


class _Document(FPDF):
    def __init__(self, number: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.number = number
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.c_margin = 0.8
        self.rare: frozenset[str] = frozenset()  # characters drawn by the extra face

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FACE, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"报告编号：{self.number}        第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def _fonts(pdf: FPDF, fonts: FontFiles, text: str) -> bool:
    """The pre-subset face, plus an extra face for rare characters when the text has any."""
    _add_font(pdf, FACE, fonts.subset)
    rare = outside_subset(text, fonts)
    extra = extra_font(rare) if rare else None
    if extra is None:
        return False
    _add_font(pdf, FALLBACK, extra)
    pdf.set_fallback_fonts([FALLBACK])
    pdf.rare = frozenset(rare)
    return True


def _add_font(pdf: FPDF, family: str, path) -> None:
    pdf.add_font(family, "", str(path))
    # Saving the per-document subset would recompute every glyph's bounding box (a large share of the
    # render time); the cached font's boxes are a valid, slightly larger bound for the subset.
    pdf.fonts[family].ttfont.recalcBBoxes = False


# ── text ────────────────────────────────────────────────────────────────────────────────────────────────────


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break `text` into lines no wider than `width` (mm) in the current font, Chinese style."""
    widths = pdf.current_font.cw
    scale = pdf.font_size / 1000
    limit = width - 2 * pdf.c_margin
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for ch in paragraph:
            w = widths[ord(ch)] * scale
            if line and used + w > limit:
                carry = _carry(line, ch)
                lines.append("".join(line[: len(line) - len(carry)]))
                line = carry
                used = sum(widths[ord(c)] for c in line) * scale
            line.append(ch)
            used += w
        lines.append("".join(line))
    return lines


def _carry(line: list[str], nxt: str) -> list[str]:
    """The tail of a full line that must move to the next one with `nxt`."""
    if nxt.isascii() and nxt.isalnum():  # keep a Latin word or a number whole
        start = len(line)
        while start > 0 and line[start - 1].isascii() and line[start - 1].isalnum():
            start -= 1
        if 0 < start < len(line):
            return line[start:]
    if nxt in NO_LINE_START and len(line) > 1:
        return line[-1:]
    if line[-1] in NO_LINE_END and len(line) > 1:
        return line[-1:]
    return []


def _lines(pdf: FPDF, x: float, width: float, height: float, lines: list[str], align: str = "L") -> None:
    """Draw lines top to bottom, breaking the page when one does not fit. A line is placed with `text()`,
    five times cheaper than `cell()`; a line holding a rare character goes through `cell()`, which switches
    to the extra face for it."""
    for text in lines:
        if pdf.rare and not pdf.rare.isdisjoint(text):
            pdf.set_x(x)
            pdf.cell(width, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            continue
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        if text:
            dx = pdf.c_margin if align == "L" else (width - _width(pdf, text)) / 2
            pdf.text(x + dx, top + 0.5 * height + 0.3 * pdf.font_size, text)
        pdf.set_xy(pdf.l_margin, top + height)


def _width(pdf: FPDF, text: str) -> float:
    widths = pdf.current_font.cw
    return sum(widths[ord(ch)] for ch in text) * pdf.font_size / 1000


def _paragraph(pdf: FPDF, text: str, *, size: float = 10, color=INK, indent: float = 0, center=False):
    pdf.set_font(FACE, size=size)
    _color(pdf, color)
    width = pdf.w - 2 * MARGIN - indent
    _lines(pdf, MARGIN + indent, width, size * PT * LEADING, wrap(pdf, text, width), "C" if center else "L")
    _color(pdf, INK)


@contextmanager
def _bold(pdf: FPDF, width: float = 0.18):
    """The one face drawn with a thin outline: a heading weight without a second font face to embed."""
    pdf.set_draw_color(*pdf.text_color.colors255)
    pdf.text_mode = TextMode.FILL_STROKE
    pdf.set_line_width(width)
    try:
        yield
    finally:
        pdf.text_mode = TextMode.FILL
        pdf.set_line_width(0.2)


def _color(pdf: FPDF, rgb: tuple[int, int, int]) -> None:
    pdf.set_text_color(*rgb)


def _ensure_room(pdf: FPDF, height: float) -> None:
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _heading(pdf: FPDF, text: str) -> None:
    _ensure_room(pdf, 26)
    pdf.ln(3)
    pdf.set_font(FACE, size=13)
    _color(pdf, ACCENT)
    with _bold(pdf):
        pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y()
    pdf.set_line_width(0.4)
    pdf.line(MARGIN, y, pdf.w - MARGIN, y)
    pdf.set_line_width(0.2)
    pdf.ln(2.5)
    _color(pdf, INK)


def _subheading(pdf: FPDF, text: str) -> None:
    _ensure_room(pdf, 20)
    pdf.ln(1.5)
    pdf.set_font(FACE, size=11)
    _color(pdf, ACCENT)
    with _bold(pdf, 0.12):
        pdf.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _color(pdf, INK)


def _row(pdf: FPDF, label: str, value: str, *, label_w: float = 42, size: float = 9.5, x: float = MARGIN):
    """A label / value row of a two-column grid; the row moves whole to the next page when it fits one."""
    pdf.set_font(FACE, size=size)
    height = size * PT * LEADING
    value_w = pdf.w - MARGIN - x - label_w
    labels, values = wrap(pdf, label, label_w), wrap(pdf, value, value_w)
    _ensure_room(pdf, height * min(max(len(labels), len(values)), 40))
    top, page = pdf.get_y(), pdf.page_no()
    _color(pdf, MUTED)
    _lines(pdf, x, label_w, height, labels)
    after_label = pdf.get_y()
    _color(pdf, INK)
    pdf.set_y(top)
    _lines(pdf, x + label_w, value_w, height, values)
    if pdf.page_no() == page:  # only a value longer than a page breaks inside the row
        pdf.set_y(max(pdf.get_y(), after_label))


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: list[float], alerts=()) -> None:
    pdf.set_font(FACE, size=9.5)
    pdf.set_fill_color(235, 240, 248)
    pdf.set_draw_color(170, 170, 170)
    for text, w in zip(header, widths, strict=True):
        pdf.cell(w, 7, text, border=1, align="C", fill=True)
    pdf.ln(7)
    for i, row in enumerate(rows):
        _ensure_room(pdf, 7)
        for j, (text, w) in enumerate(zip(row, widths, strict=True)):
            pdf.set_text_color(*(ALERT if (i, j) in alerts else INK))
            pdf.cell(w, 7, text, border=1, align="L" if j == 0 else "C")
        pdf.ln(7)
    _color(pdf, INK)
    pdf.ln(2)
