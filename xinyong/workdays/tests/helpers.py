"""Constants shared by the calendar tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xinyong.core.actor import Actor

SAMPLE_2027 = Path(__file__).resolve().parent.parent / "data" / "calendar-2027-sample.yaml"
T0 = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
ACTOR = Actor(label="user:7", unit_code="xyb", roles=frozenset({"admin"}), user_id=7, request_id="t-cal")
