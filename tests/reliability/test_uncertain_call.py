"""Issue 16.1: an unreadable answer to click-to-call never invites a second call.

Through the real window against the sandbox: the sandbox places the call and
then the answer is lost (cut off, garbled, an HTML page, a 500, a dropped
connection, a timeout). Each time the sandbox holds exactly one call, the card
says the call may already be on its way and that it is checking, never offers
Call again while that call exists, and ends up following the real call. When
the request never took effect (the fault hits before the handler) the lookup
finds nothing and only then offers Call again, which places one call.

The old behaviour ("…does not understand. Try again" with a Call again button,
or ending the card at once) fails ``test_unreadable_answer_follows_the_real_call``.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from agentapp.core.call import CallTimeline, EndReason, Phase
from agentapp.core.call_view import StepState, present
from agentapp.sandbox import SandboxConfig
from agentapp.services.call_lookup import LookupTiming
from agentapp.services.dialing import REPEAT_WINDOW_S, DialRefused, NeedsConfirmation
from agentapp.settings import DIAL_CALLING_HOURS_END, DIAL_CALLING_HOURS_START
from agentapp.ui.call_card import CallCard
from testkit.apps import StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

CUSTOMER = "9876543210"
OTHER = "9876543211"
C2C = ["/api/c2c_post"]
FAST = LookupTiming(window_s=60.0, poll_interval_s=0.2, tick_s=0.05)
# Longer than the 5-s repeat guard (dialing.REPEAT_WINDOW_S), which would refuse Call again.
SHORT = LookupTiming(window_s=REPEAT_WINDOW_S + 1.0, poll_interval_s=0.2, tick_s=0.05)
CHECKING = ("No readable answer from IVR Solutions: the call may already be on its way, "
            "check Recent calls before calling again. Checking Recent calls for this call…")


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=5, speed=20.0, history=0)


async def _start(start_app, timing: LookupTiming):  # type: ignore[no-untyped-def]
    """The app with calling hours that never ask, and a lookup that polls quickly."""
    app = await start_app()
    settings = app.runtime.settings
    settings.set(DIAL_CALLING_HOURS_START, "00:00")
    settings.set(DIAL_CALLING_HOURS_END, "00:00")  # start == end: no restriction
    await settings.asave()
    assert await app.runtime.restart_session()
    services = app.runtime.services
    assert services is not None
    services.lookup.timing = timing
    return app


class CardWatch:
    """Every state the card of the first call went through, as the card rendered it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[CallTimeline] = []
        services = app.runtime.services
        assert services is not None
        services.tracker.changed.subscribe(self._changed)

    def _changed(self, timeline: CallTimeline | None) -> None:
        if timeline is not None:
            self.seen.append(timeline)

    def card(self) -> CallCard | None:
        cards = self.app.window.cards()
        return cards[0] if cards else None

    def offered_again_while_unsettled(self) -> list[CallTimeline]:
        """Timelines whose card offered Call again while the call's fate was not known."""
        return [tl for tl in self.seen if present(tl, tl.phase_since).call_again
                and (tl.checking or tl.end_reason in (EndReason.UNREACHABLE, EndReason.UNKNOWN))]


async def _dial(app: Any) -> CardWatch:
    watch = CardWatch(app)
    app.window.dial.number.setText(CUSTOMER)
    app.window.dial.call_button.click()
    await wait_until(lambda: watch.card() is not None, 10, "a call card")
    return watch


async def _checking_shown(watch: CardWatch) -> None:
    """The uncertain state was on the card, in words, without a Call again button."""
    def checked() -> bool:
        return any(tl.checking for tl in watch.seen)
    await wait_until(checked, 10, "the card to say it is checking")
    checking = next(tl for tl in watch.seen if tl.checking)
    view = present(checking, checking.phase_since)
    assert view.status == CHECKING
    assert view.step(view.steps[0].key).text == "Placing the call: not known, checking Recent calls"
    assert all(step.state is StepState.UNKNOWN for step in view.steps)
    assert not view.call_again and not view.retry_customer


UNREADABLE = [
    pytest.param({"truncated_rate": 1.0}, id="truncated-json"),
    pytest.param({"malformed_rate": 1.0, "after_handler": True}, id="malformed-json"),
    pytest.param({"html_rate": 1.0, "after_handler": True}, id="html-page"),
    pytest.param({"error_rate": 1.0, "error_status": 500, "after_handler": True},
                 id="500-after-the-call"),
    pytest.param({"drop_rate": 1.0, "after_handler": True}, id="dropped-connection"),
    pytest.param({"latency_ms": 4000, "after_handler": True}, id="timeout"),
]


