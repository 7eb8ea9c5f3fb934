"""Recent calls in the main window: a finished call appears on top; "Call back" dials."""

from __future__ import annotations

import pytest
from qt_async import QtLoop, wait_until

from agentapp.sandbox import SandboxConfig

CUSTOMER = "9876543210"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=5, speed=60.0, history=400)


def test_finished_call_appears_and_call_back_dials(qloop: QtLoop, qtbot, start_app) -> None:
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
