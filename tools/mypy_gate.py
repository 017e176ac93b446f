"""mypy on the domain apps with a baseline that only shrinks (issue 17).

    python -m tools.mypy_gate            run mypy; fail on an error the baseline does not hold, and on a
                                         baseline entry that no longer occurs (shrink it: --shrink)
    python -m tools.mypy_gate --shrink   rewrite the baseline after fixing errors (refuses to grow it)
    python -m tools.mypy_gate --init     write the baseline from scratch (only when adopting a new mypy)

The baseline counts errors per (file, error code), not per line, so moving code does not churn it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+: error: .*\[(?P<code>[a-z0-9-]+)\]$")


def parse(output: str) -> Counter[tuple[str, str]]:
    """(file, error code) → how many times mypy reported it."""
    found: Counter[tuple[str, str]] = Counter()
    for line in output.splitlines():
        if m := ERROR.match(line.strip()):
            found[(m["path"], m["code"])] += 1
    return found


def read_baseline(path: Path = BASELINE) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            where, count = line.rsplit(" ", 1)
            file, code = where.rsplit(":", 1)
            counts[(file, code)] = int(count)
    return counts


def write_baseline(counts: Counter[tuple[str, str]], path: Path = BASELINE) -> None:
    lines = [f"{file}:{code} {n}" for (file, code), n in sorted(counts.items()) if n]
    header = "# mypy errors allowed per file and code; only shrinks (python -m tools.mypy_gate --shrink)\n"
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def compare(actual: Counter, baseline: Counter) -> tuple[list[str], list[str]]:
    """(new errors beyond the baseline, baseline entries now fixed)."""
    keys = sorted(set(actual) | set(baseline))
    grown = [
        f"{f}:{c}: {actual[(f, c)]} > {baseline[(f, c)]}"
        for f, c in keys
        if actual[(f, c)] > baseline[(f, c)]
    ]
    fixed = [
        f"{f}:{c}: {actual[(f, c)]} < {baseline[(f, c)]}"
        for f, c in keys
        if actual[(f, c)] < baseline[(f, c)]
    ]
    return grown, fixed


def run_mypy() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "xinyong"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    crashed = done.returncode not in (0, 1)
    if crashed or (done.returncode == 1 and not parse(done.stdout)):
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"mypy failed to run (exit {done.returncode})")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shrink", action="store_true")
    parser.add_argument("--init", action="store_true")
    args = parser.parse_args(argv)
    actual = parse(run_mypy())
    if args.init:
        write_baseline(actual)
        print(f"baseline written: {sum(actual.values())} errors")
        return 0
    grown, fixed = compare(actual, read_baseline())
    if grown:
        print("mypy: new errors beyond the baseline (fix them; the baseline only shrinks):")
        print("\n".join(f"  {line}" for line in grown))
        return 1
    if fixed and not args.shrink:
        print("mypy: fewer errors than the baseline — run `python -m tools.mypy_gate --shrink`:")
        print("\n".join(f"  {line}" for line in fixed))
        return 1
    if fixed:
        write_baseline(actual)
    print(f"mypy: {sum(actual.values())} errors, none beyond the baseline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
