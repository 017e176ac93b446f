"""`xinyong up` prepares everything twice without changing anything the second time; it really serves."""

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify
from xinyong.catalog.models import Category
from xinyong.commitments.models import CommitmentTemplate, Course
from xinyong.oversight.models import PlanTask


@pytest.mark.django_db
def test_up_twice_is_harmless():
    out = io.StringIO()
    call_command("up", "--no-serve", stdout=out)
    counts = (
        Unit.objects.count(),
        Category.objects.count(),
        PlanTask.objects.count(),
        AuditEvent.objects.count(),
    )
    assert counts[:3] == (77, Category.objects.count(), 55)
    assert "准备完成" in out.getvalue()
    assert "承诺模板与培训课程：承诺模板 4 个，培训课程 3 个：新增 7，更新 0，停用 0" in out.getvalue()
    assert (CommitmentTemplate.objects.count(), Course.objects.count()) == (4, 3)
    call_command("up", "--no-serve", stdout=io.StringIO())
    again = (
        Unit.objects.count(),
        Category.objects.count(),
        PlanTask.objects.count(),
        AuditEvent.objects.count(),
    )
    assert again == counts
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_demo_data_is_valid_and_loaded_once():
    from xinyong.ops.demo import demo_load
    from xinyong.subjects.models import Subject

    call_command("up", "--no-serve", stdout=io.StringIO())
    from xinyong.core.actor import Actor
    from xinyong.core.timeutil import now

    first = demo_load(actor=Actor.system(), now=now(), size=200)
    assert first.startswith("新建 ")
    count = Subject.objects.count()
    assert 190 <= count <= 200
    assert demo_load(actor=Actor.system(), now=now(), size=200) == "已载入（跳过）"
    assert Subject.objects.count() == count
    assert Subject.objects.filter(kind="natural_person").exists()
    assert Subject.objects.values("district").distinct().count() > 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.mark.slow
def test_xinyong_up_serves_over_http(tmp_path: Path):
    """The README's start command on a fresh data directory: real gunicorn serving API and static files."""
    port = _free_port()
    env = {**os.environ, "XINYONG_HOME": str(tmp_path / "home")}
    env.pop("XINYONG_DATABASE_URL", None)  # the embedded default: SQLite under XINYONG_HOME
    cmd = [sys.executable, "-m", "xinyong.cli", "up", "--port", str(port), "--workers", "1"]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _, body = _get(base + "/api/v1/openapi.json", timeout=1)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.3)
        else:
            pytest.fail("server did not start within 120 s")
        assert status == 200
        assert json.loads(body)["info"]["title"].startswith("信用")
        status, headers, body = _get(base + "/api/v1/subjects/91110000802100433X")
        assert status == 400
        assert headers["Content-Type"].startswith("application/problem+json")
        assert json.loads(body)["code"] == "uscc.check_character"
        status, _, _ = _get(base + "/static/admin/css/base.css")
        assert status == 200
        status, _, body = _get(base + "/api/v1/plan/tasks")
        assert status == 200
        assert len(json.loads(body)["items"]) == 55
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
