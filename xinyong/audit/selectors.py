"""Reads of the audit trail, including the chain verifier."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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


def audit_chain_verify(*, batch: int = 5000) -> ChainReport:
    """Walk the chain in seq order; report the first broken link (changed, deleted or re-ordered event)."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for row in _rows_in_order(batch):
        problem = _link_problem(row, expected_seq, prev_hash)
        if problem:
            return ChainReport(False, checked, row["seq"], problem)
        expected_seq, prev_hash, checked = row["seq"] + 1, row["hash"], checked + 1
    return _check_tip(checked, expected_seq - 1, prev_hash)


def _rows_in_order(batch: int) -> Iterator[dict]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq").values(*_FIELDS)[:batch])
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
