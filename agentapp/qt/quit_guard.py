"""Quitting asks first when something would be lost or left behind.

Each feature adds one small check (a callable returning a sentence, or "" when
all is well): a live call today, pending dispositions from another branch. One
question lists every reason; its default is No. ``QuitFlow`` adds what can only
be counted asynchronously (dispositions not on the server yet) before asking.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from PySide6.QtWidgets import QMessageBox

from agentapp.services.disposition_outbox import OutboxCounts
from agentapp.ui.disposition_badge import quit_question

QuitCheck = Callable[[], str]
QUIT_TITLE = "Quit Agent Companion?"
QUIT_ANYWAY = "\n\nQuit anyway?"


class Asks(Protocol):
    def __call__(self, title: str, text: str, on_yes: Callable[[], None]) -> QMessageBox: ...


class QuitGuard:
    """``request()`` quits at once, or asks on the main window (``ask``) and quits on Yes."""

    def __init__(self, ask: Asks, quit_now: Callable[[], None]) -> None:
        self._ask = ask
        self._quit_now = quit_now
        self._checks: list[QuitCheck] = []
        self._question: QMessageBox | None = None

    def add(self, check: QuitCheck) -> None:
        self._checks.append(check)

    def reasons(self) -> list[str]:
        return [reason for check in self._checks if (reason := check())]

    def request(self, extra: Sequence[str] = ()) -> None:
        """``extra``: reasons found asynchronously by the caller (unsent dispositions)."""
        reasons = [*self.reasons(), *extra]
        if not reasons:
            self._quit_now()
            return
        if self._question is not None and self._question.isVisible():
            self._question.raise_()  # Ctrl+Q twice: one question, not two
            return
        text = "\n\n".join(reasons) + QUIT_ANYWAY
        self._question = self._ask(QUIT_TITLE, text, self._quit_now)


def live_call_reason(live_calls: Callable[[], int]) -> QuitCheck:
    """The live-call check: the call itself goes on (it is on the phone), the app stops
    following it."""
    def check() -> str:
        count = live_calls()
        if not count:
            return ""
        calls = "A call is" if count == 1 else f"{count} calls are"
        return (f"{calls} in progress. Quitting stops following it here; the call itself "
                "goes on on your phone.")
    return check


class Settles(Protocol):
    """What quitting reads of the dispositions (``DispositionFacade``)."""

    def settled_counts(self) -> Awaitable[OutboxCounts]: ...


async def unsent_dispositions(dispositions: Settles) -> str:
    """Dispositions not on the server yet, in words ("" when all are sent). Saves and
    drafts in progress reach the store first, so the count is the truth."""
    counts = await dispositions.settled_counts()
    return quit_question(counts.pending, counts.failed).removesuffix(QUIT_ANYWAY) \
        if counts.total else ""


class QuitFlow:
    """Quit, but first say so when dispositions are not on the server yet (issue 10)."""

    def __init__(self, guard: QuitGuard, unsent: Callable[[], Awaitable[str]],
                 raise_window: Callable[[], None]) -> None:
        """``unsent``: the async reason (see ``unsent_dispositions``); ``raise_window``
        brings the window back for the question (the close button may have hidden it)."""
        self._guard = guard
        self._unsent = unsent
        self._raise_window = raise_window
        self._tasks: set[asyncio.Task[None]] = set()

    def request(self) -> None:
        task = asyncio.ensure_future(self._ask())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ask(self) -> None:
        unsent = await self._unsent()
        extra = [unsent] if unsent else []
        if extra or self._guard.reasons():
            self._raise_window()
        self._guard.request(extra)  # one question: dispositions, a live call, ...
