"""Issue 17: every decision record says its status, the context, the decision and its consequences."""

from pathlib import Path

import pytest

ADR_DIR = Path(__file__).resolve().parent.parent / "docs" / "adr"
SECTIONS = ("Status", "Context", "Decision", "Consequences")


def _has_section(text: str, name: str) -> bool:
    lines = text.splitlines()
    return any(line.startswith(f"**{name}.**") or (line.startswith("## ") and name in line) for line in lines)


@pytest.mark.parametrize("path", sorted(ADR_DIR.glob("[0-9][0-9][0-9][0-9]-*.md")), ids=lambda p: p.name[:4])
def test_an_adr_has_status_context_decision_and_consequences(path):
    text = path.read_text(encoding="utf-8")
    assert [name for name in SECTIONS if not _has_section(text, name)] == []
    assert text.startswith(f"# {path.name[:4]} — ")


def test_adr_numbers_are_unique():
    numbers = [p.name[:4] for p in ADR_DIR.glob("[0-9][0-9][0-9][0-9]-*.md")]
    assert len(numbers) == len(set(numbers))
