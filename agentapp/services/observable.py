"""A tiny typed observable value: how services tell the UI (via Qt facades) what changed.

Plain callbacks keep services Qt-free; a facade subscribes and re-emits a
Signal. One failing subscriber is logged and must not starve the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


class Observable(Generic[T]):
    """Holds the latest value and calls subscribers synchronously on every ``emit``."""

    def __init__(self, initial: T) -> None:
        self._value = initial
        self._subscribers: list[Callable[[T], None]] = []

    @property
    def value(self) -> T:
        return self._value

    def subscribe(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Call ``callback`` on each change; returns the function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def emit(self, value: T) -> None:
        self._value = value
        for callback in list(self._subscribers):
            try:
                callback(value)
            except Exception:
                log.exception("subscriber %r failed", callback)

    def set(self, value: T) -> None:
        """Emit only when ``value`` differs from the current one (state, not events)."""
        if value != self._value:
            self.emit(value)
