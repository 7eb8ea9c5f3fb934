"""The Line status panel against the sandbox's world: every extension and DID,
filtered as the agent types, refreshed on demand, old data marked with its age."""

from __future__ import annotations

from PySide6.QtGui import QAction
from status_support import pinned_profile

from agentapp.core.phone import format_did
from agentapp.ui.status_panel import StatusPanel
from testkit.apps import StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


def _open_panel(app) -> StatusPanel:  # type: ignore[no-untyped-def]
    [action] = [a for a in app.window.actions() if isinstance(a, QAction)
                and a.text() == "&Line status…"]
    action.trigger()
    panel = app.runtime.status_panel.panel
    assert isinstance(panel, StatusPanel) and panel.isVisible()
    return panel


def test_panel_lists_the_world_and_filters(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2101",
                              did="+911143104567")
        services = app.services
        panel = _open_panel(app)
        await wait_until(lambda: panel.extensions.rowCount() >= 5
                         and panel.freshness.text().startswith("Updated "), 10, "rows")
        world_agents = services.status.snapshot.value.agents
        rows = {r[0]: r for r in panel.visible_rows(panel.extensions)}
        assert set(rows) == set(world_agents)
        assert rows["2103"][2] == "Disabled"
        assert rows["2104"][2] == "Expired"
        assert rows["2101"][2].startswith("Enabled")
        assert rows["2101"][1] == world_agents["2101"].name
        dids = {r[0]: r for r in panel.visible_rows(panel.dids)}
        inactive = format_did("+912261234567")
        assert dids[inactive][3] == "Inactive"
        assert dids[format_did("+911143104567")][3].startswith("Active")
        assert "2101" in dids[format_did("+911143104567")][4]  # assigned agents

        panel.filter.setText("disabled")
        assert [r[0] for r in panel.visible_rows(panel.extensions)] == ["2103"]
        panel.filter.setText("22 6123")  # digits as the agent reads them
        assert [r[0] for r in panel.visible_rows(panel.dids)] == [inactive]
        panel.filter.clear()
        assert len(panel.visible_rows(panel.extensions)) == len(world_agents)
        panel.close()
    qloop.run(scenario())


def test_failed_refresh_keeps_rows_and_says_how_old(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2101",
                              did="+911143104567")
        panel = _open_panel(app)
        await wait_until(lambda: panel.freshness.text().startswith("Updated "), 10, "loaded")
        count = panel.extensions.rowCount()
        app.sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "error_status": 500})
        await wait_until(lambda: panel.refresh.isEnabled(), 10, "refresh available")
        panel.refresh.click()
        await wait_until(lambda: "Could not refresh" in panel.freshness.text(), 20, "stale")
        assert panel.freshness.text().startswith("⚠ ")
        assert "Showing data from " in panel.freshness.text() and " ago)" in panel.freshness.text()
        assert panel.freshness.accessibleName().startswith("Data freshness: Could not refresh")
        assert panel.extensions.rowCount() == count  # old rows kept, not wiped
        app.sandbox.control("POST", "/_sandbox/faults", {})
        # A refresh still in flight (the background one, under load) keeps the button
        # disabled; a click then would do nothing.
        await wait_until(lambda: panel.refresh.isEnabled(), 10, "refresh available")
        panel.refresh.click()
        await wait_until(lambda: panel.freshness.text().startswith("Updated "), 20, "fresh")
        assert panel.refresh.isEnabled()
        panel.close()
    qloop.run(scenario())
