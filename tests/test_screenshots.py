"""The reviewers' screenshot command (issue 15 "Done when"; tools/screenshots.py), run as a reviewer runs it on
two pages at one width: it starts the platform with demo data, waits for it to be ready, writes one PNG per
page of the asked width and stops the platform again."""

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import CHROMEDRIVER, CHROMIUM

ROOT = Path(__file__).resolve().parent.parent


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path
    return struct.unpack(">II", head[16:24])


def test_the_command_writes_one_png_per_page_and_width(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("XINYONG_BROWSER_TESTS") == "1":
            pytest.fail("XINYONG_BROWSER_TESTS=1 but chromium / chromedriver are not installed")
        pytest.skip("chromium and chromedriver not installed")
    out = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if k not in ("XINYONG_HOME", "XINYONG_DATABASE_URL")}
    cmd = [sys.executable, "-m", "tools.screenshots", "--out", str(out), "--pages", "home,subject"]
    done = subprocess.run(
        [*cmd, "--widths", "375", "--demo-size", "10"], cwd=ROOT, env=env, capture_output=True, timeout=900
    )
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert done.stdout.decode().split() == [str(out / "home-375.png"), str(out / "subject-375.png")]
    assert sorted(p.name for p in out.iterdir()) == ["home-375.png", "subject-375.png"]
    for shot in out.iterdir():
        width, height = _png_size(shot)
        assert width == 375 and height > 900, (shot, width, height)  # the whole page, taller than the window


def test_unknown_pages_are_refused(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tools.screenshots", "--out", str(tmp_path), "--pages", "home,nope"],
        cwd=ROOT, capture_output=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "unknown pages: nope" in done.stderr.decode()
