"""Issue 16.11, the app's own webhook receiver under fire, in the running app.

1. Hypothesis posts 1,000 random deliveries (bodies, content types, extra headers;
   correctly signed, unsigned, badly signed or stale) at the receiver of the real
   app while its loop is watched: every answer is 2xx or 4xx (0 crashes, 0 5xx),
   nothing unhandled, no stall over 100 ms, and afterwards a real call placed
   through the window is still followed by webhook deliveries.
2. 200 signed events per second for 10 s (2,000 events, 5 calls of 400 events,
   one sender per call as the provider's per-call queue does): every event is
   processed once, in its call's order, and each call's timeline lists its keypad
   steps in the order sent.

The senders run in another process (testkit.webhook_senders), as the provider
does; only the app (and its sandbox thread) runs in this one.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from agentapp.core.call import CallEvent, Phase
from agentapp.services.webhook_receiver import WebhookReceiver
from testkit.fault_run import FaultRig
from testkit.heartbeat import STALL_LIMIT_S, heartbeat
from testkit.qt_loop import QtLoop
from testkit.unhandled import record_unhandled
from testkit.webhook_senders import (
    CALLS,
    LOGIDS,
    PER_CALL,
    SETUP,
    in_process,
    random_deliveries,
    steady_stream,
)

EXAMPLES = 1000


def _receiver(rig: FaultRig) -> tuple[WebhookReceiver, str]:
    """The app's receiver and its signing secret (the sandbox registers a signed one)."""
    assert rig.app is not None
    receiver = rig.app.services.receiver
    assert receiver is not None and receiver.secret
    return receiver, receiver.secret


@pytest.mark.timeout(200)
def test_a_thousand_random_deliveries(qapp: QApplication, qloop: QtLoop,
                                      data_dirs: Path) -> None:
    rig = FaultRig(qapp)

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        with record_unhandled() as unhandled, in_process() as sender:
            await rig.start()
            try:
                receiver, secret = _receiver(rig)
                async with heartbeat(freeze=True) as beat:
                    statuses, refused, bad = await loop.run_in_executor(
                        sender, random_deliveries, receiver.url, secret, EXAMPLES)
                    # Still a working receiver: a real call is followed by deliveries.
                    before = receiver.deliveries
                    rig.dial("9876543210")
                    assert rig.app is not None
                    window = rig.app.window
                    await rig.wait(lambda: any(c.timeline.phase is Phase.ENDED and
                                               c.timeline.logid for c in window.cards()),
                                   30, "the real call to be followed to its end")
                    await rig.wait(lambda: receiver.deliveries > before, 10, "deliveries")
                [card] = window.cards()
                assert card.status_text() == "Call completed"
            finally:
                await rig.stop()
        print(f"receiver: {sum(statuses.values())} deliveries answered, {refused} not "
              f"sendable by httpx, answers {sorted(statuses.items())}; loop: {beat.summary()}")
        assert bad == [], bad[:5]
        assert sum(statuses.values()) + refused == EXAMPLES, (statuses, refused)
        assert refused < 50 and statuses.get(200, 0) > 0, (statuses, refused)
        assert set(statuses) <= {200, 400, 401, 413, 415}, statuses
        assert unhandled.problems == [], unhandled.describe()
        assert beat.max_stall_s <= STALL_LIMIT_S, beat.summary()

    qloop.run(scenario(), timeout=190)


@pytest.mark.timeout(120)
def test_two_hundred_events_a_second_in_order(qapp: QApplication, qloop: QtLoop,
                                             data_dirs: Path) -> None:
    rig = FaultRig(qapp)
    seen: dict[str, list[str]] = defaultdict(list)

    def heard(event: CallEvent | None) -> None:
        if event is not None and event.logid in LOGIDS:
            seen[event.logid].append(event.event_id)

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        with record_unhandled() as unhandled, in_process() as sender:
            await rig.start()
            try:
                assert rig.app is not None
                services = rig.app.services
                receiver, secret = _receiver(rig)
                for logid in LOGIDS:  # the app follows these calls, as after click-to-call
                    services.tracker.track(logid, "2101", "+919876543210")
                services.intake.events.subscribe(heard)
                async with heartbeat(freeze=True) as beat:
                    answers, took = await loop.run_in_executor(
                        sender, steady_stream, receiver.url, secret)
                    await rig.wait(lambda: all(
                        (t := services.tracker.by_logid(logid)) is not None
                        and t.phase is Phase.ENDED for logid in LOGIDS), 10, "all calls ended")
                timelines = {logid: services.tracker.by_logid(logid) for logid in LOGIDS}
                cards = {c.timeline.logid: c.timeline for c in rig.app.window.cards()}
            finally:
                await rig.stop()
        print(f"events: {len(answers)} sent in {took:.1f} s "
              f"({len(answers) / took:.0f}/s); loop: {beat.summary()}")
        assert len(answers) == CALLS * PER_CALL
        assert {status for _, _, status in answers} == {200}
        for logid in LOGIDS:
            expected = [f"{logid}-{seq}" for seq in range(1, PER_CALL + 1)]
            assert seen[logid] == expected, f"call {logid}: events lost, repeated or reordered"
            timeline = timelines[logid]
            assert timeline is not None and timeline.seen_event_ids == set(expected)
            keypad = [s.text.removeprefix("Keypad: ") for s in timeline.steps
                      if s.text.startswith("Keypad: ")]
            assert keypad == [str(seq) for seq in range(len(SETUP) + 1, PER_CALL)], logid
            assert cards[logid] == timeline  # the window shows the tracker's final state
        assert unhandled.problems == [], unhandled.describe()
        assert beat.max_stall_s <= STALL_LIMIT_S, beat.summary()

    qloop.run(scenario(), timeout=110)
