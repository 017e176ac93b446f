"""The one reference-data loader (core/reference.py, issue 17): read → validate → diff → upsert → audit, with
a spec per kind. Here with a spec of its own; each app's tests load its real files through it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.reference import (
    AuditNote,
    Changes,
    LoadResult,
    ReferenceSpec,
    reference_load,
    reference_read,
)

NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
ACTOR = Actor(label="user:7", unit_code="xyb", roles=frozenset({"admin"}), user_id=7, request_id="t-ref")
STORED: dict[str, str] = {}
EVENTS: list[dict] = []


@dataclass(kw_only=True)
class WordsResult(LoadResult):
    total: int

    def head(self) -> str:
        return f"词 {self.total} 个"


def _parse(text: str, path: Path) -> dict[str, str]:
    if "!" in text:
        raise DomainError("words.invalid", f"{path.name}：不许有感叹号")
    return dict(line.split("=", 1) for line in text.splitlines() if line)


def _write(words: dict[str, str], changes: Changes) -> WordsResult:
    for key, value in words.items():
        if key not in STORED:
            changes.add("created", key)
        elif STORED[key] != value:
            changes.add("updated", key)
        STORED[key] = value
    changes.extend("deactivated", sorted(set(STORED) - set(words)))
    return WordsResult(total=len(words), **changes.result_fields())


def _audit(words, result: WordsResult, changes: Changes) -> AuditNote:
    return AuditNote("words.load", "words", changes.actor.label, result.labels())


def _append(**event):
    EVENTS.append(event)
    return SimpleNamespace(seq=len(EVENTS))


WORDS = ReferenceSpec(
    name="words", invalid="words.invalid", parse=_parse, write=_write, audit=_audit, append=_append
)


@pytest.fixture(autouse=True)
def _clean():
    STORED.clear()
    EVENTS.clear()


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "words.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_load_writes_and_audits_once_and_a_second_load_changes_nothing(tmp_path):
    path = _file(tmp_path, "a=1\nb=2\n")
    first = reference_load(WORDS, actor=ACTOR, now=NOW, path=path)
    assert (first.created, first.audit_seq, first.summary()) == (
        ("a", "b"),
        1,
        "词 2 个：新增 2，更新 0，停用 0",
    )
    assert EVENTS[0]["action"] == "words.load" and EVENTS[0]["now"] == NOW
    assert EVENTS[0]["payload"] == {"created": ["a", "b"], "updated": [], "deactivated": []}
    again = reference_load(WORDS, actor=ACTOR, now=NOW, path=path)
    assert (again.changed, again.audit_seq, len(EVENTS)) == (False, None, 1)
    assert again.summary() == "词 2 个：新增 0，更新 0，停用 0（未变更）"


@pytest.mark.django_db
def test_changes_are_told_apart(tmp_path):
    reference_load(WORDS, actor=ACTOR, now=NOW, path=_file(tmp_path, "a=1\nb=2\n"))
    result = reference_load(WORDS, actor=ACTOR, now=NOW, path=_file(tmp_path, "a=9\nc=3\n"))
    assert (result.created, result.updated, result.deactivated) == (("c",), ("a",), ("b",))


@pytest.mark.django_db
def test_a_refused_file_writes_nothing(tmp_path):
    with pytest.raises(DomainError) as exc:
        reference_load(WORDS, actor=ACTOR, now=NOW, path=_file(tmp_path, "a=1!\n"))
    assert (exc.value.code, STORED, EVENTS) == ("words.invalid", {}, [])


def test_an_unreadable_file_is_refused_with_the_spec_code(tmp_path):
    with pytest.raises(DomainError) as exc:
        reference_read(WORDS, tmp_path / "none.txt")
    assert exc.value.code == "words.invalid" and exc.value.message.startswith("无法读取文件 ")
    (tmp_path / "latin.txt").write_bytes(b"a=\xff\n")
    with pytest.raises(DomainError) as exc:
        reference_read(WORDS, tmp_path / "latin.txt")
    assert exc.value.code == "words.invalid"


def test_a_spec_without_a_packaged_file_needs_a_path():
    with pytest.raises(DomainError) as exc:
        reference_read(WORDS)
    assert exc.value.code == "words.invalid"


def test_touched_labels_keep_their_first_order():
    changes = Changes(ACTOR, NOW)
    changes.add("created", "x")
    changes.add("updated", "y")
    changes.add("updated", "x")
    assert changes.touched() == ["x", "y"]
    assert changes.result_fields() == {"created": ("x",), "updated": ("y", "x"), "deactivated": ()}
