"""The call card tells the truth: through the real window, against the sandbox's outcome rules.

Each outcome in docs/sandbox.md renders exactly the steps the call reached,
each step's state in its accessible name, the reason and the next action in
the status line; API refusals and dropped connections say so. The card's
timers are checked with an injected clock.
"""

from __future__ import annotations

import re

import pytest
from pytestqt.qtbot import QtBot

from agentapp.core.call import CallEvent, EndReason, EventKind, Leg, Phase, apply, new_timeline
from agentapp.core.call_view import StepState
from agentapp.sandbox import SandboxConfig
from agentapp.ui.call_card import CallCard
from testkit.apps import AppUnderTest, StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

D, A, F, N, U = (StepState.DONE, StepState.ACTIVE, StepState.FAILED, StepState.NOT_REACHED,
                 StepState.UNKNOWN)
CUSTOMER = "9876543210"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=100.0, history=0)


def _card(app: AppUnderTest, digits: str) -> CallCard | None:
    for card in app.window.cards():
        if card.timeline.customer.replace(" ", "").endswith(digits):
            return card
    return None


async def _dial_and_end(app: AppUnderTest, number: str, within: float = 15.0) -> CallCard:
    app.window.dial.number.setText(number)
    app.window.dial.call_button.click()

    def ended() -> bool:
        card = _card(app, number[-10:])
        return card is not None and card.timeline.phase is Phase.ENDED
    await wait_until(ended, within, f"the call to {number} to end")
    card = _card(app, number[-10:])
    assert card is not None
    return card


OUTCOMES = [
    # extension, number, end reason, steps, accessible names that must be read, status
    ("2101", CUSTOMER, EndReason.COMPLETED, (D, D, D, D),
     ["Ringing customer: answered"], "Call completed"),
    ("2101", "9876543200", EndReason.CUSTOMER_BUSY, (D, D, F, N),
     ["Ringing your phone (ext 2101): answered", "Ringing customer: failed, busy",
      "Connected: not reached"], "Customer is busy: try again later"),
    ("2101", "9876543299", EndReason.CUSTOMER_NO_ANSWER, (D, D, F, N),
     ["Ringing customer: failed, no answer", "Connected: not reached"],
     "Customer did not answer: try again later"),
    ("2101", "9876543298", EndReason.FAILED, (D, D, F, N),
     ["Ringing customer: failed", "Connected: not reached"],
     "Call failed: check the number and try again"),
    ("2105", CUSTOMER, EndReason.AGENT_NO_ANSWER, (D, F, N, N),
     ["Ringing your phone (ext 2105): failed, not answered", "Ringing customer: not reached",
      "Connected: not reached"],
     "You did not answer on ext 2105: is your phone registered?"),
]


@pytest.mark.parametrize(("ext", "number", "reason", "steps", "names", "status"), OUTCOMES,
                         ids=[o[2].value for o in OUTCOMES])
def test_each_sandbox_outcome_renders_the_steps_reached(
        qloop: QtLoop, start_app: StartApp, ext: str, number: str, reason: EndReason,
        steps: tuple[StepState, ...], names: list[str], status: str) -> None:
    async def scenario() -> None:
        app = await start_app(extension=ext)
        card = await _dial_and_end(app, number)
        assert card.timeline.end_reason is reason
        assert card.step_states() == steps
        read = card.step_accessible_names()
        for name in names:
            assert name in read
        # The glyph is decoration: the words after it are the accessible name.
        assert [t.split("  ", 1)[1] for t in card.step_texts()] == list(read)
        ticked = [t for t in card.step_texts() if t.startswith("✓")]
        assert len(ticked) == steps.count(D)
        assert card.status_text() == status
        assert card.status_label.accessibleName() == f"Call status: {status}"
        assert card.accessibleName() == f"Call to {card.timeline.customer}"
        assert card.accessibleName().replace(" ", "").endswith(number[-10:])
        if reason is EndReason.COMPLETED:
            assert re.fullmatch(r"Connected: \d\d:\d\d", read[3])
        retry = reason in (EndReason.CUSTOMER_BUSY, EndReason.CUSTOMER_NO_ANSWER)
        assert card.retry_button.isVisibleTo(card) == retry
        assert card.again_button.isVisibleTo(card) == (not retry)
        assert not card.is_ticking()
    qloop.run(scenario())


def test_api_refusal_fails_the_first_step(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app(extension="2199")  # unknown: HTTP 404 at request time
        card = await _dial_and_end(app, CUSTOMER)
        assert card.timeline.end_reason is EndReason.REJECTED
        assert card.step_states() == (F, N, N, N)
        assert card.step_accessible_names()[0] == "Placing the call: failed, refused"
        assert card.step_accessible_names()[3] == "Connected: not reached"
        assert card.status_text().startswith("IVR Solutions refused the call: ")
        assert "Extension not configured" in card.status_text()
        assert app.calls() == []
    qloop.run(scenario())


def test_dropped_connection_says_the_call_may_be_on_its_way(
        qloop: QtLoop, start_app: StartApp) -> None:
    """No answer: the card says the call may be ringing and that it is looking it up
    (how the lookup settles it: tests/reliability/test_uncertain_call.py)."""
    async def scenario() -> None:
        app = await start_app()
        app.sandbox.control("POST", "/_sandbox/faults",
                            {"drop_rate": 1.0, "paths": ["/api/c2c_post"]})
        app.window.dial.number.setText(CUSTOMER)
        app.window.dial.call_button.click()

        def checking() -> bool:
            card = _card(app, CUSTOMER)
            return card is not None and card.timeline.checking
        await wait_until(checking, 10, "the card to say it is checking")
        card = _card(app, CUSTOMER)
        assert card is not None
        assert card.step_states() == (U, U, U, U)
        assert card.step_accessible_names()[0] == (
            "Placing the call: not known, checking Recent calls")
        assert "Connected: not known" in card.step_accessible_names()
        assert not any(t.startswith("✓") for t in card.step_texts())
        assert card.status_text() == (
            "No readable answer from IVR Solutions: the call may already be on its way, check "
            "Recent calls before calling again. Checking Recent calls for this call…")
        assert card.again_button.isHidden()  # no second call one click away
        assert card.dismiss_button.isHidden()
        assert app.calls() == []
    qloop.run(scenario())


def test_while_your_phone_rings_the_card_counts_and_claims_nothing_more(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app(extension="2105")
        app.sandbox.control("POST", "/_sandbox/speed", {"speed": 1.0})  # rings 20 s
        app.window.dial.number.setText(CUSTOMER)
        app.window.dial.call_button.click()

        def ringing() -> bool:
            card = _card(app, CUSTOMER)
            return card is not None and card.step_states() == (D, A, N, N)
        await wait_until(ringing, 10, "your phone to ring")
        card = _card(app, CUSTOMER)
        assert card is not None and card.is_ticking()
        names = card.step_accessible_names()
        assert re.fullmatch(r"Ringing your phone \(ext 2105\): ringing \d\d:\d\d", names[1])
        assert names[2:] == ("Ringing customer: not reached", "Connected: not reached")
        assert card.status_label.accessibleName() == "Call status: Ringing your phone"
    qloop.run(scenario())


def _events(*facts: tuple[float, EventKind, Leg]) -> list[CallEvent]:
    return [CallEvent("9", kind, leg, at=at, event_id=f"9-{i}", source="webhook")
            for i, (at, kind, leg) in enumerate(facts)]


def test_card_timers_count_from_event_times_with_an_injected_clock(qtbot: QtBot) -> None:
    now = [1000.0]
    tl = new_timeline("local-1", "2101", "+91 98765 43210", at=1000.0, logid="9")
    card = CallCard(tl, clock=lambda: now[0])
    qtbot.addWidget(card)
    assert card.step_states() == (D, N, N, N) and not card.is_ticking()
    ring, answer = EventKind.RING, EventKind.ANSWER
    for event in _events((1001.0, ring, Leg.AGENT)):
        tl = apply(tl, event)
    now[0] = 1004.0
    card.update_timeline(tl)
    assert card.step_accessible_names()[1] == "Ringing your phone (ext 2101): ringing 00:03"
    assert card.is_ticking()
    now[0] = 1009.0
    card.refresh()  # what the one-second ticker does
    assert card.step_accessible_names()[1] == "Ringing your phone (ext 2101): ringing 00:08"
    for event in _events((1010.0, answer, Leg.AGENT), (1010.5, ring, Leg.CUSTOMER),
                         (1015.0, answer, Leg.CUSTOMER)):
        tl = apply(tl, event)
    now[0] = 1057.0  # the card hears of the answer 42 s late: the timer still starts at it
    card.update_timeline(tl)
    assert card.step_texts()[3] == "●  Connected: 00:42"
    assert card.step_accessible_names()[3] == "Connected: 00:42"
    assert card.step_states() == (D, D, D, A)
    hangup = CallEvent("9", EventKind.HANGUP, Leg.CUSTOMER, at=1060.0, cause="completed",
                       duration_s=45, event_id="9-h", source="webhook")
    card.update_timeline(apply(tl, hangup))
    now[0] = 5000.0
    card.refresh()
    assert card.step_accessible_names()[3] == "Connected: 00:45"
    assert not card.is_ticking()


def test_retry_from_a_card_shows_that_number_in_the_field(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        card = await _dial_and_end(app, "9876543200")  # busy
        app.window.dial.number.setText("98765 4")  # the agent started typing another number
        card.retry_button.click()
        assert app.window.dial.number.text() == "+91 98765 43200"
        # Within 5 s of the first try the duplicate guard refuses (and says why); later the
        # retry goes out. Either way it is about the number the field shows.
        await wait_until(lambda: app.window.dial.message.text() or len(app.calls()) == 2, 5,
                         "the retry to be answered")
        if len(app.calls()) == 1:
            assert "+91 98765 43200 was just dialled" in app.window.dial.message.text()
        assert {c["to"] for c in app.calls()} == {"9876543200"}
    qloop.run(scenario())
