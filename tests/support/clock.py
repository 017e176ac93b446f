"""One clock for the tests (issue 17): freeze and move the time every reader of it sees.

The code reads the time in two ways: `xinyong.core.timeutil.now()` (API views, admin actions, commands and the
token middleware, which hand it to the services as `now`), and Django's `timezone.now()` (sessions, login
throttling, a selector's default day). `clock_freeze` makes both answer the clock's instant; the `clock`
fixture of the root conftest calls it, and a test moves the clock with `clock.set(...)` or
`clock.advance(...)`. Instants are handed out in UTC, as `timeutil.now()` gives them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xinyong.core import timeutil

NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 2026-11-02, 10:00 in Beijing


class Clock:
    """A frozen instant that the test sets or advances; calling it reads it."""

    def __init__(self, instant: dt.datetime = NOW) -> None:
        self.set(instant)

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, instant: dt.datetime) -> dt.datetime:
        assert instant.tzinfo is not None, "the clock holds aware instants"
        self.now = instant.astimezone(dt.UTC)
        return self.now

    def advance(self, **delta) -> dt.datetime:
        """Move the clock forward by a timedelta's arguments (days=, hours=, …)."""
        return self.set(self.now + dt.timedelta(**delta))


def clock_freeze(monkeypatch, instant: dt.datetime = NOW) -> Clock:
    """Freeze every reader of the time at `instant` until the test ends (monkeypatch undoes it)."""
    clock = Clock(instant)
    monkeypatch.setattr(timeutil, "_read_clock", clock)
    monkeypatch.setattr(timezone, "now", clock)
    return clock
