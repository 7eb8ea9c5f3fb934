"""Re-emit a service's Observable as a Qt signal (the electrum adapter pattern).

Services and Qt share one thread (the qasync loop), so the callback may emit
directly; keeping the unsubscribe lets a facade re-bind to a new session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class _Observable(Protocol):
    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...


class Subscriptions:
    """The subscriptions a facade holds for its current binding."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def add(self, observable: _Observable, callback: Callable[[Any], None]) -> None:
        self._undo.append(observable.subscribe(callback))

    def clear(self) -> None:
        while self._undo:
            self._undo.pop()()
