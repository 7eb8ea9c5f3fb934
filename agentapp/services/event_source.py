"""Where a session's live call events come from: one interface, three honest answers.

- ``ReceiverSource``: this app's own webhook receiver (sandbox, development,
  or a desktop the provider can reach);
- ``RelaySubscription`` (``services.relay_subscription``): the team relay's
  NATS JetStream stream, for real accounts behind NAT;
- ``PollingSource``: no live events at all. The call tracker still follows
  the calls this app places by polling, but nothing arrives for inbound
  calls, so its state is always ``OFF`` and the UI says so.

Every source reports ``state`` (connected / reconnecting / off) and hands
deliveries to an ``EventSink``: live ones to ``EventIntake`` (tracker and
pops), late ones (``SourcedEvent.live`` False) to history only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from agentapp.services.observable import Observable
from agentapp.services.webhook_receiver import EventIntake, WebhookReceiver

DEFAULT_STALE_AFTER_S = 120.0


class LiveState(StrEnum):
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    OFF = "off"


@dataclass(frozen=True)
class SourcedEvent:
    """One delivery and the one decision the sink needs: act on it now, or only record it."""

    event_id: str
    payload: dict[str, Any]
    received_at: float
    live: bool


def is_live(received_at: float, now: float, stale_after_s: float = DEFAULT_STALE_AFTER_S) -> bool:
    """An event is live while younger than ``stale_after_s`` (a ring from 5 min ago is not)."""
    return now - received_at <= stale_after_s


class EventSource(Protocol):
    kind: str
    state: Observable[LiveState]
    problem: Observable[str]  # why it is not connected, in words ("" when fine or unknown)

    @property
    def healthy(self) -> bool:
        """Proven: connected and at least one event arrived (the tracker polls less)."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


EventSink = Callable[[SourcedEvent], None]


def intake_sink(intake: EventIntake) -> EventSink:
    """Live events into the intake (tracker, pops); stale ones into its history only."""

    def sink(event: SourcedEvent) -> None:
        if event.live:
            intake(event.payload)
        else:
            intake.replayed(event.payload, event.received_at)

    return sink


class PollingSource:
    """No live events: the tracker polls the calls this app places; inbound calls go unseen."""

    kind = "polling"

    def __init__(self) -> None:
        self.state: Observable[LiveState] = Observable(LiveState.OFF)
        self.problem: Observable[str] = Observable("")

    @property
    def healthy(self) -> bool:
        return False

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


class ReceiverSource:
    """The app's own webhook receiver as an event source (it delivers straight to intake)."""

    kind = "receiver"

    def __init__(self, receiver: WebhookReceiver) -> None:
        self.receiver = receiver
        self.state: Observable[LiveState] = Observable(LiveState.OFF)
        self.problem: Observable[str] = Observable("")

    @property
    def healthy(self) -> bool:
        return self.receiver.healthy

    async def start(self) -> None:
        await self.receiver.start()
        self.state.set(LiveState.CONNECTED)

    async def stop(self) -> None:
        await self.receiver.stop()
        self.state.set(LiveState.OFF)
