"""The letters to a subject (告知书, 决定书) as PDF: an A4 Chinese letter drawn from the notice's stored
`Notice.content` (the letter as sent, written by lists/services/notices.py) with the reports' font pipeline
and page helpers (pdf.py, fonts.py), so it never changes with later data.

Who may get a letter: the subject itself (its verified subject account), officers of the proposing or the
deciding unit, reviewers and admins; anyone else gets the same 404 as for a notice that does not exist. Each
letter handed out appends an audit event `notice.letter` on the subject. The first letter's SHA-256 is kept
in `Notice.pdf_sha256` (the rendering is deterministic: same content, same bytes); a later rendering that
differs keeps the first hash and is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.db import transaction
from fpdf.enums import XPos, YPos

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.roles import OFFICE, UNIT_OFFICERS
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound
from xinyong.lists.letters import notice_text
from xinyong.lists.models import Notice
from xinyong.lists.selectors import notice_for_letter
from xinyong.lists.services import cn_deadline, notice_pdf_sha256_keep
from xinyong.reports.fonts import report_fonts
from xinyong.reports.layout import (
    FACE,
    INK,
    LEADING,
    MARGIN,
    MUTED,
    PT,
    _bold,
    _color,
    _Document,
    _ensure_room,
    _fonts,
    _lines,
    _paragraph,
    wrap,
)

log = logging.getLogger(__name__)

INDENT = "\u3000\u3000"  # first-line indent of a Chinese paragraph: two ideographic spaces
BODY = 12.0  # body text size (pt)
DEADLINE_LABEL = "陈述、申辩截止时间："


class _Letter(_Document):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FACE, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.number}        第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def notice_letter_pdf(notice: Notice) -> bytes:
    """The letter of a notice as an A4 PDF (deterministic: the creation date is the sending time)."""
    content = notice.content
    deadline = _deadline_text(content)
    pdf = _Letter(content["number"])
    _fonts(pdf, report_fonts(), notice_text(content) + deadline + DEADLINE_LABEL + "第页共")
    pdf.set_title(content["title"])
    pdf.set_subject(content["addressee"].rstrip("："))
    pdf.set_author(content["signature"])
    pdf.set_creator("xinyong")
    pdf.set_lang("zh-CN")
    pdf.set_creation_date(notice.sent_at)
    pdf.add_page()
    _title(pdf, content["title"])
    _paragraph(pdf, content["number"], size=10.5, color=MUTED, center=True)
    pdf.ln(6)
    _paragraph(pdf, content["addressee"], size=BODY)
    _paragraph(pdf, INDENT + content["opening"], size=BODY)
    for section in content["sections"]:
        _section_heading(pdf, section["heading"])
        items = section["items"]
        if section.get("numbered"):
            for i, text in enumerate(items, 1):
                _paragraph(pdf, f"{i}.\u00a0{text}", size=BODY, indent=7)
        else:
            for text in items:
                _paragraph(pdf, INDENT + text, size=BODY)
    if deadline:
        pdf.ln(3)
        with _bold(pdf, 0.12):
            _paragraph(pdf, DEADLINE_LABEL + deadline, size=BODY)
    _signature(pdf, content["signature"], content["date"])
    if content.get("note"):
        pdf.ln(6)
        _paragraph(pdf, content["note"], size=9.5, color=MUTED)
    return bytes(pdf.output())


def notice_letter_issue(*, actor: Actor, notice_id: int, now: dt.datetime) -> tuple[Notice, bytes]:
    """Render the letter of a notice for someone who may read it; keep its first SHA-256 and audit it."""
    notice = notice_for_letter(notice_id=notice_id)
    own = notice is not None and subject_id_of(actor=actor) == notice.subject_id
    if notice is None or not (own or _officer_may_read(actor, notice)):
        raise NotFound("notice.not_found", f"告知书 {notice_id} 不存在")
    data = notice_letter_pdf(notice)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        stored = notice_pdf_sha256_keep(notice_id=notice.pk, digest=digest)
        if stored != digest:
            log.warning("notice %s: letter rendered to %s, first kept %s", notice.pk, digest, stored)
        audit_append(
            actor=actor,
            action="notice.letter",
            target_type="subject",
            target_id=notice.subject_id,
            now=now,
            payload={
                "notice": notice.pk,
                "entry": notice.entry_id,
                "kind": notice.kind,
                "level": "self" if own else "government",
                "sha256": digest,
                "first_sha256": stored,
            },
        )
    notice.pdf_sha256 = stored
    return notice, data


def _officer_may_read(actor: Actor, notice: Notice) -> bool:
    if actor.has_role(*OFFICE):
        return True
    entry = notice.entry
    units = {entry.proposing_unit.code, entry.list_type.deciding_unit.code}
    return bool(actor.unit_code) and actor.unit_code in units and actor.has_role(*UNIT_OFFICERS)


def _deadline_text(content: dict) -> str:
    """The statement deadline of a 告知书, date and time in Beijing (a 决定书 has none)."""
    raw = content.get("deadline")
    return cn_deadline(dt.datetime.fromisoformat(raw)) if raw else ""


def _title(pdf: _Letter, text: str) -> None:
    pdf.set_font(FACE, size=18)
    _color(pdf, INK)
    width = pdf.w - 2 * MARGIN
    with _bold(pdf, 0.25):
        _lines(pdf, MARGIN, width, 18 * PT * LEADING, wrap(pdf, text, width), "C")
    pdf.ln(1)


def _section_heading(pdf: _Letter, text: str) -> None:
    _ensure_room(pdf, 20)
    pdf.ln(2.5)
    pdf.set_font(FACE, size=BODY)
    _color(pdf, INK)
    with _bold(pdf, 0.15):
        pdf.cell(0, BODY * PT * LEADING, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _signature(pdf: _Letter, unit: str, date: str) -> None:
    height = BODY * PT * LEADING
    _ensure_room(pdf, 18 + 2 * height)
    pdf.ln(18)
    pdf.set_font(FACE, size=BODY)
    _color(pdf, INK)
    for text in (unit, date):
        pdf.set_x(MARGIN)
        pdf.cell(pdf.w - 2 * MARGIN - 8, height, text, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
