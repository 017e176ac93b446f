"""axe-core in the browser tests (issue 15): inject the vendored axe.min.js (tests/vendor, from the npm
registry; no CDN at test time) into the page the driver shows, run it, and answer the violations of the
impacts asked for, as readable lines. The portal pages must have no serious or critical violation.

(Helper portal1 writes an `axe_violations` into tests/browser.py too; the lead keeps one of the two.)"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
IMPACTS = ("serious", "critical")


def axe_violations(driver, impacts: tuple[str, ...] = IMPACTS) -> list[str]:
    """`rule id (impact): help — the first offending nodes' selectors`, for each violation of `impacts` on
    the page now shown; empty when there is none."""
    if not driver.execute_script("return typeof window.axe === 'object';"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations), e => done({error: String(e)}));"
    )
    if isinstance(result, dict):
        raise AssertionError(f"axe-core failed: {result['error']}")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
        for v in result
        if v.get("impact") in impacts
    ]
