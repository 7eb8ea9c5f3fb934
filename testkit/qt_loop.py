"""Coroutines on a qasync loop (asyncio inside the Qt loop), as the app runs them.

The test or bench body is a coroutine run with ``loop.run_until_complete``: Qt
events and asyncio tasks then progress together, exactly as in the app, with
no pytest-asyncio and no second thread.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import qasync
from PySide6.QtWidgets import QApplication

from agentapp.qt import main_thread_gc

T = TypeVar("T")


def qt_app() -> QApplication:
    """The process's QApplication (pytest-qt's ``qapp`` when it made one)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    main_thread_gc.install(app)  # as the app does: no Qt object dies on a worker thread
    return app


def open_loop(app: QApplication) -> qasync.QEventLoop:
    """A fresh qasync loop on ``app``, set as the current event loop."""
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    return loop


def close_loop(loop: qasync.QEventLoop) -> None:
    """Cancel what is still pending (and let it finish), then close the loop."""
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()
    asyncio.set_event_loop(None)


class QtLoop:
    """``run(coro)`` runs the body, then the registered finalizers, in ONE loop run.

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


def run_qt(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run one coroutine on a fresh qasync loop and close the loop after."""
    loop = open_loop(qt_app())
    try:
        return loop.run_until_complete(factory())
    finally:
        close_loop(loop)
