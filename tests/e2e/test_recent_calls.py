"""Recent calls in the main window: a view of the history store's model.

A finished call appears on top (after the history sync stores it); "Call back"
dials; a reload keeps the selected call and waits for a click in progress; it
works offline from the cached history and agrees with the history window.

No test here sleeps and then counts: whether a row click dialled is read from the
requests the window and the panel emit (synchronously, in the click), and the
sandbox confirms. The harness pins calling hours and the app's local time.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from agentapp.qt.history_model import HistoryTableModel
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.store import HistoryRow
from agentapp.store.calls_repo import HistoryFilter, HistoryQuery
from agentapp.ui.recent_calls import RecentCallsPanel
from testkit.apps import AppUnderTest, StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import poll_until, wait_until

CUSTOMER = "9876543210"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=5, speed=60.0, history=400)


def recent(app: AppUnderTest) -> HistoryTableModel:
    return app.runtime.history.recent_model


def row(model: HistoryTableModel, r: int) -> HistoryRow:
    found = model.row_at(r)
    assert found is not None, f"row {r} is not loaded"
    return found


def key(model: HistoryTableModel, r: int) -> str:
    call = row(model, r).call
    return f"{call.source}/{call.record_id}"


class DialRequests:
    """Every dial the window asks for: Call, Call back, a card's Retry all emit
    ``dial_requested`` synchronously, in the click or key press that asks."""

    def __init__(self, app: AppUnderTest) -> None:
        self.requests: list[str] = []
        app.window.dial_requested.connect(self.requests.append)


async def _new_call_stored_on_top(app: AppUnderTest, number: str) -> None:
    """Place a call and wait until the history sync stored it as this agent's latest."""
    history = app.services.history
    assert history is not None
    latest = HistoryQuery(HistoryFilter(ext_no="2101"), limit=1)

    async def on_top() -> bool:
        rows = await history.store.calls.history_page(latest, 0, 1)
        return bool(rows) and rows[0].call.number_raw.endswith(number) \
            and rows[0].call.answered

    app.window.dial.number.setText(number)
    app.window.dial.call_button.click()
    await poll_until(on_top, 20, "the new call stored on top")


def _row_center(panel: RecentCallsPanel, r: int) -> QPoint:
    assert panel.model is not None
    return panel.table.visualRect(panel.model.index(r, 1)).center()


def test_finished_call_appears_and_call_back_dials(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        panel, model = app.window.recent, recent(app)
        assert panel.model is model  # the panel shows the history store's model
        await wait_until(lambda: model.rowCount() > 0, 20, "history to load")
        calls = [row(model, r).call for r in range(model.rowCount())]
        assert all(c.ext_no == "2101" for c in calls)  # this agent's calls only
        times = [c.started_at for c in calls]
        assert times == sorted(times, reverse=True)  # newest first

        app.window.dial.number.setText(CUSTOMER)
        app.window.dial.call_button.click()
        await wait_until(lambda: model.rowCount() and model.row_at(0) is not None
                         and row(model, 0).call.number_raw.endswith(CUSTOMER)
                         and row(model, 0).call.outcome == "answered", 20,
                         "the finished call on top")
        headers = [model.headerData(c, Qt.Orientation.Horizontal)
                   for c in range(model.columnCount())]
        assert headers == ["Time", "Number", "Name", "Kind", "Outcome", "Duration",
                           "Disposition"]
        assert model.data(model.index(0, 1)) == "+91 98765 43210"
        assert model.data(model.index(0, 3)) == "Click-to-call"
        assert model.data(model.index(0, 4)) == "Answered"

        other = next(r for r in range(model.rowCount())
                     if row(model, r).call.number and not
                     row(model, r).call.number_raw.endswith(CUSTOMER))
        target = row(model, other).call.number
        assert not panel.call_back_button.isEnabled()
        panel.table.selectRow(other)
        assert panel.call_back_button.isEnabled()
        panel.call_back_button.click()
        await wait_until(lambda: len(app.calls()) == 2, 10, "the call-back call")
        assert app.calls()[-1]["to"] == target[-10:]
    qloop.run(scenario())


def test_reload_between_selection_and_call_back_keeps_the_selected_call(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        panel, model = app.window.recent, recent(app)
        await wait_until(lambda: model.rowCount() > 3, 20, "history to load")
        chosen = key(model, 2)
        chosen_number = row(model, 2).call.number
        panel.table.selectRow(2)
        await _new_call_stored_on_top(app, CUSTOMER)
        await wait_until(lambda: row(model, 0).call.number_raw.endswith(CUSTOMER), 10,
                         "the panel to show the reload")
        assert key(model, 3) == chosen  # the row moved down by one...
        assert panel.selected_key() == chosen  # ...the selection with it
        panel.call_back_button.click()
        await wait_until(lambda: len(app.calls()) == 2, 10, "the call-back call")
        assert app.calls()[-1]["to"] == chosen_number[-10:]
    qloop.run(scenario())


def test_double_click_fills_the_number_and_focuses_call_without_dialling(
        qloop: QtLoop, qtbot: QtBot, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.show()
        panel, model = app.window.recent, recent(app)
        await wait_until(lambda: model.rowCount() > 3, 20, "history to load")
        panel.set_click_hold(60_000)  # a slow double-click: the reload lands in between
        chosen = key(model, 2)
        chosen_number = row(model, 2).call.number
        viewport = panel.table.viewport()
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=_row_center(panel, 2))
        await _new_call_stored_on_top(app, CUSTOMER)
        await wait_until(lambda: model.reload_waiting, 10, "the reload, held")
        assert panel.is_holding_refresh()
        assert key(model, 2) == chosen  # ...the rows did not move
        asked = DialRequests(app)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=_row_center(panel, 2))
        assert app.window.dial.number.text().replace(" ", "").endswith(chosen_number[-10:])
        assert app.window.dial.call_button.hasFocus()
        assert asked.requests == []  # the double-click asked for no call...
        assert len(app.calls()) == 1  # ...and the sandbox saw only the one placed above
        panel.set_click_hold(1)
        await wait_until(lambda: row(model, 0).call.number_raw.endswith(CUSTOMER), 5,
                         "the held reload once the click is over")
        assert panel.selected_key() == chosen
    qloop.run(scenario())


def test_enter_on_a_row_fills_the_number(qloop: QtLoop, qtbot: QtBot,
                                         start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.show()
        panel, model = app.window.recent, recent(app)
        await wait_until(lambda: model.rowCount() > 1, 20, "history to load")
        panel.table.selectRow(1)
        asked = DialRequests(app)
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
        number = row(model, 1).call.number
        assert app.window.dial.number.text().replace(" ", "").endswith(number[-10:])
        assert app.window.dial.call_button.hasFocus()
        assert asked.requests == [] and app.calls() == []
    qloop.run(scenario())


def _texts(model: HistoryTableModel, r: int) -> dict[str, str]:
    return {model.headerData(c, Qt.Orientation.Horizontal): model.data(model.index(r, c))
            for c in range(model.columnCount())}


def test_recent_calls_and_history_agree_after_a_sync(qloop: QtLoop,
                                                     start_app: StartApp) -> None:
    """The same calls, in the same order, in the same words (bar the shorter time)."""

    async def scenario() -> None:
        app = await start_app()
        model = recent(app)
        await _new_call_stored_on_top(app, CUSTOMER)
        await wait_until(lambda: model.rowCount() and model.row_at(0) is not None
                         and row(model, 0).call.number_raw.endswith(CUSTOMER), 10,
                         "Recent calls after the sync")
        history = app.runtime.history
        view = history.open()
        view.set_search("")
        full = history.model
        await wait_until(lambda: full.loaded.is_set(), 10, "the history window")
        await wait_until(lambda: all(full.row_at(r) is not None
                                     for r in range(min(full.rowCount(), 400))), 10, "rows")
        mine = [r for r in range(min(full.rowCount(), 400))
                if row(full, r).call.ext_no == "2101"][:model.rowCount()]
        assert [key(full, r) for r in mine] == [key(model, r) for r in range(model.rowCount())]
        for recent_row, history_row in enumerate(mine):
            short, long = _texts(model, recent_row), _texts(full, history_row)
            for column in ("Number", "Name", "Kind", "Outcome", "Duration", "Disposition"):
                assert short[column] == long[column], (column, recent_row)
    qloop.run(scenario())


def test_starting_offline_shows_cached_recent_calls(qloop: QtLoop, start_app: StartApp,
                                                    sandbox: SandboxThread) -> None:
    profile = "e2e-recent-offline-" + uuid.uuid4().hex[:6]

    async def scenario() -> None:
        first = await start_app("--profile", profile)
        model = recent(first)
        await wait_until(lambda: model.rowCount() > 3, 20, "the first sync")
        history = first.services.history
        assert history is not None
        await wait_until(lambda: history.sync.status.value.phase == "idle"
                         and history.sync.status.value.last_synced_at is not None,
                         20, "the sync to settle")
        keys = [key(model, r) for r in range(model.rowCount())]
        await first.stop()
        url = sandbox.base_url
        await asyncio.to_thread(sandbox.stop)  # the server is gone; the same URL is dead
        second = await start_app("--profile", profile, api_url=url)
        again = recent(second)
        await wait_until(lambda: again.rowCount() == len(keys), 10, "the cached calls")
        assert [key(again, r) for r in range(again.rowCount())] == keys
        pill = second.window.status.sync  # offline is said once, by the strip's pill...
        await wait_until(lambda: pill.accessibleName().startswith("History sync: offline"), 30,
                         "the offline state in words")
        assert second.window.recent.status.text() == ""  # ...not again over Recent calls
        assert [key(again, r) for r in range(again.rowCount())] == keys
    qloop.run(scenario())
