"""A second click-to-call while one is live asks first (default No), on the main window.

The first call goes to ext 2105, which never answers (docs/sandbox.md), with
the sandbox at real speed: it stays ringing for the whole test.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agentapp.core.call import EndReason, Phase
from agentapp.sandbox import SandboxConfig
from agentapp.ui.call_card import CallCard
from testkit.apps import AppUnderTest, StartApp
from testkit.dial import DialOutcomes
from testkit.dialogs import open_question
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

FIRST = "9876543210"
SECOND = "9876543211"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=1.0, history=0)


async def _start(start_app: StartApp) -> tuple[AppUnderTest, DialOutcomes]:
    """The app at noon (the harness pins it: no calling-hours question), ext 2105."""
    app = await start_app(extension="2105")
    return app, DialOutcomes(app.runtime.dial)


def _question(app: AppUnderTest) -> QMessageBox | None:
    """The question, found through the main window (its parent)."""
    return open_question(app.window)


async def _first_call_ringing(app: AppUnderTest) -> None:
    app.window.dial.number.setText(FIRST)
    app.window.dial.call_button.click()

    def ringing() -> bool:
        return any(card.timeline.phase is Phase.RINGING_AGENT for card in app.window.cards())
    await wait_until(ringing, 10, "the first call to ring")


async def _ask_second(app: AppUnderTest) -> QMessageBox:
    app.window.dial.number.setText(SECOND)
    app.window.dial.call_button.click()
    await wait_until(lambda: _question(app), 5, "the second-call question")
    box = _question(app)
    assert box is not None
    assert box.parent() is app.window
    assert box.windowTitle() == "Start a second call?"
    assert box.text() == ("You are on a call with +91 98765 43210 (ringing your phone). "
                          "Call +91 98765 43211 anyway?")
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    return box


async def _nothing_started_after_no(app: AppUnderTest, outcomes: DialOutcomes) -> None:
    """Ask once more: a dial wrongly started by the No would have gone busy before it."""
    box = await _ask_second(app)
    assert outcomes.started == 1  # the first call only
    box.button(QMessageBox.StandardButton.No).click()
    assert [c["to"] for c in app.calls()] == [FIRST]


def test_no_keeps_the_one_call(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app, outcomes = await _start(start_app)
        await _first_call_ringing(app)
        box = await _ask_second(app)
        box.button(QMessageBox.StandardButton.No).click()
        assert _question(app) is None
        await _nothing_started_after_no(app, outcomes)
        assert len(app.window.cards()) == 1
    qloop.run(scenario())


def test_yes_places_exactly_one_more_call(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app, outcomes = await _start(start_app)
        await _first_call_ringing(app)
        box = await _ask_second(app)
        box.button(QMessageBox.StandardButton.Yes).click()
        await wait_until(lambda: len(outcomes.placed) == 2, 5, "the confirmed second call")
        assert outcomes.started == 2 and outcomes.refused == []  # one more, no double
        assert [c["to"] for c in app.calls()] == [FIRST, SECOND]
        assert app.window.dial.number.text() == SECOND
        assert _question(app) is None

        # The sandbox, like the platform, fails the agent leg of a line already on a
        # call; the second card says so in words.
        def second_card() -> CallCard | None:
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


def test_enter_on_the_question_means_no(qloop: QtLoop, qtbot: QtBot,
                                        start_app: StartApp) -> None:
    async def scenario() -> None:
        app, outcomes = await _start(start_app)
        await _first_call_ringing(app)
        box = await _ask_second(app)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        assert _question(app) is None
        await _nothing_started_after_no(app, outcomes)
    qloop.run(scenario())
