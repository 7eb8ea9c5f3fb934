"""A second click-to-call while one is live asks first (default No), on the main window.

The first call goes to ext 2105, which never answers (docs/sandbox.md), with
the sandbox at real speed: it stays ringing for the whole test.
"""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from qt_async import QtLoop, wait_until

from agentapp.core.call import EndReason, Phase
from agentapp.sandbox import SandboxConfig
from agentapp.settings import DIAL_CALLING_HOURS_END, DIAL_CALLING_HOURS_START

FIRST = "9876543210"
SECOND = "9876543211"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=1.0, history=0)


async def _start(start_app):  # type: ignore[no-untyped-def]
    app = await start_app(extension="2105")
    settings = app.runtime.settings
    settings.set(DIAL_CALLING_HOURS_START, "00:00")
    settings.set(DIAL_CALLING_HOURS_END, "00:00")  # no calling-hours question here
    await settings.asave()
    assert await app.runtime.restart_session()
    return app


def _question(window) -> QMessageBox | None:  # type: ignore[no-untyped-def]
    """The question, found through the main window (its parent)."""
    for box in window.findChildren(QMessageBox):
        if box.isVisible():
            return box
    return None


async def _first_call_ringing(app) -> None:  # type: ignore[no-untyped-def]
    app.window.dial.number.setText(FIRST)
    app.window.dial.call_button.click()

    def ringing() -> bool:
        return any(card.timeline.phase is Phase.RINGING_AGENT for card in app.window.cards())
    await wait_until(ringing, 10, "the first call to ring")


async def _ask_second(app) -> QMessageBox:  # type: ignore[no-untyped-def]
    app.window.dial.number.setText(SECOND)
    app.window.dial.call_button.click()
    await wait_until(lambda: _question(app.window), 5, "the second-call question")
    box = _question(app.window)
    assert box is not None
    assert box.parent() is app.window
    assert box.windowTitle() == "Start a second call?"
    assert box.text() == ("You are on a call with +91 98765 43210 (ringing your phone). "
                          "Call +91 98765 43211 anyway?")
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    return box


def test_no_keeps_the_one_call(qloop: QtLoop, start_app) -> None:
    async def scenario() -> None:
        app = await _start(start_app)
        await _first_call_ringing(app)
        box = await _ask_second(app)
        box.button(QMessageBox.StandardButton.No).click()
        await wait_until(lambda: _question(app.window) is None, 5, "the question to close")
        await asyncio.sleep(0.3)  # anything wrongly dialled would reach the sandbox by now
        assert [c["to"] for c in app.calls()] == [FIRST]
        assert len(app.window.cards()) == 1
    qloop.run(scenario())


def test_yes_places_exactly_one_more_call(qloop: QtLoop, start_app) -> None:
    async def scenario() -> None:
        app = await _start(start_app)
        await _first_call_ringing(app)
        box = await _ask_second(app)
        box.button(QMessageBox.StandardButton.Yes).click()
        await wait_until(lambda: len(app.calls()) == 2, 5, "the confirmed second call")
        await asyncio.sleep(0.3)
        assert [c["to"] for c in app.calls()] == [FIRST, SECOND]
        assert app.window.dial.number.text() == SECOND
        assert _question(app.window) is None

        # The sandbox, like the platform, fails the agent leg of a line already on a
        # call; the second card says so in words.
        def second_card():  # type: ignore[no-untyped-def]
            cards = [c for c in app.window.cards() if c.timeline.customer.endswith("43211")]
            return cards[0] if cards else None

        await wait_until(lambda: (card := second_card()) is not None
                         and card.timeline.end_reason is EndReason.AGENT_BUSY, 10,
                         "the second call to fail on the busy line")
        card = second_card()
        assert card is not None
        assert "Ringing your phone (ext 2105): failed, your line was busy on another call" in (
            card.step_accessible_names())
        assert card.status_text().startswith("Your line (ext 2105) was already on a call")
    qloop.run(scenario())


def test_enter_on_the_question_means_no(qloop: QtLoop, qtbot, start_app) -> None:
    async def scenario() -> None:
        app = await _start(start_app)
        await _first_call_ringing(app)
        box = await _ask_second(app)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        await wait_until(lambda: _question(app.window) is None, 5, "the question to close")
        await asyncio.sleep(0.3)
        assert [c["to"] for c in app.calls()] == [FIRST]
    qloop.run(scenario())
