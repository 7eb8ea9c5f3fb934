"""The live-events status: service state -> facade signal -> status strip, in words."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from agentapp.qt.status_facade import StatusFacade
from agentapp.services.event_source import LiveState, PollingSource
from agentapp.services.observable import Observable
from agentapp.ui.status_strip import StatusStrip


def test_strip_follows_the_event_source_state(qtbot: QtBot) -> None:
    strip = StatusStrip()
    qtbot.addWidget(strip)
    facade = StatusFacade()
    facade.live_changed.connect(strip.set_live)
    assert strip.live.text() == "… Live events off"
    live: Observable[LiveState] = Observable(LiveState.RECONNECTING)
    facade.bind(None, None, live)
    assert strip.live.text() == "… Live events reconnecting"
    assert strip.live.accessibleName() == "Live call events: Live events reconnecting"
    live.set(LiveState.CONNECTED)
    assert strip.live.text() == "✓ Live events on"
    assert "as they happen" in strip.live.accessibleDescription()
    facade.bind(None, None, None)  # session closed
    assert strip.live.text() == "… Live events off"
    live.set(LiveState.RECONNECTING)  # the old session no longer drives the strip
    assert strip.live.text() == "… Live events off"


def test_polling_is_honest_about_having_no_live_events() -> None:
    source = PollingSource()
    assert source.kind == "polling" and source.state.value is LiveState.OFF
    assert not source.healthy
