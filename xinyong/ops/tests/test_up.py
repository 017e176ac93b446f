"""`xinyong up` prepares everything twice without changing anything the second time; it really serves."""

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.processes import free_port as _free_port
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


@pytest.mark.django_db
def test_demo_tells_a_story_once_and_prints_working_tokens():
    """Issue 13: `up --demo` loads records of two units, a published black-list and red-list entry, an
    objection in progress, a repair decided, a tip-off and checks with feedback due, through the services,
    and prints codes, a token per role and a query code that work against the API; the second run adds
    nothing."""
    from xinyong.accounts.roles import ALL_ROLES as ROLES
    from xinyong.lists.models import ListEntry
    from xinyong.measures.models import Check
    from xinyong.records.models import Record
    from xinyong.remedies.models import Objection, RepairApplication

    out = io.StringIO()
    call_command("up", "--no-serve", "--demo", "--demo-size", "20", stdout=out)
    text = out.getvalue()
    assert "演示情节：记录 7，名单 2，异议 1，修复 1，举报 1，核查 2" in text
    story = Record.objects.filter(doc_no__contains="〔演示〕", is_current=True)
    assert sorted(story.values_list("unit__code", "category__code", "status")) == [
        ("bj-caizhengju", "ZFCG", "published"),  # the government body's (issue 16)
        ("bj-gongshangju", "CF", "published"),
        ("bj-gongshangju", "CF", "repaired"),
        ("bj-gongshangju", "CF", "under_objection"),
        ("bj-gongshangju", "XK", "published"),
        ("bj-gongshangju", "XK", "published"),
        ("bj-shiyaojianju", "CF", "published"),
        ("bj-shiyaojianju", "XK", "published"),
    ]
    assert sorted(ListEntry.objects.filter(state="published").values_list("list_type__code", flat=True)) == [
        "cxdx-hmd",
        "scjg-yzsx",
    ]
    assert list(Objection.objects.values_list("state", flat=True)) == ["with_provider"]
    assert list(RepairApplication.objects.values_list("state", flat=True)) == ["approved"]
    assert Check.objects.filter(feedback_due__isnull=False).count() == 2
    _assert_console_demo(text)

    client = Client()
    tokens = dict(re.findall(r"  (\w+) 令牌：(\S+)", text))
    assert sorted(tokens) == sorted(ROLES)
    for role, secret in tokens.items():
        answer = client.get("/api/v1/units/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert (answer.status_code, answer.json()["role"]) == (200, role), answer.content
    code = re.search(r"举报查询码：(\S+)（", text).group(1)
    assert client.get("/api/v1/tipoffs/progress", {"code": code}).status_code == 200
    for uscc in re.findall(r"可查询的主体：\S+ (\S+)", text):
        assert client.get(f"/api/v1/subjects/{uscc}").status_code == 200

    events = AuditEvent.objects.count()
    again = io.StringIO()
    call_command("up", "--no-serve", "--demo", "--demo-size", "20", stdout=again)
    assert "演示情节已载入（跳过）" in again.getvalue()
    assert AuditEvent.objects.count() == events
    assert audit_chain_verify().ok


def _assert_console_demo(text: str) -> None:
    """Issue 16: the console's officers as people with their set-password links, a district bureau with a
    政务失信 record received from 市财政局, a plan report awaiting the credit office, and the month's metrics
    and evaluations computed — each with its audit event."""
    from xinyong.accounts.models import User
    from xinyong.core.timeutil import business_date, now
    from xinyong.evaluation.models import Evaluation
    from xinyong.govintegrity.models import DistrictEvaluation
    from xinyong.metrics.models import UnitMonthFigure
    from xinyong.oversight.models import PlanProgressReport
    from xinyong.oversight.periods import periods_started
    from xinyong.records.models import Record
    from xinyong.subjects.models import Subject

    people = User.objects.filter(username__startswith="demo-", unit__isnull=False).order_by("username")
    assert [
        (u.username, u.unit.code, u.roles, u.full_name, u.is_staff, u.has_usable_password()) for u in people
    ] == [
        ("demo-gsj-officer", "bj-gongshangju", ["data_officer"], "王芳", True, False),
        ("demo-xxw-reviewer", "bj-jingxinwei", ["reviewer"], "刘洋", True, False),
    ]
    links = dict(re.findall(r"  \S+：用户名 (\S+)，设置密码 (\S+)", text))
    assert sorted(links) == ["demo-gsj-officer", "demo-xxw-reviewer"]
    # a valid link moves its token into the session (Django's PasswordResetConfirmView); a spent one would not
    answer = Client().get(links["demo-xxw-reviewer"].removeprefix("http://127.0.0.1:8000"))
    assert (answer.status_code, answer.url.rsplit("/", 2)[-2]) == (302, "set-password")
    body = Subject.objects.get(uscc="11110105000005311D")
    assert (body.kind, body.name, body.district) == (
        "government_body",
        "北京市朝阳区园林绿化局",
        "bj-chaoyang",
    )
    record = Record.objects.get(subject=body, is_current=True)
    assert (record.category.code, record.unit.code, record.doc_no, record.status, record.severity) == (
        "ZFCG", "bj-caizhengju", "京财采处〔演示〕1号", "published", "general"
    )  # fmt: skip
    today = business_date(now())
    report = PlanProgressReport.objects.get()
    officer = people.get(username="demo-gsj-officer")
    assert (report.task.number, report.unit.code, report.state, report.progress, report.created_by) == (
        28, "bj-gongshangju", "submitted", "on_track", f"user:{officer.pk}"
    )  # fmt: skip
    assert report.period == periods_started(on=today)[0].code
    month = today.replace(day=1)
    assert f"控制台：/console/（首次登录时绑定身份验证器；{month:%Y-%m} 的统计与考核已计算）" in text
    assert UnitMonthFigure.objects.filter(month=month).exists()
    assert sorted(Evaluation.objects.filter(month=month).values_list("kind", flat=True)) == [
        "district",
        "unit",
    ]
    chaoyang = DistrictEvaluation.objects.get(month=month, district="bj-chaoyang")
    assert DistrictEvaluation.objects.filter(month=month).count() == 16
    assert chaoyang.rank == 16  # the only district with a 政务失信 record this month
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"account.create", "plan_report.submit", "metrics.refresh", "evaluation.compute"} <= actions
    assert "govintegrity.district_evaluation" in actions


