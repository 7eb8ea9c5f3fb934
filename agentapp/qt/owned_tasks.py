"""The tasks a facade starts from Qt slots: kept, their failures logged, cancellable.

A slot cannot await, so a facade hands its coroutine here; keeping a reference
stops the task being garbage-collected mid-flight, and a failure is logged
rather than lost in an unretrieved exception.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class OwnedTasks:
    def __init__(self, what: str) -> None:
        self._what = what  # names the owner in the log ("audio task failed")
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def run(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s task failed", self._what, exc_info=task.exception())

    def cancel_all(self) -> None:
        """Cancel every pending task except the one asking (it may be among them)."""
        current = asyncio.current_task() if _loop_running() else None
        for task in list(self._tasks):
            if task is not current:
                task.cancel()

    async def drain(self) -> None:
        """Wait until every task started so far, and any they start, has finished."""
        current = asyncio.current_task()
        while pending := [t for t in self._tasks if t is not current]:
            await asyncio.gather(*pending, return_exceptions=True)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
