"""Signed checkpoints outside the database catch a chain rewritten with the database's own credentials
(issue 12, ADR 0019): the attacker disables the guard, edits an event and recomputes every later hash and the
tip with the platform's own hashing — the chain walk passes, the anchored head does not."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from xinyong.audit.anchor import checkpoints_read
from xinyong.audit.chain import GENESIS, event_hash
from xinyong.audit.dbguard import audit_guard_lifted
from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import _FIELDS, audit_chain_verify
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db  # the rewrite runs inside the test transaction: nothing to flush
T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def anchors(settings, tmp_path):
    settings.XINYONG_HOME = tmp_path
    settings.XINYONG_AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
    settings.XINYONG_AUDIT_ANCHOR_KEY = ""
    return tmp_path / "anchors.jsonl"


def _append(n: int) -> None:
    start = AuditEvent.objects.count()
    for i in range(start, start + n):
        with transaction.atomic():
            audit_append(
                actor=Actor(label="user:1", unit_code="jxw", request_id=f"r{i}"),
                action="record.publish", target_type="record", target_id=i, reason="公示",
                payload={"i": i}, now=T0 + dt.timedelta(seconds=i),
            )  # fmt: skip


def _command(name: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def _rewrite_from(seq: int, *, keep: int | None = None) -> None:
    """What an attacker with the database's credentials does: guard off, change event `seq`, recompute the
    hashes of it and every later event (dropping those after `keep`) and move the tip to match."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    rows = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq").values(*_FIELDS))
    with audit_guard_lifted(), connection.cursor() as cur:
        if keep is not None:
            cur.execute("DELETE FROM audit_event WHERE seq > %s", [keep])
            rows = [r for r in rows if r["seq"] <= keep]
        for row in rows:
            row["prev_hash"], row["reason"] = prev, "改写后的事由" if row["seq"] == seq else row["reason"]
            prev = event_hash(row)
            cur.execute(
                "UPDATE audit_event SET reason = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [row["reason"], row["prev_hash"], prev, row["seq"]],
            )
        cur.execute("UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1", [rows[-1]["seq"], prev])


def test_anchored_untouched_chain_verifies(anchors):
    _append(5)
    assert "已锚定第 5 号事件" in _command("audit_anchor")
    assert "链尾第 5 号事件已锚定" in _command("audit_anchor")  # nothing new: no second line
    _append(3)
    _command("audit_anchor")
    assert [(p.seq, p.line) for p in checkpoints_read()] == [(5, 1), (8, 2)]
    out = _command("audit_verify")
    assert "审计链完好：共 8 个事件" in out
    assert "与 2 个锚定检查点相符（最近锚定第 8 号事件" in out
    line = json.loads(anchors.read_text().splitlines()[1])
    assert (line["seq"], line["hash"]) == (8, AuditEvent.objects.get(seq=8).hash)


def test_rewritten_chain_passes_the_walk_but_not_the_anchor():
    _append(5)
    _command("audit_anchor")
    _append(2)
    _rewrite_from(2)
    assert audit_chain_verify().ok  # the chain alone cannot tell: every hash was recomputed
    with pytest.raises(CommandError) as caught:
        _command("audit_verify")
    message = str(caught.value)
    assert message.startswith("审计链断开于第 5 号事件：与锚定检查点不符：")
    assert "锚定的第 5 号事件哈希为" in message and "此号及以前的审计链被改写" in message
    assert message.endswith("（检查点文件第 1 行）——此号及以前的审计链被改写")  # no "此前 N 个事件完好"


def test_anchor_refuses_to_sign_a_chain_rewritten_since_the_last_checkpoint():
    _append(4)
    _command("audit_anchor")
    _rewrite_from(3)
    _append(1)
    with pytest.raises(CommandError, match="^拒绝锚定：审计链断开于第 4 号事件：与锚定检查点不符"):
        _command("audit_anchor")
    assert len(checkpoints_read()) == 1


def test_cut_and_regrown_tail_is_caught():
    _append(6)
    _command("audit_anchor")
    _rewrite_from(4, keep=4)  # events 5 and 6 gone, the tip moved back to a recomputed 4
    assert audit_chain_verify().ok
    report = audit_chain_verify(anchors=checkpoints_read())
    assert (report.ok, report.broken_seq, report.checked) == (False, 6, 4)
    _append(2)  # regrown to the anchored length with other events
    assert audit_chain_verify().ok
    report = audit_chain_verify(anchors=checkpoints_read())
    assert (report.ok, report.broken_seq, report.checked) == (False, 6, 5)
    with pytest.raises(CommandError, match="第 6 号事件：与锚定检查点不符"):
        _command("audit_verify")


def test_forged_or_edited_checkpoint_is_refused(anchors):
    _append(2)
    _command("audit_anchor")
    body = json.loads(anchors.read_text())
    body["seq"], body["hash"] = 1, AuditEvent.objects.get(seq=1).hash
    anchors.write_text(json.dumps(body) + "\n")
    with pytest.raises(CommandError, match="^锚定检查点无效：检查点文件第 1 行签名无效"):
        _command("audit_verify")


def test_checkpoints_under_another_key_are_refused(settings):
    _append(1)
    settings.XINYONG_AUDIT_ANCHOR_KEY = "第一把密钥-0123456789"
    _command("audit_anchor")
    settings.XINYONG_AUDIT_ANCHOR_KEY = "另一把密钥-0123456789"
    with pytest.raises(CommandError, match="签名无效（检查点被篡改，或锚定密钥已更换）"):
        _command("audit_verify")


def test_checkpoints_without_their_key_cannot_be_verified(anchors):
    _append(1)
    _command("audit_anchor")
    (anchors.parent / "audit_anchor_key").unlink()
    with pytest.raises(CommandError, match="找不到锚定密钥"):
        _command("audit_verify")


def test_no_checkpoint_yet_is_said_and_an_empty_chain_is_not_anchored(anchors):
    assert _command("audit_anchor").strip() == "审计链为空，无需锚定"
    assert not anchors.exists()
    _append(1)
    assert "尚无锚定检查点" in _command("audit_verify")
