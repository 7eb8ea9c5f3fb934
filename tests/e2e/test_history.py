"""The history window over the store: loads after the first sync, filters, sorts, works offline."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt

from agentapp.qt.history_facade import recording_title
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.store import CallRow, ContactRow
from agentapp.ui.player import PlayerDialog
from testkit.apps import StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=4, speed=20.0, history=300)


def world_count(sb: SandboxThread) -> int:
    counts = sb.control("GET", "/_sandbox/info")["counts"]
    return int(counts["call_logs"] + counts["c2c_logs"] + counts["dialer_logs"]
               + counts["click_connect_logs"])


def column(model: Any, col: int) -> list[str]:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


async def synced(app: Any, expected: int) -> Any:
    facade = app.runtime.history
    view = facade.open()
    await wait_until(lambda: facade.model.rowCount() == expected, 30, "the first sync")
    await wait_until(lambda: view.sync_status.text().startswith("Last synced"), 30, "idle")
    return view


def test_history_loads_filters_and_sorts(qloop: QtLoop, start_app: StartApp,
                                         sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app()
        total = world_count(sandbox)
        view = await synced(app, total)
        model = app.runtime.history.model
        assert view.count.text() == f"{total:,} calls"
        assert view.play_button.isVisible() and not view.play_button.isEnabled()

        view.kind.setCurrentIndex(1)  # Incoming
        incoming = sum(1 for r in sandbox.server.context.world.call_logs
                       if r.call_type == "incoming")
        await wait_until(lambda: model.rowCount() == incoming, 10, "the kind filter")
        await wait_until(lambda: "…" not in column(model, 0), 10, "rows")
        assert set(column(model, 3)) == {"Incoming"}

        view.outcome.setCurrentIndex(2)  # Not answered
        await wait_until(lambda: model.loaded.is_set(), 10, "the outcome filter")
        await wait_until(lambda: "…" not in column(model, 0), 10, "rows")
        assert "answered" not in column(model, 4)
        view.kind.setCurrentIndex(0)
        view.outcome.setCurrentIndex(0)
        await wait_until(lambda: model.rowCount() == total, 10, "filters cleared")

        view.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # Duration
        await wait_until(lambda: model.query.sort == "duration", 5, "sorting")
        await wait_until(lambda: model.loaded.is_set(), 10, "sorted rows")
        await wait_until(lambda: all(model.row_at(r) for r in range(50)), 10, "page")
        first = [model.row_at(r).call.duration_s for r in range(50)]  # type: ignore[union-attr]
        assert first == sorted(first, reverse=True)

        contact = next(c for c in sandbox.server.context.world.contacts
                       if any(r.client_no == c.number
                              for r in sandbox.server.context.world.call_logs))
        history = app.services.history
        assert history is not None
        store = history.store
        await store.contacts.upsert([ContactRow("+91" + contact.number, contact.name)])
        view.set_search(contact.name.split()[0])
        await wait_until(lambda: model.loaded.is_set() and model.rowCount() > 0, 10, "search")
        await wait_until(lambda: "…" not in column(model, 0), 10, "rows")
        assert all(contact.name.split()[0] in name for name in column(model, 1))

        view.table.selectRow(0)
        await wait_until(lambda: app.runtime.history.contact_model.rowCount() > 0, 10,
                         "the contact's history")
        assert view.call_back_button.isEnabled()
        assert view.today.text().startswith("Today:")
        # How many of the sandbox's calls fall on the local "today" depends on the hour and
        # the time zone (at 02:50 local there may be none): give today one answered call
        # of this agent with no disposition, at this very moment.
        await store.calls.upsert([CallRow(
            source="call", record_id="today-1", kind="incoming", direction="inbound",
            number="+919876543210", number_raw="9876543210", started_at=int(time.time()),
            outcome="answered", duration_s=42, did="911143104567",
            ext_no=app.services.session.ext_no)])
        app.runtime.history.refresh()
        await wait_until(lambda: "pending" in view.today.text(), 10, "today's pending call")

        # A recording in the contact's history plays in the app's player.
        calls = app.runtime.history.contact_model.rows
        with_rec = next((r for r, c in enumerate(calls) if c.recording_url), None)
        if with_rec is None:  # this contact has none: any call that has one
            view.set_search("")
            await wait_until(lambda: model.loaded.is_set(), 10, "all calls")
            await wait_until(lambda: "…" not in column(model, 0), 10, "rows")
            row = next(r for r in range(model.rowCount())
                       if model.row_at(r).call.recording_url)  # type: ignore[union-attr]
            view.table.selectRow(row)
            await wait_until(lambda: any(c.recording_url for c in
                                         app.runtime.history.contact_model.rows), 10,
                             "that contact's history")
            calls = app.runtime.history.contact_model.rows
            with_rec = next(r for r, c in enumerate(calls) if c.recording_url)
        view.contact_table.selectRow(with_rec)
        assert view.play_button.isEnabled()
        view.play_button.click()
        audio = app.runtime.audio
        await wait_until(lambda: audio.player is not None, 5, "the player window")
        dialog = audio.player.parent() if audio.player is not None else None
        assert isinstance(dialog, PlayerDialog) and dialog.isVisible()
        assert dialog.player.title.text() == recording_title(calls[with_rec])
        dialog.reject()
        await wait_until(lambda: audio.player is None, 10, "player closed")
    qloop.run(scenario())


def test_starting_offline_shows_cached_history(qloop: QtLoop, start_app: StartApp,
                                              sandbox: SandboxThread) -> None:
    profile = "e2e-offline-" + uuid.uuid4().hex[:6]

    async def scenario() -> None:
        first = await start_app("--profile", profile)
        total = world_count(sandbox)
        await synced(first, total)
        await first.stop()
        url = sandbox.base_url
        await asyncio.to_thread(sandbox.stop)  # the server is gone; the same URL is dead
        second = await start_app("--profile", profile, api_url=url)
        facade = second.runtime.history
        view = facade.open()
        await wait_until(lambda: facade.model.rowCount() == total, 10, "the cached history")
        await wait_until(lambda: view.sync_status.text().startswith("Offline"), 30,
                         "the offline state in words")
        pill = second.window.status.sync  # the main window says it once, in the strip
        await wait_until(lambda: pill.accessibleName().startswith("History sync: offline"), 10,
                         "the strip's history pill")
        assert "Offline: showing saved history." in pill.toolTip()
    qloop.run(scenario())
