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


def test_strip_says_why_live_events_are_not_on(qtbot: QtBot) -> None:
    strip = StatusStrip()
    qtbot.addWidget(strip)
    facade = StatusFacade()
    facade.live_changed.connect(strip.set_live)
    facade.live_problem_changed.connect(strip.set_live_problem)
    live: Observable[LiveState] = Observable(LiveState.RECONNECTING)
    problem: Observable[str] = Observable("the NATS server refused the credentials")
    facade.bind(None, None, live, problem)
    assert strip.live.text() == "… Live events reconnecting"
    assert strip.live.toolTip().startswith("The NATS server refused the credentials. ")
    assert strip.live.accessibleDescription() == strip.live.toolTip()
    problem.set("")
    assert strip.live.toolTip().startswith("Reconnecting to the event source")
    problem.set("the NATS server refuses connections")
    live.set(LiveState.CONNECTED)  # a stale reason is not shown next to "on"
    assert strip.live.toolTip() == "Call events arrive as they happen"
    facade.bind(None, None, None)
    assert strip.live.text() == "… Live events off"
    assert "refuses" not in strip.live.toolTip()
