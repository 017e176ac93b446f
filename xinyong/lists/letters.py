"""The letters to a subject (告知书, 决定书) as plain text and as a printable Chinese HTML page.

A notice keeps its letter as sent in `Notice.content` (number, title, addressee, opening, numbered sections,
issuing unit, date; written by services/notices.py); these functions only render it, so a letter never changes
with later data. The PDF is rendered from `notice_letter_html` by the reports app, which sits above lists in
the import layers (lists must not import it); `Notice.pdf_sha256` stays empty until then.
"""

from __future__ import annotations

from django.utils.html import escape

from xinyong.lists.models import Notice

_STYLE = """
@page { size: A4; margin: 25mm 22mm; }
body { font-family: "Noto Serif SC", "Source Han Serif SC", "SimSun", "Songti SC", serif; font-size: 12pt;
       line-height: 1.9; color: #000; }
h1 { font-size: 20pt; text-align: center; letter-spacing: 0.1em; margin: 0 0 0.4em; }
.number { text-align: center; margin: 0 0 1.6em; }
h2 { font-size: 12pt; font-weight: bold; margin: 1em 0 0.2em; }
p { text-indent: 2em; margin: 0.2em 0; }
p.addressee { text-indent: 0; }
ol { margin: 0.2em 0 0.2em 2em; padding: 0; }
.signature { margin-top: 3em; text-align: right; }
.signature p { text-indent: 0; }
.note { margin-top: 2em; font-size: 10pt; color: #333; text-indent: 0; }
"""


def notice_text(content: dict) -> str:
    """The letter as plain text (stored as `Notice.body`, shown in the in-platform inbox)."""
    lines = [content["title"], content["number"], "", content["addressee"], "", content["opening"]]
    for section in content["sections"]:
        lines += ["", section["heading"]]
        items = section["items"]
        if section.get("numbered"):
            lines += [f"{i}. {text}" for i, text in enumerate(items, 1)]
        else:
            lines += items
    lines += ["", content["signature"], content["date"]]
    if content.get("note"):
        lines += ["", content["note"]]
    return "\n".join(lines)


def notice_letter_html(notice: Notice) -> str:
    """A complete, self-contained HTML document of the letter (A4, Chinese serif fonts), ready for a PDF
    renderer. Every text is escaped."""
    content = notice.content
    parts = [
        f"<h1>{escape(content['title'])}</h1>",
        f'<p class="number">{escape(content["number"])}</p>',
        f'<p class="addressee">{escape(content["addressee"])}</p>',
        f"<p>{escape(content['opening'])}</p>",
    ]
    for section in content["sections"]:
        parts.append(f"<h2>{escape(section['heading'])}</h2>")
        items = [escape(text) for text in section["items"]]
        if section.get("numbered"):
            parts.append("<ol>" + "".join(f"<li>{text}</li>" for text in items) + "</ol>")
        else:
            parts += [f"<p>{text}</p>" for text in items]
    parts.append(
        f'<div class="signature"><p>{escape(content["signature"])}</p><p>{escape(content["date"])}</p></div>'
    )
    if content.get("note"):
        parts.append(f'<p class="note">{escape(content["note"])}</p>')
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(content['title'])}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )
