"""Click-to-call through the real window: typing, pasting, tel: links, guards, outcomes.

Every call goes over HTTP to the sandbox, whose ``/_sandbox/calls`` tells what
really reached the "platform"; timelines arrive by webhook or by polling.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
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

CUSTOMER = "9876543210"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=40.0, history=20)


def _card_for(app: AppUnderTest, number_digits: str) -> CallCard | None:
    for card in app.window.cards():
        if card.timeline.customer.replace(" ", "").endswith(number_digits):
            return card
    return None


async def _ended(app: AppUnderTest, digits: str, within: float = 15.0) -> CallCard:
    def done() -> bool:
        card = _card_for(app, digits)
        return card is not None and card.timeline.phase is Phase.ENDED
    await wait_until(done, within, f"the call to {digits} to end")
    card = _card_for(app, digits)
    assert card is not None
    return card


def test_type_and_enter_places_one_call_that_completes(qloop: QtLoop, qtbot: QtBot,
                                                         start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        window = app.window
        qtbot.keyClicks(window.dial.number, "098765 43210")
        assert "Will call +91 98765 43210" in window.dial.preview.text()
        qtbot.keyClick(window.dial.number, Qt.Key.Key_Return)
        card = await _ended(app, CUSTOMER)
        assert card.timeline.end_reason is EndReason.COMPLETED
        texts = card.step_texts()
        assert texts[:3] == ("✓  Placing the call: accepted",
                             "✓  Ringing your phone (ext 2101): answered",
                             "✓  Ringing customer: answered")
        assert texts[3].startswith("✓  Connected: 00:")
        assert card.status_text() == "Call completed"
        calls = app.calls()
        assert [(c["kind"], c["to"], c["extension"]) for c in calls] == [
            ("c2c", CUSTOMER, "2101")]
        assert calls[0]["did"].endswith("1143104567")
    qloop.run(scenario())


def test_webhook_events_drive_the_timeline(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        services = app.runtime.services
        assert services is not None and services.receiver is not None
        app.window.dial.number.setText("+91 98765 43210")
        app.window.dial.call_button.click()
        await _ended(app, CUSTOMER)

        def ours() -> list[dict[str, object]]:
            rows = app.sandbox.control("GET", "/_sandbox/deliveries")["data"]
            return [d for d in rows if d["url"] == services.webhook_url]
        await wait_until(lambda: any(d["event"] == "record" for d in ours()), 5, "the record")
        await wait_until(lambda: all(d["state"] == "delivered" for d in ours()), 5,
                         f"every delivery accepted: {[(d['event'], d['state']) for d in ours()]}")
        assert {d["event"] for d in ours()} >= {"ring", "answer", "hangup", "record"}
        assert all(d["signed"] for d in ours())
    qloop.run(scenario())


def test_polling_alone_follows_a_call(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        services = app.runtime.services
        assert services is not None and services.receiver is not None
        await services.receiver.stop()  # no webhooks: the tracker must poll by logid
        app.sandbox.control("POST", "/_sandbox/webhook", {"url": "http://127.0.0.1:9/gone"})
        app.window.dial.number.setText("09876543210")
        app.window.dial.call_button.click()
        card = await _ended(app, CUSTOMER)
        assert card.timeline.end_reason is EndReason.COMPLETED
        assert card.timeline.connected_at is not None
    qloop.run(scenario())


@pytest.mark.parametrize(("number", "reason", "button"), [
    ("9876543200", EndReason.CUSTOMER_BUSY, "retry_button"),
    ("9876543299", EndReason.CUSTOMER_NO_ANSWER, "retry_button"),
    ("9876543298", EndReason.FAILED, "again_button"),
])
def test_customer_outcomes_show_reason_and_next_action(
        qloop: QtLoop, start_app: StartApp, number: str, reason: EndReason,
        button: str) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.sandbox.control("POST", "/_sandbox/speed", {"speed": 200})
        app.window.dial.number.setText(number)
        app.window.dial.call_button.click()
        card = await _ended(app, number)
        assert card.timeline.end_reason is reason
        assert reason.label in card.status_text()
        assert getattr(card, button).isVisible() or not card.isVisible()
        assert not getattr(card, button).isHidden()
    qloop.run(scenario())


def test_agent_who_does_not_answer_is_told(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app(extension="2105")
        app.sandbox.control("POST", "/_sandbox/speed", {"speed": 200})
        app.window.dial.number.setText(CUSTOMER)
        app.window.dial.call_button.click()
        card = await _ended(app, CUSTOMER)
        assert card.timeline.end_reason is EndReason.AGENT_NO_ANSWER
        assert "You did not answer on ext 2105" in card.status_text()
    qloop.run(scenario())


def test_double_click_places_exactly_one_call(qloop: QtLoop, qtbot: QtBot,
                                             start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        outcomes = DialOutcomes(app.runtime.dial)
        app.window.dial.number.setText(CUSTOMER)
        app.window.dial.call_button.click()
        app.window.dial.call_button.click()
        qtbot.keyClick(app.window.dial.number, Qt.Key.Key_Return)
        await wait_until(lambda: outcomes.count == 3, 10, "an answer to each of the 3 requests")
        assert (len(outcomes.placed), len(outcomes.refused)) == (1, 2), outcomes.refused
        app.window.dial.call_button.click()  # same number again, seconds after the first
        await wait_until(lambda: outcomes.count == 4, 10, "an answer to the 4th request")
        assert "just dialled" in outcomes.refused[-1]
        assert len(app.calls()) == 1
        await _ended(app, CUSTOMER)
    qloop.run(scenario())


@pytest.mark.parametrize(("extension", "did", "number", "expected"), [
    ("2101", "+911143104567", "12ab", "letters"),
    ("2101", "+911143104567", "2101", "extension"),
    ("2103", "+911143104567", CUSTOMER, "disabled"),
    ("2104", "+911143104567", CUSTOMER, "expired"),
    ("2101", "+912261234567", CUSTOMER, "inactive"),
])
def test_guards_refuse_with_a_clear_message_and_no_call(
        qloop: QtLoop, start_app: StartApp, extension: str, did: str, number: str,
        expected: str) -> None:
    async def scenario() -> None:
        app = await start_app(extension=extension, did=did)
        services = app.runtime.services
        assert services is not None
        await services.status.refresh()
        app.window.dial.number.setText(number)
        app.window.dial.call_button.click()
        await wait_until(lambda: app.window.dial.message.text(), 5, "a refusal message")
        assert expected in app.window.dial.message.text().lower()
        assert app.calls() == []
    qloop.run(scenario())


def test_offline_refuses_with_a_message(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.sandbox.control("POST", "/_sandbox/faults", {"drop_rate": 1.0})
        services = app.runtime.services
        assert services is not None
        await services.status.refresh()
        await wait_until(lambda: not services.connectivity.is_online, 5, "offline")
        assert app.window.status.connection.text() == "✕ Offline"
        assert app.window.status.connection.accessibleName().startswith("API: offline since ")
        app.window.dial.number.setText(CUSTOMER)
        app.window.dial.call_button.click()
        await wait_until(lambda: app.window.dial.message.text(), 5, "a refusal message")
        refusal = app.window.dial.message.text()
        assert refusal.startswith("Not called") and "nothing is queued" in refusal
        app.sandbox.control("POST", "/_sandbox/faults", {})
        assert app.calls() == []
    qloop.run(scenario())


def test_inside_calling_hours_dials_without_asking(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.local_time.at = time(20, 59)  # the pinned hours are 09:00-21:00
        outcomes = DialOutcomes(app.runtime.dial)
        app.window.dial.number.setText(CUSTOMER)
        app.window.dial.call_button.click()
        await wait_until(lambda: outcomes.count == 1, 10, "the dial's outcome")
        assert len(outcomes.placed) == 1 and outcomes.questions == []
        assert open_question(app.window) is None
        assert len(app.calls()) == 1
        await _ended(app, CUSTOMER)
    qloop.run(scenario())


async def _asked(app: AppUnderTest, outcomes: DialOutcomes, times: int) -> QMessageBox:
    """Press Call and return the calling-hours question it raises (the ``times``-th)."""
    app.window.dial.call_button.click()
    await wait_until(lambda: len(outcomes.questions) == times, 10, "the calling-hours question")
    box = open_question(app.window, "calling hours")
    assert box is not None, [d.windowTitle() for d in app.window.findChildren(QMessageBox)]
    assert "09:00–21:00" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    return box


@pytest.mark.parametrize("local_time", [time(8, 59), time(21, 0)])
def test_outside_calling_hours_no_sends_nothing(qloop: QtLoop, start_app: StartApp,
                                                local_time: time) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.local_time.at = local_time
        outcomes = DialOutcomes(app.runtime.dial)
        app.window.dial.number.setText(CUSTOMER)
        box = await _asked(app, outcomes, 1)
        assert app.calls() == []  # nothing is sent while the agent decides
        box.button(QMessageBox.StandardButton.No).click()
        assert open_question(app.window) is None
        # Asking again proves the No left nothing in flight; the sandbox saw no call.
        again = await _asked(app, outcomes, 2)
        # A dial started by the No would have gone busy before this second request ran.
        assert outcomes.started == 0 and outcomes.placed == [] and outcomes.refused == []
        assert app.calls() == []
        again.button(QMessageBox.StandardButton.No).click()
        assert app.calls() == []
    qloop.run(scenario())


@pytest.mark.parametrize("local_time", [time(2, 30)])
def test_outside_calling_hours_yes_places_exactly_one_call(
        qloop: QtLoop, start_app: StartApp, local_time: time) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.local_time.at = local_time
        outcomes = DialOutcomes(app.runtime.dial)
        app.window.dial.number.setText(CUSTOMER)
        box = await _asked(app, outcomes, 1)
        assert app.calls() == []
        box.button(QMessageBox.StandardButton.Yes).click()
        await wait_until(lambda: outcomes.placed, 10, "the confirmed call")
        assert open_question(app.window) is None
        assert len(app.calls()) == 1 and app.calls()[0]["to"] == CUSTOMER
        await _ended(app, CUSTOMER)
        assert len(app.calls()) == 1 and len(outcomes.placed) == 1
    qloop.run(scenario())


def test_dial_from_clipboard(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        QGuiApplication.clipboard().setText("  tel:+91-98765-43210  ")
        app.window.clipboard_action.trigger()
        await wait_until(lambda: len(app.calls()) == 1, 5, "the clipboard call")
        assert app.calls()[0]["to"] == CUSTOMER
    qloop.run(scenario())


def _second_launch(profile: str, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.Popen([sys.executable, "-m", "agentapp", "--profile", profile, *args],
                            env=env, cwd=Path(__file__).parents[2],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_tel_link_from_a_second_process_prefills(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        proc = _second_launch(app.profile, "tel:+91-98765-43210;phone-context=+91")
        await wait_until(lambda: proc.poll() is not None, 30, "the second launch to exit")
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
        await wait_until(lambda: app.window.dial.number.text(), 5, "the forwarded number")
        assert app.window.dial.number.text() == "tel:+91-98765-43210;phone-context=+91"
        assert app.calls() == []
    qloop.run(scenario())


def test_tel_link_with_dial_from_a_second_process_dials_once(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        outcomes = DialOutcomes(app.runtime.dial)
        procs = [_second_launch(app.profile, "--dial", "tel:09876543210") for _ in range(2)]
        await wait_until(lambda: all(p.poll() is not None for p in procs), 30, "launches")
        assert [p.returncode for p in procs] == [0, 0]
        await wait_until(lambda: outcomes.count == 2, 10, "an answer to both launches")
        assert (len(outcomes.placed), len(outcomes.refused)) == (1, 1), outcomes.refused
        assert len(app.calls()) == 1
        await _ended(app, CUSTOMER)
    qloop.run(scenario())
