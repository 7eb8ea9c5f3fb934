"""Run coroutines on a qasync loop inside pytest-qt tests (no pytest-asyncio).

The test body is a coroutine run with ``loop.run_until_complete``: Qt events
and asyncio tasks then progress together, exactly as in the app.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


class QtLoop:
    """``run(coro)`` runs the test body, then the registered finalizers, in ONE loop run.

    Stopping apps inside the same run matters: between loop runs pytest-qt
    processes Qt events, and a qasync callback fired then has no running loop.
    """

    def __init__(self, loop: qasync.QEventLoop) -> None:
        self.loop = loop
        self.finalizers: list[Callable[[], Awaitable[object]]] = []

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        async def body() -> T:
            try:
                return await asyncio.wait_for(coro, timeout)
            finally:
                while self.finalizers:
                    await self.finalizers.pop()()

        return self.loop.run_until_complete(body())


async def wait_until(predicate: Callable[[], object], within: float = 10.0,
                     what: str = "condition") -> None:
    """Poll ``predicate`` while the loop (and Qt) keeps running."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(0.02)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[QtLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield QtLoop(loop)
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        asyncio.set_event_loop(None)