@pytest.mark.parametrize("fault", UNREADABLE)
def test_unreadable_answer_follows_the_real_call(
        qloop: QtLoop, start_app: StartApp, fault: dict[str, Any]) -> None:
    async def scenario() -> None:
        app = await _start(start_app, FAST)
        if "latency_ms" in fault:
            # The app's own client, with a read timeout shorter than the fault's delay.
            app.runtime.http.timeout = httpx.Timeout(1.0)
        app.sandbox.control("POST", "/_sandbox/faults", {**fault, "paths": C2C, "count": 1})
        watch = await _dial(app)
        await _checking_shown(watch)
        # No "try again" advice anywhere: the dial panel says nothing about this call.
        assert "Try again" not in app.window.dial.message.text()

        def following() -> bool:
            card = watch.card()
            return card is not None and bool(card.timeline.logid)
        await wait_until(following, 20, "the card to follow the real call")
        calls = app.calls()
        assert len(calls) == 1, calls
        card = watch.card()
        assert card is not None
        assert card.timeline.logid == calls[0]["id"]
        await wait_until(lambda: card.timeline.phase is Phase.ENDED, 30, "the real call to end")
        await wait_until(lambda: app.calls()[0]["state"] == "ended", 10, "the sandbox call end")
        assert card.timeline.end_reason is EndReason.COMPLETED
        assert card.status_text() == "Call completed"
        assert "Connected: " in card.step_accessible_names()[3]
        assert watch.offered_again_while_unsettled() == []
        assert len(app.calls()) == 1
    qloop.run(scenario())


def test_request_that_never_arrived_offers_call_again_after_the_lookup(
        qloop: QtLoop, start_app: StartApp) -> None:
    """The connection drops before the sandbox acts: no call, so the lookup finds none."""
    async def scenario() -> None:
        app = await _start(start_app, SHORT)
        app.sandbox.control("POST", "/_sandbox/faults", {"drop_rate": 1.0, "paths": C2C,
                                                         "count": 1})
        watch = await _dial(app)
        await _checking_shown(watch)
        card = watch.card()
        assert card is not None
        assert card.again_button.isHidden()
        await wait_until(lambda: card.timeline.phase is Phase.ENDED, 15, "the lookup to end")
        assert app.calls() == []
        assert card.timeline.end_reason is EndReason.NOT_PLACED
        assert re.fullmatch(r"No call to \+91 98765 43210 since \d\d:\d\d in Recent calls: "
                            r"you can call again", card.status_text()), card.status_text()
        assert card.step_accessible_names()[0] == "Placing the call: failed, not placed"
        assert not card.again_button.isHidden()
        assert card.again_button.accessibleName() == "Call +91 98765 43210 again"
        card.again_button.click()
        await wait_until(lambda: len(app.calls()) == 1 or app.window.dial.message.text(), 15,
                         "the second attempt to place a call (or a refusal)")
        assert app.window.dial.message.text() == ""
        assert len(app.calls()) == 1
        assert watch.offered_again_while_unsettled() == []
    qloop.run(scenario())


def test_dialling_while_checking_asks_first(qloop: QtLoop, start_app: StartApp) -> None:
    """The second-call guard treats a call being looked up as a call that may be live
    (the same number within 5 s is refused outright by the repeat guard)."""
    async def scenario() -> None:
        app = await _start(start_app, LookupTiming(window_s=120.0, poll_interval_s=5.0))
        app.sandbox.control("POST", "/_sandbox/faults", {"drop_rate": 1.0, "paths": C2C,
                                                         "count": 1})
        watch = await _dial(app)
        await _checking_shown(watch)
        services = app.runtime.services
        assert services is not None
        with pytest.raises(DialRefused) as refused:
            await services.dialing.dial(CUSTOMER)
        assert refused.value.code == "duplicate"
        # The dropped connection made the app check its connection; it recovers by itself.
        await wait_until(lambda: services.connectivity.is_online, 15, "back online")
        assert watch.card() is not None and watch.card().timeline.checking  # type: ignore[union-attr]
        with pytest.raises(NeedsConfirmation) as asked:
            await services.dialing.dial(OTHER)
        assert asked.value.title == "Start a second call?"
        assert asked.value.message == (
            "A call to +91 98765 43210 may already be on its way (the app is checking Recent "
            "calls for it). Call +91 98765 43211 anyway?")
        assert app.calls() == []
    qloop.run(scenario())
