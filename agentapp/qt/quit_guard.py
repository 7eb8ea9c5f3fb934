"""Quitting asks first when something would be lost or left behind.

Each feature adds one small check (a callable returning a sentence, or "" when
all is well): a live call today, pending dispositions from another branch. One
question lists every reason; its default is No.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtWidgets import QMessageBox

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
