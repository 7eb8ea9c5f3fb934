"""Calling-hours window (including overnight) and the session value."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta, timezone

import pytest

from agentapp.core.calling_hours import is_within
from agentapp.core.session import Session


@pytest.mark.parametrize(
    ("clock", "inside"),
    [("08:59", False), ("09:00", True), ("13:30", True), ("20:59", True), ("21:00", False)],
)
def test_default_window(clock: str, inside: bool) -> None:
    now = datetime.fromisoformat(f"2026-11-26T{clock}:00")
    assert is_within(now) is inside


@pytest.mark.parametrize(
    ("clock", "inside"), [("21:59", False), ("22:00", True), ("02:00", True), ("06:00", False)]
)
def test_window_crossing_midnight(clock: str, inside: bool) -> None:
    now = datetime.fromisoformat(f"2026-11-26T{clock}:00")
    assert is_within(now, time(22, 0), time(6, 0)) is inside


def test_aware_datetimes_use_their_wall_clock() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    assert is_within(datetime(2026, 11, 26, 10, 0, tzinfo=ist))
    assert is_within(datetime(2026, 11, 26, 3, 0), time(0, 0), time(0, 0))


def test_session_is_frozen() -> None:
    session = Session("http://127.0.0.1:1", "2101", "+911143104567", is_sandbox=True)
    assert session.agent_name == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        session.ext_no = "2102"  # type: ignore[misc]
