"""Owned background tasks: cancelled, and waited for, when their owner stops."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable


async def cancel_and_wait(tasks: Iterable[asyncio.Task[object] | None]) -> None:
    """Cancel every task, then wait until each has really finished (its cleanup ran)."""
    owned = [t for t in tasks if t is not None]
    for task in owned:
        task.cancel()
    for task in owned:
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def cancel_until_done(task: asyncio.Task[object] | None, every_s: float = 0.2) -> None:
    """Cancel ``task`` again and again until it has finished.

    For tasks inside nats-py: its flush swallows ``CancelledError`` (nats-py 2.16,
    ``Client._send_command``), so one cancel that lands there is lost and the
    task (say, retrying a refused login forever) would never end.
    """
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=every_s)
    with contextlib.suppress(asyncio.CancelledError, Exception):
        task.result()
