"""Screenshots of the portal's main pages for reviewers (issue 15 "Done when"):

    python -m tools.screenshots --out DIR [--pages home,search,…] [--widths 1280,375] [--demo-size N]

starts the platform on a temporary data directory with demo data (`xinyong up --demo`: migrations,
reference data, the demo subjects and story, gunicorn behind the front), waits until it says it is ready,
opens each page in headless Chromium (Debian's `chromium` and `chromium-driver`) at each width and writes
DIR/NAME-WIDTH.png, the whole page tall; then stops the platform and removes the directory. Prints one line
per file. The smoke test is tests/test_screenshots.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

# name → path; "subject" is the first result of a search for the demo story's listed company.
PAGES: dict[str, str] = {
    "home": "/",
    "search": "/search/?q=" + quote("北京华信"),
    "subject": "",
    "penalties": "/publicity/penalties/",
    "licences": "/publicity/licences/",
    "lists": "/lists/",
    "commitments": "/commitments/",
    "policies": "/policies/",
    "plan": "/plan/",
    "progress": "/progress/",
    "verify": "/reports/verify",
    "login": "/accounts/login/",
    "register": "/accounts/register/",
}
READY = "服务已就绪"
START_TIMEOUT = 900.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout: float, what: str, proc: subprocess.Popen, log: Path) -> None:
    """Poll `predicate` (readiness, not a fixed sleep); fail with the log if the process dies or time ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise SystemExit(f"xinyong up stopped ({proc.returncode}) before {what}:\n{log.read_text()}")
        time.sleep(0.2)
    raise SystemExit(f"{what} did not happen within {timeout:g} s:\n{log.read_text()}")


def start(home: Path, port: int, demo_size: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "XINYONG_HOME": str(home)}
    env.pop("XINYONG_DATABASE_URL", None)  # SQLite under the temporary home
    for name in ("ANON", "LOOKUP"):
        env[f"XINYONG_RATE_{name}"] = "0"  # the shots come from one address in a burst
    cmd = [sys.executable, "-m", "xinyong.cli", "up", "--demo", "--demo-size", str(demo_size)]
    cmd += ["--port", str(port), "--workers", "1", "--no-worker"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    wait_until(lambda: READY in log.read_text(encoding="utf-8", errors="replace"), timeout=START_TIMEOUT,
               what="readiness", proc=proc, log=log)  # fmt: skip
    return proc


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to `up` (its supervisor stops the front and gunicorn with it), SIGKILL after 30 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        raise SystemExit("需要 chromium 和 chromedriver（Debian：apt-get install chromium chromium-driver）")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
                 "--hide-scrollbars", "--force-device-scale-factor=1"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    return driver


def shoot(driver, url: str, width: int, target: Path) -> None:
    """Open `url` at `width` CSS pixels and save the whole page (the window grown to the page's height)."""
    driver.set_window_size(width, 900)
    driver.get(url)
    height = driver.execute_script("return Math.max(document.documentElement.scrollHeight, 600);")
    driver.set_window_size(width, min(int(height), 12000))
    driver.save_screenshot(str(target))


def subject_path(driver, base: str) -> str:
    from selenium.webdriver.common.by import By

    driver.get(base + PAGES["search"])
    links = driver.find_elements(By.CSS_SELECTOR, '#results a[href^="/subjects/"]')
    if not links:
        raise SystemExit("the demo search found no subject")
    return links[0].get_attribute("href").removeprefix(base)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="directory for the PNG files")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"comma-separated, of: {', '.join(PAGES)}")
    parser.add_argument("--widths", default="1280,375", help="comma-separated widths in CSS pixels")
    parser.add_argument("--demo-size", type=int, default=300, help="demo subjects to load (default 300)")
    args = parser.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = sorted(set(pages) - set(PAGES))
    if unknown:
        parser.error(f"unknown pages: {', '.join(unknown)}")
    widths = [int(w) for w in args.widths.split(",") if w.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xinyong-shots-") as tmp:
        port, log = free_port(), Path(tmp) / "up.log"
        proc = start(Path(tmp) / "home", port, args.demo_size, log)
        base = f"http://127.0.0.1:{port}"
        driver = None
        try:
            driver = browser()
            paths = {name: PAGES[name] or subject_path(driver, base) for name in pages}
            for name in pages:
                for width in widths:
                    target = args.out / f"{name}-{width}.png"
                    shoot(driver, base + paths[name], width, target)
                    print(target, flush=True)
        finally:
            if driver is not None:
                driver.quit()
            stop(proc)


if __name__ == "__main__":
    main()
