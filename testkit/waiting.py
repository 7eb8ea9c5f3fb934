"""Wait for a condition with a deadline, instead of sleeping and then counting.

A fixed sleep is either too short on a loaded machine (flaky) or too long on
an idle one (slow); a deadline is only reached when something is really wrong.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def wait_until(predicate: Callable[[], object], within: float = 10.0,
                     what: str = "condition", *, interval: float = 0.02,
                     error: type[Exception] = AssertionError) -> None:
    """Poll ``predicate`` while the running loop (and Qt, on qasync) keeps working.

    Raises ``error`` naming ``what`` when ``within`` seconds pass first.
    """
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise error(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


async def poll_until(check: Callable[[], Awaitable[object]], within: float = 10.0,
                     what: str = "condition", *, interval: float = 0.05) -> None:
    """:func:`wait_until` for a condition that needs I/O to answer (one request per try)."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


def wait_for(predicate: Callable[[], T | None], within: float = 15.0,
             what: str = "condition", *, interval: float = 0.05) -> T:
    """Blocking twin of :func:`wait_until` for code without a loop; returns the value."""
    deadline = time.monotonic() + within
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")
        time.sleep(interval)
