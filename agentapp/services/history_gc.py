"""Hold off Python's cyclic garbage collector while a history sync handles big answers.

Measured (``python -m bench history``, 100,000 calls): the event-loop stalls
during a full sync were the collector's full (generation 2) passes, 170-320 ms
each, triggered because a sync creates about a million short-lived objects
(decoded JSON, records, rows) that survive a collection or two. The collector
runs in whichever thread allocates, holding the GIL, so the loop (the UI
thread under qasync) freezes for the whole pass.

The sync's objects hold no reference cycles (they are freed by reference
counting as soon as a step drops them), so pausing the collector for the
length of a step loses nothing: at worst, cycles that other code makes during
those seconds are collected a little later. Pauses nest (counted), and the
collector is only re-enabled if it was enabled when the first pause began.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class _Pauses:
    depth = 0
    was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """``with collector_paused():`` no automatic gc passes inside (this thread's loop)."""
    if _Pauses.depth == 0:
        _Pauses.was_enabled = gc.isenabled()
        gc.disable()
    _Pauses.depth += 1
    try:
        yield
    finally:
        _Pauses.depth -= 1
        if _Pauses.depth == 0 and _Pauses.was_enabled:
            gc.enable()


def pauses_collector(step: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Decorate a coroutine function: the collector stays paused while it runs."""

    @functools.wraps(step)
    async def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        with collector_paused():
            return await step(*args, **kwargs)

    return paused
