"""`xinyong worker` as a real process against the test database: the outbox event becomes pushes, the
webhook goes to a real receiver, and a worker killed (SIGKILL) mid-delivery loses nothing — after its lease
runs out the next worker sends the push again, with the same webhook-id for the receiver to dedupe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from tests.processes import test_database_url as _database_url
from xinyong.core.actor import Actor
from xinyong.core.models import OutboxEvent
from xinyong.core.outbox import outbox_emit
from xinyong.core.timeutil import now
from xinyong.pushes.models import Push
from xinyong.pushes.services import webhook_register
from xinyong.pushes.tests.receiver import Receiver, verify_standard_webhook

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
LEASE_SECONDS = 8


def _worker(tmp_path: Path, *args: str, log: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "XINYONG_HOME": str(tmp_path / "home"),
        "XINYONG_DATABASE_URL": _database_url(),
        "XINYONG_SECRET_KEY": settings.SECRET_KEY,
        "XINYONG_IDENTITY_KEY": settings.IDENTITY_KEY,
        "XINYONG_WEBHOOK_ALLOW_PRIVATE": "1",
    }
    cmd = [sys.executable, "-m", "xinyong.cli", "worker", "--lease", str(LEASE_SECONDS), "--interval", "0.2"]
    with open(tmp_path / log, "wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [*cmd, *args], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _once(tmp_path: Path, log: str) -> str:
    proc = _worker(tmp_path, "--once", log=log)
    assert proc.wait(timeout=60) == 0, (tmp_path / log).read_text()
    return (tmp_path / log).read_text()


def test_no_push_is_lost_when_the_worker_is_killed_mid_delivery(tmp_path, world):
    with Receiver("hang") as receiver:
        with override_settings(XINYONG_WEBHOOK_ALLOW_PRIVATE=True):
            actor = Actor(label="token:t1", unit_code="shuiwuju", roles=frozenset({"case_officer"}))
            _, secret = webhook_register(actor=actor, unit=world.shuiwuju, url=receiver.url, now=now())
        with transaction.atomic():  # what lists does when it publishes the entry
            outbox_emit(
                topic="list_entry.published",
                payload={
                    "entry_id": world.entry.pk,
                    "event": "published",
                    "list_type": world.list_type.code,
                    "subject_id": world.subject.pk,
                    "reason": "",
                },
                now=now(),
            )

        started = now()
        worker = _worker(tmp_path, log="killed.log")
        try:
            assert receiver.got_request.wait(60), (tmp_path / "killed.log").read_text()
        finally:
            os.killpg(worker.pid, signal.SIGKILL)  # mid-delivery: the receiver holds the request open
            worker.wait(timeout=20)

        assert OutboxEvent.objects.get().processed_at is not None
        push = Push.objects.get(unit=world.shuiwuju)
        assert (push.webhook_status, push.attempts, push.delivered_at) == ("pending", 1, None)
        lease_ends = push.next_attempt_at
        assert lease_ends > started  # leased for later (on a loaded machine it may have run out by now)

        receiver.plan(200)
        receiver.release.set()
        if (lease_ends - now()).total_seconds() > 3:  # the lease still holds: nobody sends it twice yet
            _once(tmp_path, "early.log")
            push.refresh_from_db()
            assert (push.webhook_status, push.attempts, len(receiver.received)) == ("pending", 1, 1)

        time.sleep(max(0.0, (lease_ends - now()).total_seconds()) + 0.5)
        output = _once(tmp_path, "after.log")

    assert "推送投递成功 1" in output
    push.refresh_from_db()
    assert (push.webhook_status, push.attempts) == ("delivered", 2)
    assert len(receiver.received) == 2  # at least once: the first attempt may have reached the receiver
    assert {r.headers["webhook-id"] for r in receiver.received} == {str(push.pk)}  # …and it dedupes to one
    assert all(verify_standard_webhook(secret, r.headers, r.body) for r in receiver.received)
    assert Push.objects.filter(unit=world.chaoyang).count() == 1  # the inbox row of the unit without webhook


def test_worker_once_on_an_empty_queue_reports_nothing_to_do(tmp_path, world):
    assert "事件 0 条；推送投递成功 0，待重试 0，失败 0" in _once(tmp_path, "empty.log")


def test_sigterm_stops_the_worker_cleanly(tmp_path, world):
    worker = _worker(tmp_path, log="term.log")
    deadline = time.monotonic() + 120  # readiness, not a fixed wait: the line comes after the signal handlers
    while "后台任务进程已启动" not in (tmp_path / "term.log").read_text():
        assert worker.poll() is None and time.monotonic() < deadline, (tmp_path / "term.log").read_text()
        time.sleep(0.05)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0, (tmp_path / "term.log").read_text()


def test_worker_anchors_the_audit_chain_head(tmp_path):
    """The running worker signs the chain's head into the checkpoint file (issue 12, ADR 0019) — the file
    and key under its XINYONG_HOME — and `audit verify` with that file and key finds the chain intact."""
    import io

    from django.core.management import call_command

    from xinyong.audit.anchor import checkpoints_read
    from xinyong.audit.services import audit_append

    with transaction.atomic():
        audit_append(actor=Actor.system(), action="test.write", target_type="thing", now=now())
    anchors = tmp_path / "home" / "audit_anchors.jsonl"
    worker = _worker(tmp_path, "--anchor-every", "0.2", log="anchor.log")
    try:
        deadline = time.monotonic() + 60
        while not (anchors.exists() and anchors.read_text().endswith("\n")):
            assert worker.poll() is None and time.monotonic() < deadline, (
                tmp_path / "anchor.log"
            ).read_text()
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
    with override_settings(XINYONG_HOME=tmp_path / "home", XINYONG_AUDIT_ANCHOR_FILE=anchors):
        assert [(p.seq, p.line) for p in checkpoints_read()] == [(1, 1)]
        out = io.StringIO()
        call_command("audit_verify", stdout=out)
    assert "与 1 个锚定检查点相符（最近锚定第 1 号事件" in out.getvalue()
