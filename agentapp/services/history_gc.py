"""Hold off Python's cyclic garbage collector while a history sync handles big answers.

Measured (``python -m bench history``, 100,000 calls): the event-loop stalls
during a full sync were the collector's full (generation 2) passes, 170-320 ms
each, triggered because a sync creates about a million short-lived objects
(decoded JSON, records, rows) that survive a collection or two. A pass holds
the GIL (and, with ``qt/main_thread_gc``, runs on the UI thread itself), so the
window freezes for its whole length.

The sync's objects hold no reference cycles (reference counting frees them as
soon as a step drops them), so holding collections off for the length of a
step loses nothing: cycles other code makes meanwhile are collected a few
seconds later. The hold raises the first generation's threshold out of reach
and restores it afterwards, which stops both Python's automatic collections
and ``qt/main_thread_gc``'s timer (it collects only past the same thresholds),
without touching who is allowed to collect. Holds nest (counted).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
_OUT_OF_REACH = 1 << 30


class _Holds:
    depth = 0
    thresholds: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def collector_paused() -> Iterator[None]:
    """``with collector_paused():`` no cyclic collection passes inside."""
    if _Holds.depth == 0:
        _Holds.thresholds = gc.get_threshold()
        if _Holds.thresholds[0]:  # 0 means collection is off already: leave it so
            gc.set_threshold(_OUT_OF_REACH, *_Holds.thresholds[1:])
    _Holds.depth += 1
    try:
        yield
    finally:
        _Holds.depth -= 1
        if _Holds.depth == 0:
            gc.set_threshold(*_Holds.thresholds)


def pauses_collector(step: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Decorate a coroutine function: no collection passes while it runs."""

    @functools.wraps(step)
    async def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        with collector_paused():
            return await step(*args, **kwargs)

    return paused
