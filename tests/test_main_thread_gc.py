"""Cycles are collected on the Qt thread only, never in a worker thread.

A Qt object collected in a worker thread keeps its timers registered with the
main thread's dispatcher, and the next tick is delivered to freed memory (the
segfault this module exists for). The test uses plain Python cycles whose
finaliser records its thread: the collector's thread is what matters, and a
plain object cannot crash the run when the old behaviour comes back.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agentapp.qt.main_thread_gc import MainThreadGc, install


class _Cycle:
    finalised_in: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.finalised_in.append(threading.current_thread().name)


def _churn_in_a_worker() -> list[list[int]]:
    """Allocate (and keep) enough container objects to cross the collection threshold."""
    kept: list[list[int]] = []

    def churn() -> None:
        kept.extend([i] for i in range(5 * gc.get_threshold()[0]))
    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()
    return kept


@pytest.fixture
def collector(qapp: QApplication) -> Iterator[MainThreadGc]:
    gc.collect()
    _Cycle.finalised_in.clear()
    existing = qapp.findChild(MainThreadGc)
    created = existing is None
    running = install(qapp, interval_ms=20)
    yield running
    if created:
        running.uninstall()
        running.setParent(None)


def test_cycles_dropped_in_a_worker_are_collected_on_the_qt_thread(
        qtbot: QtBot, collector: MainThreadGc) -> None:
    _Cycle()
    kept = _churn_in_a_worker()
    assert _Cycle.finalised_in == []  # nothing was collected in the worker
    qtbot.waitUntil(lambda: _Cycle.finalised_in != [], timeout=5000)
    assert _Cycle.finalised_in == [threading.main_thread().name]
    assert kept


def test_installing_twice_keeps_one_collector(qapp: QApplication,
                                              collector: MainThreadGc) -> None:
    assert install(qapp) is collector
    assert not gc.isenabled()


def test_without_it_python_collects_in_the_worker(qapp: QApplication) -> None:
    """The hazard is real: with automatic collection on, the worker collects the cycle."""
    running = qapp.findChild(MainThreadGc)
    assert running is None or isinstance(running, MainThreadGc)
    if running is not None:
        running.uninstall()
    gc.enable()
    try:
        gc.collect()
        _Cycle.finalised_in.clear()
        _Cycle()
        kept = _churn_in_a_worker()
        assert _Cycle.finalised_in == ["worker"]
        assert kept
    finally:
        if running is not None:
            running.resume()
