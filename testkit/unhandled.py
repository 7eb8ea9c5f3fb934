"""Record every exception nobody handled, so a test can assert there was none.

The app installs its own ``sys.excepthook`` and loop exception handler
(``logging_setup.install_excepthook``, ``app._log_loop_error``); an exception
that reaches either is a bug (the agent gets the "unexpected error" dialog,
or a background task died silently). Under test those hooks are left out
(``install_hooks=False``), so this recorder takes their place: it catches
what reaches ``sys.excepthook`` (Qt slots, qasync ``asyncSlot`` tasks),
``threading.excepthook``, ``sys.unraisablehook`` and the running loop's
exception handler ("Task exception was never retrieved"), logs each one and
keeps it. ``recorder.problems`` must be empty at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Unhandled:
    where: str  # excepthook | thread | unraisable | loop
    summary: str  # the exception type and message, or the loop's message

    def __str__(self) -> str:
        return f"{self.where}: {self.summary}"


@dataclass
class UnhandledRecorder:
    problems: list[Unhandled] = field(default_factory=list)

    def _keep(self, where: str, exc: BaseException | None, message: str = "") -> None:
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip() if exc else ""
        summary = " | ".join(part for part in (message, text) if part)
        self.problems.append(Unhandled(where, summary))
        log.error("unhandled (%s): %s", where, summary,
                  exc_info=(type(exc), exc, exc.__traceback__) if exc else None)

    def excepthook(self, exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        self._keep("excepthook", exc)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self._keep(f"thread {args.thread.name if args.thread else '?'}", args.exc_value)

    def unraisable_hook(self, unraisable: Any) -> None:
        self._keep("unraisable", unraisable.exc_value, str(unraisable.err_msg or ""))

    def loop_handler(self, _loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        self._keep("loop", exc if isinstance(exc, BaseException) else None,
                   str(context.get("message", "")))

    def describe(self) -> str:
        return "; ".join(str(p) for p in self.problems) or "none"


@contextlib.contextmanager
def record_unhandled(loop: asyncio.AbstractEventLoop | None = None
                     ) -> Iterator[UnhandledRecorder]:
    """Install the recorder on ``sys``, ``threading`` and ``loop`` (default: the
    current event loop); everything is put back on exit."""
    recorder = UnhandledRecorder()
    loop = loop or asyncio.get_event_loop()
    saved = (sys.excepthook, threading.excepthook, sys.unraisablehook,
             loop.get_exception_handler())
    sys.excepthook = recorder.excepthook
    threading.excepthook = recorder.thread_hook
    sys.unraisablehook = recorder.unraisable_hook
    loop.set_exception_handler(recorder.loop_handler)
    try:
        yield recorder
    finally:
        sys.excepthook, threading.excepthook, sys.unraisablehook = saved[:3]
        loop.set_exception_handler(saved[3])
