"""A session clock whose local time of day the test sets; the rest stays real.

Only the agent's local time of day is pinned (calling hours). Epoch time stays
the machine's: the sandbox stamps and signs webhooks with it, and timelines
and deadlines are measured with it. The date is fixed too, so nothing can
depend on the machine's calendar or time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time

from agentapp.composition import SessionClock

NOON = time(12, 0)
PINNED_DAY = date(2026, 3, 11)  # a Wednesday, far from any DST change


class LocalTime:
    """The agent's wall clock, set by the test: ``clock.at = time(22, 30)``."""

    def __init__(self, at: time = NOON) -> None:
        self.at = at

    def now(self) -> datetime:
        return datetime.combine(PINNED_DAY, self.at)

    def session_clock(self) -> SessionClock:
        return SessionClock(local_now=self.now)
