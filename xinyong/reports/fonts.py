"""The one font face of the reports: Noto Sans SC (SIL OFL 1.1) from the PyPI package `pylopdf-fonts-zh-cn`.

Nothing but pip is needed (no system font, no fontconfig). Embedding the whole 8 MB, 30,000-glyph font costs
about 0.2 s per report (parsing its tables, then subsetting it for the document), so the first use builds a
*pre-subset* of it once per machine — GB 2312 (6,763 hanzi and 682 symbols), ASCII, Latin-1, general and CJK
punctuation and full-width forms: about 7,800 glyphs, converted to TrueType outlines, 2 MB — and caches the
file (about 8 s, once). Each report then subsets that small font (well under 0.1 s).

A report whose data holds characters outside the pre-subset (a rare name character such as 堃, 昇 or 䶮) gets
an *extra* font with just those characters, cut from the full face the same way and cached too (a few KB,
about 0.3 s the first time a set of characters is seen, the most recent `EXTRA_KEEP` kept). Characters the
full face lacks as well are drawn as the empty .notdef box and logged.

The OFL allows subsetting and redistribution of modified versions; the font's name table declares no
Reserved Font Name, and the cached files are never distributed: they are rebuilt from what pip installed.

Cache directory: `XINYONG_FONT_CACHE` if set, else `<XINYONG_HOME>/cache/fonts`, else the system temp dir.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

SUBSET_VERSION = "2"  # bump whenever the character set or the build below change
EXTRA_KEEP = 512  # extra fonts kept in the cache (oldest removed first)


@dataclass(frozen=True)
class FontFiles:
    subset: Path  # the pre-subset face every report uses
    full: Path  # the complete face, the source of extra fonts for rare characters
    coverage: frozenset[int] = field(repr=False)  # code points the subset maps


def source_font() -> Path:
    """Noto Sans SC Regular as installed by pip."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


def subset_codepoints() -> set[int]:
    """The pre-subset's character set: GB 2312 whole, ASCII, Latin-1, punctuation, full-width forms."""
    points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    points |= set(range(0x2010, 0x2070)) | set(range(0x2460, 0x24A0))  # punctuation, ①…⑳
    points |= set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F)) | set(range(0xFFE0, 0xFFE7))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return points


def cache_dir() -> Path:
    configured = os.environ.get("XINYONG_FONT_CACHE")
    if configured:
        return Path(configured)
    try:
        from django.conf import settings

        return Path(settings.XINYONG_HOME) / "cache" / "fonts"
    except Exception:  # settings not configured: a standalone use
        return Path(tempfile.gettempdir()) / "xinyong-fonts"


_lock = threading.Lock()


@lru_cache(maxsize=1)
def report_fonts() -> FontFiles:
    """The font files for reports, building the pre-subset on first use (about 8 s, once per machine)."""
    full = source_font()
    with _lock:
        path = _directory() / f"report-sans-{_tag(full, SUBSET_VERSION)}.ttf"
        if not path.exists():
            log.info("building the report font subset %s from %s", path, full)
            _build(full, subset_codepoints(), path)
            for stale in path.parent.glob("report-sans-*"):  # a subset of another version or source font
                if stale != path:
                    stale.unlink(missing_ok=True)
    return FontFiles(subset=path, full=full, coverage=_coverage(path))


def outside_subset(text: str, fonts: FontFiles) -> set[str]:
    """Characters of `text` the pre-subset cannot draw (line breaks and tabs aside)."""
    return {ch for ch in set(text) if ord(ch) not in fonts.coverage and ch not in "\n\r\t"}


def extra_font(chars: set[str]) -> Path | None:
    """A small TrueType font with those of `chars` the full face has (cached); None when it has none."""
    full = source_font()
    drawable = sorted(ch for ch in chars if ord(ch) in _full_cmap(full))
    missing = sorted(set(chars) - set(drawable))
    if missing:
        log.warning("no glyph for %s in %s: drawn as empty boxes", "".join(missing), full.name)
    if not drawable:
        return None
    key = hashlib.sha256("".join(drawable).encode()).hexdigest()[:16]
    path = _directory() / f"report-extra-{_tag(full, SUBSET_VERSION)}-{key}.ttf"
    with _lock:
        if path.exists():
            os.utime(path)  # recently used: kept by the pruning below
        else:
            _build(full, {ord(ch) for ch in drawable}, path)
            _prune(path.parent)
    return path


def _tag(full: Path, version: str) -> str:
    return hashlib.sha256(f"{full.name}:{full.stat().st_size}:{version}".encode()).hexdigest()[:12]


def _directory() -> Path:
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        directory = Path(tempfile.gettempdir()) / "xinyong-fonts"
        directory.mkdir(parents=True, exist_ok=True)
    return directory


@lru_cache(maxsize=1)
def _full_cmap(full: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(full, lazy=True).getBestCmap())


def _coverage(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


def _prune(directory: Path) -> None:
    extras = sorted(directory.glob("report-extra-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in extras[EXTRA_KEEP:]:
        old.unlink(missing_ok=True)


def _build(full: Path, codepoints: set[int], target: Path) -> None:
    """Cut `codepoints` out of the full face, with TrueType outlines, into `target` (atomically)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(full, recalcTimestamp=False, lazy=True)
    options = subset.Options()
    options.layout_features = []  # no shaping is done for Chinese text
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.name_IDs = ["*"]  # keep the copyright and licence entries
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    _to_truetype(font)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".building-", suffix=".ttf")
    try:
        with os.fdopen(handle, "wb") as fh:
            font.save(fh)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the web server and the CLI may be other users
        os.replace(tmp, target)  # atomic: concurrent builders each write their own file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _to_truetype(font) -> None:
    """Replace the CFF (cubic) outlines by TrueType (quadratic) ones, within 1/1000 em.

    The PDF then embeds a CIDFontType2 with Identity-H encoding, the most widely supported form, which
    fpdf2 subsets faster than CFF and from which every text extractor recovers the text cleanly.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}
    del font["CFF "]
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
