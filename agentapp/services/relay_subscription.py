"""Live call events from the team relay: durable JetStream consumers for this desktop.

One durable pull consumer per filter (the agent's extension, then each of
its DID lines; ``event_source_subjects.desk_filters``) in this desktop's own
slot (``event_source_desktop``: two desktops on one extension each get every
event), so the server keeps our place while the app is closed and replays
what we missed when we come back. Consumers idle for ``inactive_after_s``
are deleted by the server (an abandoned desktop frees its slot). Each
message is acknowledged only after the sink handled it; one the sink
cannot use is terminated (never redelivered forever). Redeliveries (a lost
ack, a node failover) are dropped by event id. Events older than
``stale_after_s`` are delivered with ``live=False``: history, never a pop.

Known limit: a message published while a stopped app's last pull request
is still open on the server (up to ``fetch_wait_s``) goes to that dead
request and is redelivered after ``ack_wait_s``, so it can arrive after
later events of the same call (the call state machine merges out-of-order
facts; the history keeps each event's own relay time).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agentapp.core.events import BadEvent
from agentapp.services.event_source import (
    DEFAULT_STALE_AFTER_S,
    EventSink,
    LiveState,
    SourcedEvent,
    is_live,
)
from agentapp.services.event_source_desktop import claim_slot, description
from agentapp.services.event_source_problems import connection_problem, refuse_plaintext
from agentapp.services.event_source_subjects import (
    DeskFilter,
    desk_filters,
    inbox_prefix,
    nats_auth,
    nats_tls,
    open_envelope,
    stream_name,
)
from agentapp.services.nats_import import import_nats
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_until_done

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg
    from nats.js.client import JetStreamContext

log = logging.getLogger(__name__)

_SEEN_KEPT = 20_000
# The stream keeps 24 h of events; a desktop away longer finds nothing of use to replay
# (its calls reach history from the API), so its consumers need not outlive that.
DEFAULT_INACTIVE_AFTER_S = 24 * 3600.0


@dataclass(frozen=True)
class RelayTarget:
    """Which relay stream to read and as whom; ``creds`` never appears in a repr or log."""

    urls: tuple[str, ...]
    account: str
    ext: str
    dids: tuple[str, ...] = ()
    creds: str = field(default="", repr=False)
    desktop_id: str = ""  # this installation (event_source_desktop); "" = a new one each time
    ca_file: str = ""  # PEM CA that signed the NATS servers' certificates ("" = system CAs)


class RelaySubscription:
    kind = "relay"

    def __init__(self, target: RelayTarget, sink: EventSink, *,
                 clock: Callable[[], float] = time.time,
                 stale_after_s: float = DEFAULT_STALE_AFTER_S,
                 backoff_s: tuple[float, float] = (0.2, 10.0),
                 fetch_batch: int = 64, fetch_wait_s: float = 5.0,
                 ack_wait_s: float = 10.0,
                 inactive_after_s: float = DEFAULT_INACTIVE_AFTER_S) -> None:
        self._target = target
        self._sink = sink
        self._clock = clock
        self._stale_after_s = stale_after_s
        self._backoff = backoff_s
        self._fetch_batch = fetch_batch
        self._fetch_wait_s = fetch_wait_s
        self._ack_wait_s = ack_wait_s
        self._inactive_after_s = inactive_after_s
        self._desktop_id = target.desktop_id or secrets.token_hex(16)
        desk_filters(target.account, target.ext, target.dids)  # ValueError now, not later
        self._stream = stream_name(target.account)
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._task: asyncio.Task[None] | None = None
        self._nc: Client | None = None
        self.state: Observable[LiveState] = Observable(LiveState.OFF)
        self.delivered = 0
        self.redelivered = 0  # copies dropped by event id (a lost ack, a failover)
        self.slot = 0  # this desktop's consumer slot once bound (1..DESKTOP_SLOTS)
        # why it is not connected, in words ("" when connected or not yet known)
        self.problem: Observable[str] = Observable("")

    @property
    def healthy(self) -> bool:
        return self.state.value is LiveState.CONNECTED and self.delivered > 0

    def handled(self, event_id: str) -> bool:
        """Was ``event_id`` handed to the sink (among the last ~20,000)?"""
        return event_id in self._seen

    async def start(self) -> None:
        if self._task is None:
            self.state.set(LiveState.RECONNECTING)
            self._task = asyncio.get_running_loop().create_task(self._run(),
                                                                name="relay-subscription")

    async def stop(self) -> None:
        await cancel_until_done(self._task)
        self._task = None
        await self._close()
        self.problem.set("")
        self.state.set(LiveState.OFF)

    async def _close(self) -> None:
        nc, self._nc = self._nc, None
        if nc is not None:
            with contextlib.suppress(Exception):
                await nc.close()

    # -- connection --------------------------------------------------------------
    async def _run(self) -> None:
        delay = self._backoff[0]
        while True:
            try:
                js = await self._connect()
                subs = [await self._bind(js, f) for f in await self._my_filters(js)]
                self.problem.set("")
                self.state.set(LiveState.CONNECTED)
                delay = self._backoff[0]
                async with asyncio.TaskGroup() as group:  # one fails: all stop, reconnect
                    for sub in subs:
                        group.create_task(self._pull(sub))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # no server, auth refused, connection closed
                name = connection_problem(exc)
                self.problem.set(name)
                log.warning("relay subscription: %s; retrying in %.1f s", name, delay)
            await self._close()
            self.state.set(LiveState.RECONNECTING)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff[1])

    async def _connect(self) -> JetStreamContext:
        nats = import_nats()  # ~50 ms: paid only when a relay is configured

        async def disconnected() -> None:
            self.state.set(LiveState.RECONNECTING)

        async def reconnected() -> None:
            self.problem.set("")
            self.state.set(LiveState.CONNECTED)

        async def errored(exc: Exception) -> None:
            problem = connection_problem(exc)
            if isinstance(exc, ConnectionResetError) and self.problem.value:
                return  # the server closing after saying why: the why stays
            if self.state.value is not LiveState.CONNECTED and problem != self.problem.value:
                self.problem.set(problem)  # the client retries on its own; say why meanwhile
                log.warning("relay connection: %s", problem)
            else:
                log.info("relay connection: %s", type(exc).__name__)

        t = self._target
        tls = await asyncio.to_thread(nats_tls, t.ca_file)
        self._nc = await nats.connect(
            list(t.urls), name=f"agentapp-{t.ext}", connect_timeout=2,
            reconnect_time_wait=self._backoff[0], max_reconnect_attempts=-1,
            ping_interval=5, max_outstanding_pings=2, error_cb=errored,
            disconnected_cb=disconnected, reconnected_cb=reconnected,
            inbox_prefix=inbox_prefix(t.account, t.ext), **tls, **nats_auth(t.creds))
        refuse_plaintext(self._nc)
        return self._nc.jetstream(timeout=5)

    def _config(self) -> Any:
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

        return ConsumerConfig(
            description=description(self._desktop_id),
            ack_policy=AckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.NEW,
            ack_wait=self._ack_wait_s, max_ack_pending=1000,
            inactive_threshold=self._inactive_after_s)

    async def _my_filters(self, js: JetStreamContext) -> list[DeskFilter]:
        """Our slot's consumers: the one we held before, else a free one (``NoFreeSlot``)."""
        assert self._nc is not None
        t = self._target
        self.slot = await claim_slot(self._nc, js, self._stream, t.account, t.ext,
                                     self._desktop_id, self._config().as_dict())
        return desk_filters(t.account, t.ext, t.dids, self.slot)

    async def _bind(self, js: JetStreamContext, desk: DeskFilter) -> Any:
        """Create (or find, unchanged) our durable consumer, then pull from it."""
        config = self._config().evolve(name=desk.consumer, durable_name=desk.consumer,
                                       filter_subject=desk.subject)
        await js.add_consumer(self._stream, config)
        return await js.pull_subscribe_bind(consumer=desk.consumer, stream=self._stream)

    async def _pull(self, sub: Any) -> None:
        import nats.errors

        nc = self._nc
        assert nc is not None
        while not nc.is_closed:
            try:
                messages = await sub.fetch(self._fetch_batch, timeout=self._fetch_wait_s)
            except nats.errors.TimeoutError:
                continue
            except (nats.errors.ConnectionReconnectingError, nats.errors.ConnectionClosedError,
                    nats.errors.NoRespondersError):
                await asyncio.sleep(self._backoff[0])  # the client reconnects by itself
                continue
            for msg in messages:
                await self._handle(msg)
        raise ConnectionError("NATS connection closed")

    # -- one message ---------------------------------------------------------------
    async def _handle(self, msg: Msg) -> None:
        try:
            envelope = open_envelope(msg.data)
        except BadEvent as exc:
            log.warning("relay message dropped: %s", exc.reason)
            await _settle(msg.term())
            return
        if envelope.event_id in self._seen:  # redelivered after a lost ack or a failover
            self.redelivered += 1
            await _settle(msg.ack())
            return
        event = SourcedEvent(envelope.event_id, envelope.payload, envelope.received_at,
                             live=is_live(envelope.received_at, self._clock(),
                                          self._stale_after_s))
        try:
            self._sink(event)
        except BadEvent as exc:
            log.warning("relay event %s unusable: %s", envelope.event_id, exc.reason)
            await _settle(msg.term())
            return
        except Exception:
            log.exception("relay event %s: handler failed", envelope.event_id)
            await _settle(msg.term())
            return
        self._remember(envelope.event_id)
        self.delivered += 1
        await _settle(msg.ack())

    def _remember(self, event_id: str) -> None:
        self._seen[event_id] = None
        while len(self._seen) > _SEEN_KEPT:
            self._seen.popitem(last=False)


async def _settle(ack: Any) -> None:
    """An ack lost to a dropped connection is redelivered later and deduplicated then."""
    with contextlib.suppress(Exception):
        await ack
