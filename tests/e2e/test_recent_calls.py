"""Recent calls in the main window: a finished call appears on top; "Call back" dials.

No test here sleeps and then counts: whether a row click dialled is read from the
requests the window and the panel emit (synchronously, in the click), and the
sandbox confirms. The harness pins calling hours and the app's local time.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from agentapp.sandbox import SandboxConfig
from agentapp.ui.recent_calls import RecentCallsPanel
from testkit.apps import AppUnderTest, StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

CUSTOMER = "9876543210"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=5, speed=60.0, history=400)


def test_finished_call_appears_and_call_back_dials(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        panel = app.window.recent
        await wait_until(lambda: panel.model.rowCount() > 0, 10, "history to load")
        history = [panel.model.record(r) for r in range(panel.model.rowCount())]
        assert all(r.ext_no == "2101" for r in history)
        times = [r.call_time for r in history]
        assert times == sorted(times, reverse=True)

        app.window.dial.number.setText(CUSTOMER)
        app.window.dial.call_button.click()
        await wait_until(lambda: panel.model.rowCount() and
                         panel.model.record(0).customer_number.endswith(CUSTOMER)
                         and panel.model.record(0).status == "answered", 15,
                         "the finished call on top")
        assert panel.model.data(panel.model.index(0, 1)) == "+91 98765 43210"

        row = next(r for r in range(panel.model.rowCount())
                   if not panel.model.record(r).customer_number.endswith(CUSTOMER))
        target = panel.model.record(row).customer_number
        assert not panel.call_back_button.isEnabled()
        panel.table.selectRow(row)
        assert panel.call_back_button.isEnabled()
        panel.call_back_button.click()
        await wait_until(lambda: len(app.calls()) == 2, 10, "the call-back call")
        assert app.calls()[-1]["to"] == target[-10:]
    qloop.run(scenario())


class DialRequests:
    """Every dial the window asks for: Call, Call back, a card's Retry all emit
    ``dial_requested`` synchronously, in the click or key press that asks."""

    def __init__(self, app: AppUnderTest) -> None:
        self.requests: list[str] = []
        app.window.dial_requested.connect(self.requests.append)


async def _new_call_on_top(app: AppUnderTest, number: str) -> None:
    """Place a call and wait until the app's own refresh lists it first (rows shift by one)."""
    services = app.runtime.services
    assert services is not None
    app.window.dial.number.setText(number)
    app.window.dial.call_button.click()
    await wait_until(lambda: services.recent.calls.value
                     and services.recent.calls.value[0].customer_number.endswith(number)
                     and services.recent.calls.value[0].status == "answered", 15,
                     "the new call on top of the refreshed list")


def _row_center(panel: RecentCallsPanel, row: int) -> QPoint:
    return panel.table.visualRect(panel.model.index(row, 1)).center()


def test_refresh_between_selection_and_call_back_keeps_the_selected_call(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        panel = app.window.recent
        await wait_until(lambda: panel.model.rowCount() > 3, 10, "history to load")
        chosen = panel.model.record(2)
        panel.table.selectRow(2)
        await _new_call_on_top(app, CUSTOMER)
        await wait_until(lambda: panel.model.record(0).customer_number.endswith(CUSTOMER), 5,
                         "the panel to show the refresh")
        assert panel.model.record(3).key == chosen.key  # the row moved down by one...
        selected = panel.selected_record()
        assert selected is not None and selected.key == chosen.key  # ...the selection with it
        panel.call_back_button.click()
        await wait_until(lambda: len(app.calls()) == 2, 10, "the call-back call")
        assert app.calls()[-1]["to"] == chosen.customer_number[-10:]
        assert app.window.dial.number.text() == chosen.customer_number
    qloop.run(scenario())


def test_double_click_fills_the_number_and_focuses_call_without_dialling(
        qloop: QtLoop, qtbot: QtBot, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.show()
        panel = app.window.recent
        await wait_until(lambda: panel.model.rowCount() > 3, 10, "history to load")
        panel.set_click_hold(60_000)  # a slow double-click: the refresh lands in between
        chosen = panel.model.record(2)
        viewport = panel.table.viewport()
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=_row_center(panel, 2))
        await _new_call_on_top(app, CUSTOMER)  # the service has the new list (and the panel:
        assert panel.is_holding_refresh()      # the facade hands it over synchronously)...
        assert panel.model.record(2).key == chosen.key  # ...the rows did not move
        asked = DialRequests(app)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=_row_center(panel, 2))
        assert app.window.dial.number.text() == chosen.customer_number
        assert app.window.dial.call_button.hasFocus()
        assert asked.requests == []  # the double-click asked for no call...
        assert len(app.calls()) == 1  # ...and the sandbox saw only the one placed above
        panel.set_click_hold(1)
        await wait_until(lambda: panel.model.record(0).customer_number.endswith(CUSTOMER), 5,
                         "the held refresh once the click is over")
        selected = panel.selected_record()
        assert selected is not None and selected.key == chosen.key
    qloop.run(scenario())


def test_enter_on_a_row_fills_the_number(qloop: QtLoop, qtbot: QtBot,
                                         start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.show()
        panel = app.window.recent
        await wait_until(lambda: panel.model.rowCount() > 1, 10, "history to load")
        panel.table.selectRow(1)
        asked = DialRequests(app)
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
        assert app.window.dial.number.text() == panel.model.record(1).customer_number
        assert app.window.dial.call_button.hasFocus()
        assert asked.requests == [] and app.calls() == []
    qloop.run(scenario())