def test_public_url_follows_the_bind():
    """Issue 13: without XINYONG_PUBLIC_URL the verify link names the port that serves."""
    from xinyong.ops.management.commands.up import public_url_derive

    assert public_url_derive("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert public_url_derive("::1", 8123) == "http://[::1]:8123"
    assert public_url_derive("0.0.0.0", 9000) == f"http://{socket.gethostname()}:9000"


def _get(url: str, timeout: float = 60.0) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "XINYONG_HOME": str(home), **extra}
    env.pop("XINYONG_DATABASE_URL", None)  # the embedded default: SQLite under XINYONG_HOME
    if "XINYONG_PUBLIC_URL" not in extra:
        env.pop("XINYONG_PUBLIC_URL", None)
    return env


def _wait_for(predicate, *, timeout: float, what: str, proc: subprocess.Popen | None = None, log=None):
    """Poll until `predicate()` is true (readiness, not a fixed sleep); fail with the log after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            pytest.fail(
                f"process exited ({proc.returncode}) before {what}:\n{log.read_text() if log else ''}"
            )
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {timeout:g} s:\n{log.read_text() if log else ''}")


@pytest.fixture(scope="module")
def prepared_home(tmp_path_factory) -> Path:
    """A fresh data directory prepared once by `xinyong up --no-serve` (migrations, reference data)."""
    home = tmp_path_factory.mktemp("up") / "home"
    done = subprocess.run(
        [sys.executable, "-m", "xinyong.cli", "up", "--no-serve"],
        env=_env(home),
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    return home


def _up(home: Path, log: Path, *args: str, **env: str) -> tuple[subprocess.Popen, int]:
    """`xinyong up` as a user starts it, waited for until it prints its readiness line and its port answers."""
    port = _free_port()
    cmd = [sys.executable, "-m", "xinyong.cli", "up", "--port", str(port), "--workers", "1", *args]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=_env(home, **env), stdout=out, stderr=subprocess.STDOUT)
    _wait_for(lambda: "服务已就绪" in log.read_text(), timeout=300, what="readiness", proc=proc, log=log)
    # front, gunicorn's arbiter and its one sync worker, the background worker
    _wait_for(lambda: len(_children(proc.pid)) == 4, timeout=60, what="four children", proc=proc, log=log)
    return proc, port


def _children(pid: int) -> dict[int, str]:
    """Every live descendant of `pid` (from /proc): pid → command line."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found[child] = _cmdline(child)
                frontier.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _environ(pid: int) -> dict[str, str]:
    raw = (Path("/proc") / str(pid) / "environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def _assert_all_stop(proc: subprocess.Popen, children: dict[int, str], log: Path, *, status: int) -> None:
    assert proc.wait(timeout=40) == status, log.read_text()
    _wait_for(lambda: not any(_alive(pid) for pid in children), timeout=10, what="every child stopping")


def _kinds(children: dict[int, str]) -> list[str]:
    return sorted(
        next(k for k in ("front", "gunicorn", "worker") if k in cmd) for cmd in children.values() if cmd
    )


@pytest.mark.slow
def test_xinyong_up_serves_through_the_front_and_sigterm_stops_every_child(prepared_home: Path, tmp_path):
    """The README's start command: front → gunicorn (1 worker) → API and static files; SIGTERM to up's PID
    stops the front, gunicorn with its worker, and the background worker (issue 13: no orphan)."""
    log = tmp_path / "up.log"
    proc, port = _up(prepared_home, log)
    try:
        children = _children(proc.pid)
        assert _kinds(children) == ["front", "gunicorn", "gunicorn", "worker"]
        base = f"http://127.0.0.1:{port}"
        status, _, body = _get(base + "/api/v1/openapi.json")
        assert status == 200
        assert json.loads(body)["info"]["title"].startswith("信用")
        status, headers, body = _get(base + "/api/v1/subjects/91110000802100433X")
        assert status == 400
        assert headers["Content-Type"].startswith("application/problem+json")
        assert json.loads(body)["code"] == "uscc.check_character"
        assert _get(base + "/static/admin/css/base.css")[0] == 200
        status, _, body = _get(base + "/api/v1/plan/tasks")
        assert (status, len(json.loads(body)["items"])) == (200, 55)
        # issue 13: the verify URL follows the bound port, with a warning, and reaches the children
        public = f"http://127.0.0.1:{port}"
        assert f"警告：未设置 XINYONG_PUBLIC_URL，报告核验链接与推送中的链接使用 {public}" in log.read_text()
        assert {_environ(pid)["XINYONG_PUBLIC_URL"] for pid in children} == {public}
        # gunicorn's access log names the client (PROXY line from the front), not the front's socket
        line = '"GET /api/v1/plan/tasks HTTP/1.1" 200'  # written after the answer is sent: wait for it
        _wait_for(lambda: line in log.read_text(), timeout=10, what="the access log line of that request")
        assert "127.0.0.1 - - [" in log.read_text().split(line)[0].rsplit("\n", 1)[-1]
        # issue 12: a resident ID in a URL reaches the access log masked (xinyong.config.gunicorn)
        _get(base + "/api/v1/subjects/11010519491231002X")
        _wait_for(
            lambda: "/api/v1/subjects/110105" in log.read_text(), timeout=5, what="the lookup's log line"
        )
        assert "11010519491231002X" not in log.read_text()
        assert "/api/v1/subjects/110105********002X" in log.read_text()
        assert {p.name for p in (prepared_home / "run").iterdir()} >= {"gunicorn.sock", "gunicorn.pid"}
        assert (prepared_home / "run").stat().st_mode & 0o777 == 0o700
    finally:
        proc.send_signal(signal.SIGTERM)
    _assert_all_stop(proc, children, log, status=0)
    assert "收到信号 SIGTERM，停止全部服务" in log.read_text()


@pytest.mark.slow
def test_sigint_to_up_stops_every_child(prepared_home: Path, tmp_path):
    log = tmp_path / "up.log"
    proc, _port = _up(prepared_home, log, XINYONG_PUBLIC_URL="https://xinyong.beijing.example")
    children = _children(proc.pid)
    try:
        assert _kinds(children) == ["front", "gunicorn", "gunicorn", "worker"]
        assert {_environ(pid)["XINYONG_PUBLIC_URL"] for pid in children} == {
            "https://xinyong.beijing.example"
        }
        assert "未设置 XINYONG_PUBLIC_URL" not in log.read_text()
    finally:
        proc.send_signal(signal.SIGINT)
    _assert_all_stop(proc, children, log, status=0)


@pytest.mark.slow
def test_a_dead_child_stops_up_and_the_others(prepared_home: Path, tmp_path):
    log = tmp_path / "up.log"
    proc, _port = _up(prepared_home, log)
    children = _children(proc.pid)
    worker = next(pid for pid, cmd in children.items() if "xinyong.cli worker" in cmd)
    os.kill(worker, signal.SIGKILL)
    _assert_all_stop(proc, children, log, status=1)
    assert "子进程 worker 已退出（退出码 -9），停止全部服务" in log.read_text()
