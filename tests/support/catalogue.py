"""The English catalogue of an app (the portal's, the accounts app's; issue 15): the .po file read as gettext
keys its catalog, and the two checks every catalogue passes — compiled and complete, and holding every string
the app marks."""

from __future__ import annotations

import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command


def po_path(app: Path) -> Path:
    return app / "locale" / "en" / "LC_MESSAGES" / "django.po"


def po_entries(text: str) -> dict:
    """msgid → msgstr of a .po file, keyed as GNUTranslations keys its catalog: a plural entry gives
    (msgid, n) → its nth form, a context prefixes its msgid with `context\x04`."""
    entries: dict = {}
    for block in re.split(r"\n\n+", text):
        parts = dict(
            (key, _unescape("".join(re.findall(r'"(.*)"', body))))
            for key, body in re.findall(
                r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block, re.M
            )
        )
        if "msgid" not in parts:
            continue
        msgid = f"{parts['msgctxt']}\x04{parts['msgid']}" if "msgctxt" in parts else parts["msgid"]
        if "msgid_plural" in parts:
            for n in range(2):
                entries[(msgid, n)] = parts.get(f"msgstr[{n}]", "")
        else:
            entries[msgid] = parts.get("msgstr", "")
    return entries


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def assert_compiled_and_translated(app: Path, hint: str) -> None:
    """No fuzzy entry, every msgid translated, and django.mo is exactly the .po file (`hint`: how to mend)."""
    path = po_path(app)
    text = path.read_text(encoding="utf-8")
    po = po_entries(text)
    assert "#, fuzzy" not in text
    assert [msgid for msgid, msgstr in po.items() if msgid and not msgstr] == []
    with path.with_suffix(".mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    compiled = dict(mo._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)
    po.pop("", None)
    assert compiled == po, hint


def assert_holds_every_marked_string(app: Path, tmp_path: Path, hint: str) -> None:
    """makemessages run on a copy of the app finds exactly the committed msgids (`hint`: how to mend)."""
    if shutil.which("xgettext") is None:
        if os.environ.get("XINYONG_GETTEXT_REQUIRED"):
            pytest.fail("xgettext (GNU gettext) is required here")
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "static", "*.mo"))
    here = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    finally:
        os.chdir(here)
    fresh = po_entries(po_path(copy).read_text(encoding="utf-8"))
    committed = po_entries(po_path(app).read_text(encoding="utf-8"))
    assert sorted(set(fresh) - set(committed), key=str) == [], hint
    assert sorted(set(committed) - set(fresh), key=str) == []
