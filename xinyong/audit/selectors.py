"""Reads of the audit trail, including the chain verifier."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from xinyong.audit.anchor import Checkpoint, line_name
from xinyong.audit.chain import GENESIS, event_hash
from xinyong.audit.models import AuditEvent, AuditHead

_FIELDS = [
    "seq",
    "occurred_at",
    "actor",
    "unit_code",
    "action",
    "target_type",
    "target_id",
    "reason",
    "request_id",
    "payload",
    "prev_hash",
    "hash",
]


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""
    rewritten: bool = False  # an anchored head is gone: the events before it cannot be trusted either
    anchors: int = 0  # signed checkpoints the chain was compared with (ADR 0019)


def audit_chain_verify(*, batch: int = 5000, anchors: Sequence[Checkpoint] = ()) -> ChainReport:
    """Walk the chain in seq order; report the first broken link (changed, deleted or re-ordered event), and
    an anchored head (signed checkpoint, issue 12 / ADR 0019) that the chain no longer holds: a chain
    rewritten with recomputed hashes passes the link checks but not the anchor."""
    anchored = _by_seq(anchors)
    checked, last_seq, last_hash, problem = _walk(0, GENESIS, None, anchored, batch)
    if problem:
        return ChainReport(False, checked, *problem)
    report = _check_anchored_tail(checked, last_seq, anchored) or _check_tip(checked, last_seq, last_hash)
    return replace(report, anchors=len(anchors))


def audit_chain_verify_since(*, checkpoint: Checkpoint | None, through_seq: int) -> ChainReport:
    """Check the events after a trusted checkpoint up to `through_seq`: what `xinyong audit anchor` checks
    before it signs a new head, so that it never signs a chain rewritten since the last checkpoint."""
    start_seq, start_hash, anchored = 0, GENESIS, {}
    if checkpoint is not None:
        start_seq, start_hash, anchored = checkpoint.seq, checkpoint.hash, _by_seq([checkpoint])
        row = AuditEvent.objects.filter(seq=checkpoint.seq).values("seq", "hash").first()
        if row is None or row["hash"] != checkpoint.hash:
            return ChainReport(False, 0, checkpoint.seq, _anchor_text(checkpoint), rewritten=True)
    checked, last_seq, _, problem = _walk(start_seq, start_hash, through_seq, anchored, 5000)
    if problem:
        return ChainReport(False, checked, *problem)
    if last_seq != through_seq:
        return ChainReport(False, checked, last_seq + 1, f"第 {last_seq + 1} 号事件不存在（事件被删除）")
    return ChainReport(True, checked)


def _by_seq(anchors: Sequence[Checkpoint]) -> dict[int, list[Checkpoint]]:
    anchored: dict[int, list[Checkpoint]] = {}
    for point in anchors:
        anchored.setdefault(point.seq, []).append(point)
    return anchored


def _walk(
    seq: int, prev_hash: str, until: int | None, anchored: dict, batch: int
) -> tuple[int, int, str, tuple[int, str, bool] | None]:
    """Events after `seq` (through `until`): (checked, last seq, last hash, and the first problem as
    (seq, text, found by an anchor) or None)."""
    checked = 0
    for row in _rows_in_order(seq, until, batch):
        link = _link_problem(row, seq + 1, prev_hash)
        anchor = "" if link else _anchor_problem(row, anchored)
        if link or anchor:
            return checked, seq, prev_hash, (row["seq"], link or anchor, bool(anchor))
        seq, prev_hash, checked = row["seq"], row["hash"], checked + 1
    return checked, seq, prev_hash, None


def _rows_in_order(last: int, until: int | None, batch: int) -> Iterator[dict]:
    while True:
        events = AuditEvent.objects.filter(seq__gt=last)
        if until is not None:
            events = events.filter(seq__lte=until)
        rows = list(events.order_by("seq").values(*_FIELDS)[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1]["seq"]


def _link_problem(row: dict, expected_seq: int, prev_hash: str) -> str:
    if row["seq"] != expected_seq:
        return f"序号不连续：应为 {expected_seq}，实为 {row['seq']}（事件被删除或重排）"
    if row["prev_hash"] != prev_hash:
        return "前一事件哈希不符（事件被删除、插入或重排）"
    if event_hash(row) != row["hash"]:
        return "事件内容与其哈希不符（事件被修改）"
    return ""


def _anchor_problem(row: dict, anchored: dict[int, list[Checkpoint]]) -> str:
    for point in anchored.get(row["seq"], ()):
        if point.hash != row["hash"]:
            return _anchor_text(point)
    return ""


def _anchor_text(point: Checkpoint) -> str:
    return (
        f"与锚定检查点不符：{point.at} 锚定的第 {point.seq} 号事件哈希为 {point.hash[:12]}…，"
        f"库中已不同或已不存在（检查点文件{line_name(point.line)}）——此号及以前的审计链被改写"
    )


def _check_anchored_tail(checked: int, last_seq: int, anchored: dict) -> ChainReport | None:
    beyond = [p for seq in sorted(anchored) if seq > last_seq for p in anchored[seq]]
    if beyond:
        return ChainReport(False, checked, beyond[0].seq, _anchor_text(beyond[0]), rewritten=True)
    return None


def _check_tip(checked: int, last_seq: int, last_hash: str) -> ChainReport:
    head = AuditHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (last_seq, last_hash):
        return ChainReport(
            False, checked, last_seq + 1, f"链尾不符：记录的链尾为第 {head_seq} 号（末尾事件被删除）"
        )
    return ChainReport(True, checked)


def audit_events_for_target(*, target_type: str, target_id: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id)).order_by("seq"))


def audit_events_about(
    *, target_type: str, target_id: str, actions: Sequence[str], before: int | None = None, limit: int = 200
) -> list[AuditEvent]:
    """The events with these actions about one target, newest first; `before`: only those older than that
    `seq` (the next page's start); at most `limit` (the query log, disclosure/querylog.py)."""
    events = AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id), action__in=actions)
    if before is not None:
        events = events.filter(seq__lt=before)
    return list(events.order_by("-seq")[:limit])
