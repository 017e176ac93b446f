"""The oversight tests' clock and actor."""

import datetime as dt

from xinyong.core.actor import Actor

T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
ACTOR = Actor(label="system:test", roles=frozenset({"admin"}))
