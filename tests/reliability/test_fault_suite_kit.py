"""The fault suite's own instruments can fail: each is shown a fault it must report.

A heartbeat that never saw a stall, a recorder that never caught an exception or
a window check that never complained would make the suite pass whatever the app
does; these cases prove each one notices what it is there to notice.
"""

from __future__ import annotations

import asyncio
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from agentapp.ui.main_window import MainWindow
from testkit.agent_view import problems
from testkit.heartbeat import STALL_LIMIT_S, Heartbeat, heartbeat
from testkit.qt_loop import QtLoop
from testkit.unhandled import record_unhandled
from testkit.waiting import wait_until


def test_the_heartbeat_sees_a_blocking_call(qloop: QtLoop) -> None:
    async def scenario() -> Heartbeat:
        async with heartbeat() as beat:
            await asyncio.sleep(0.05)
            blocking_call()
            await asyncio.sleep(0.05)
        return beat

    beat = qloop.run(scenario())
    assert beat.ticks >= 5
    assert beat.max_stall_s >= 0.2 > STALL_LIMIT_S
    [stall] = beat.over_limit
    assert "blocking_call" in stall.where  # and says where the loop was


def blocking_call() -> None:
    time.sleep(0.25)  # what a sync HTTP call or a slow disk write does to the loop


def test_the_recorder_catches_slots_and_callbacks(qapp: QApplication, qloop: QtLoop) -> None:
    def broken_slot() -> None:
        raise RuntimeError("a slot failed")

    async def scenario() -> list[str]:
        with record_unhandled() as recorder:
            asyncio.get_running_loop().call_soon(lambda: 1 / 0)
            QTimer.singleShot(0, broken_slot)
            await wait_until(lambda: len(recorder.problems) >= 2, 5, "both failures")
        return [p.where for p in recorder.problems]

    assert sorted(qloop.run(scenario())) == ["excepthook", "loop"]


def test_the_window_check_sees_contradictions_and_raw_errors(qapp: QApplication) -> None:
    window = MainWindow("IN")
    strip = window.status
    window.show()
    try:
        strip.set_connection("✓ Online", "ok", "Connected.", "API: online")
        strip.show_message("")
        assert problems(window) == []
        strip.show_message("Offline since 10:42: IVR Solutions cannot be reached.")
        assert problems(window) == ["the pill says online but the message says "
                                    "'Offline since 10:42: IVR Solutions cannot be reached.'"]
        strip.set_connection("✕ Offline", "bad", "Last error: ConnectError: [Errno 111]",
                             "API: offline since 10:42")
        found = problems(window)
        assert any("raw exception text 'ConnectError'" in p for p in found), found
        window.dial.show_message("Expecting value: line 1 column 1 (char 0)")
        assert any("Expecting value" in p for p in problems(window))
    finally:
        window.hide()
        window.deleteLater()
