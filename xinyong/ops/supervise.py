"""The process supervisor behind `xinyong up` (issue 13): it starts the children (front, gunicorn, worker),
and any stop of `up` — SIGTERM, SIGINT (Ctrl-C), SIGHUP, or one child dying — stops every child and exits.
No child outlives `up`: each runs in its own process group (a terminal's Ctrl-C reaches only `up`, which
then stops them in order) and asks the kernel for SIGTERM if `up` itself is killed (PR_SET_PDEATHSIG).
Standard library only."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the signal handlers of `up` still cover normal stops
        pass


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    proc: subprocess.Popen | None = None


@dataclass
class Supervisor:
    """Start children in order, watch them, stop them in reverse order (front first, worker last)."""

    say: Callable[[str], None]
    grace: float = 15.0
    children: list[Child] = field(default_factory=list)
    _stop_signal: int | None = None

    def start(self, name: str, argv: Sequence[str], env: dict[str, str]) -> subprocess.Popen:
        proc = subprocess.Popen(list(argv), env=env, process_group=0, preexec_fn=_die_with_parent)
        self.children.append(Child(name, argv, proc))
        return proc

    def install_signal_handlers(self) -> None:
        for sig in STOP_SIGNALS:
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame) -> None:
        self._stop_signal = signum

    def dead_child(self) -> Child | None:
        return next((c for c in self.children if c.proc and c.proc.poll() is not None), None)

    def wait(
        self, *, ready: Callable[[], bool] | None = None, on_ready: Callable[[], None] | None = None
    ) -> int:
        """Block until a stop signal or a child's death; then stop all. Exit status: 0 on a signal, 1 on a
        child's death. `ready` is polled until true once, then `on_ready` runs (the readiness log line)."""
        try:
            while self._stop_signal is None:
                dead = self.dead_child()
                if dead:
                    self.say(f"子进程 {dead.name} 已退出（退出码 {dead.proc.returncode}），停止全部服务")
                    return 1
                if ready is not None and ready():
                    ready = None
                    if on_ready:
                        on_ready()
                time.sleep(0.1)
            self.say(f"收到信号 {signal.Signals(self._stop_signal).name}，停止全部服务 …")
            return 0
        finally:
            self.stop_all()

    def stop_all(self) -> None:
        """SIGTERM each live child, newest first; wait `grace` seconds in all; SIGKILL what remains."""
        for sig in STOP_SIGNALS:  # a second Ctrl-C must not interrupt the orderly stop
            signal.signal(sig, signal.SIG_IGN)
        live = [c for c in reversed(self.children) if c.proc and c.proc.poll() is None]
        for child in live:
            child.proc.terminate()
        deadline = time.monotonic() + self.grace
        for child in live:
            try:
                child.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"子进程 {child.name} 未在 {self.grace:g} 秒内停止，强制结束")
                os.killpg(child.proc.pid, signal.SIGKILL)
                child.proc.wait()
