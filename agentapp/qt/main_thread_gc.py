"""Cyclic garbage collection only on the Qt (main) thread.

Why: Python's cyclic collector runs in whichever thread happens to allocate
when a threshold is crossed: an executor thread (keyring, sqlite store, audio
decoding) or the demo sandbox's thread. A Qt object freed by that collection is
destroyed on the wrong thread: Qt cannot stop its timers from there, and the
next tick delivers a timer event to freed memory (seen as a segfault in
``QTimerInfoList::activateTimers`` -> ``QCoreApplication::notifyInternal2``).

So the automatic collector is switched off and a Qt timer on the main thread
runs the same generational collections when the allocation counts cross the
same thresholds (the pattern pyqtgraph ships as ``GarbageCollector``).
Reference counting still frees everything that is not in a cycle at once;
cycles wait at most one interval.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

CHECK_INTERVAL_MS = 250


class MainThreadGc(QObject):
    """Owns the collection timer; one per process (see :func:`install`)."""

    def __init__(self, app: QCoreApplication, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(app)
        if QThread.currentThread() != app.thread():
            raise RuntimeError("MainThreadGc must be installed from the Qt main thread")
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        gc.disable()
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose allocation counts crossed their thresholds."""
        threshold0, threshold1, threshold2 = gc.get_threshold()
        count0, count1, count2 = gc.get_count()
        if count0 <= threshold0:
            return 0
        collected = gc.collect(0)
        if count1 > threshold1:
            collected += gc.collect(1)
            if count2 > threshold2:
                collected += gc.collect(2)
        return collected

    def uninstall(self) -> None:
        """Give collection back to Python (tests that check the default behaviour)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def resume(self) -> None:
        """Take collection over again after :meth:`uninstall`."""
        gc.disable()
        self._timer.start()


def install(app: QCoreApplication, interval_ms: int = CHECK_INTERVAL_MS) -> MainThreadGc:
    """Switch cyclic collection to ``app``'s thread; installing twice returns the first."""
    existing = app.findChild(MainThreadGc)
    if isinstance(existing, MainThreadGc):
        return existing
    return MainThreadGc(app, interval_ms)
