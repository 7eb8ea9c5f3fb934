"""JetStream side of the relay: keep a connection, ensure the stream, publish with dedup.

``publish`` returns only once JetStream has stored the message (or said it
is a duplicate); any way of not getting there raises ``Unavailable``, which
the server turns into 503 so the provider retries. The retry carries the same
``Nats-Msg-Id`` and JetStream drops it if the first attempt did land.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from agentapp.relay.config import RelayConfig
from agentapp.services.event_source_problems import connection_problem, refuse_plaintext
from agentapp.services.event_source_subjects import (
    MSG_ID_HEADER,
    Routed,
    nats_auth,
    nats_tls,
    stream_name,
    stream_subjects,
)
from agentapp.services.tasks import cancel_until_done

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.js.client import JetStreamContext

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """JetStream did not acknowledge: answer 503 and let the provider retry."""


class JetStreamPublisher:
    def __init__(self, config: RelayConfig) -> None:
        self._config = config
        self._stream = stream_name(config.account)
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._stream_ready = False
        self._task: asyncio.Task[None] | None = None

    @property
    def ready(self) -> bool:
        """Connected and the stream exists: publishes can be acknowledged."""
        return self._nc is not None and self._nc.is_connected and self._stream_ready

    def start(self) -> None:
        """Connect in the background; until it succeeds every publish is ``Unavailable``."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._connect_loop(),
                                                                name="relay-nats-connect")

    async def stop(self) -> None:
        await cancel_until_done(self._task)
        self._task = None
        nc, self._nc = self._nc, None
        if nc is not None:
            with contextlib.suppress(Exception):
                await nc.close()

    async def _connect_loop(self) -> None:
        import nats

        delay = 0.2
        while self._nc is None:
            try:
                tls = await asyncio.to_thread(nats_tls, self._config.nats_ca_file)
                nc = await nats.connect(
                    list(self._config.nats_urls), name="agentapp-relay",
                    connect_timeout=2, reconnect_time_wait=0.5, max_reconnect_attempts=-1,
                    allow_reconnect=True, error_cb=_log_error, ping_interval=5,
                    max_outstanding_pings=2, **tls, **nats_auth(self._config.nats_creds))
                try:
                    refuse_plaintext(nc)
                except ConnectionError:
                    await nc.close()
                    raise
            except Exception as exc:  # no server yet: keep trying, answer 503 meanwhile
                log.warning("NATS not reachable (%s); retrying in %.1f s",
                            connection_problem(exc), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self._nc, self._js = nc, nc.jetstream(timeout=self._config.publish_timeout_s)
        while not self._stream_ready:
            try:
                await self._ensure_stream()
            except Exception as exc:
                log.warning("JetStream stream %s not ready (%s)", self._stream, exc)
                await asyncio.sleep(1.0)

    async def _ensure_stream(self) -> None:
        from nats.js.api import StorageType, StreamConfig
        from nats.js.errors import NotFoundError

        assert self._js is not None
        config = StreamConfig(
            name=self._stream, subjects=[stream_subjects(self._config.account)],
            storage=StorageType.FILE, num_replicas=self._config.replicas,
            duplicate_window=self._config.duplicate_window_s, max_age=self._config.max_age_s)
        try:
            await self._js.stream_info(self._stream)
        except NotFoundError:
            await self._js.add_stream(config)
            log.info("created JetStream stream %s (%d replicas)", self._stream,
                     self._config.replicas)
        else:
            await self._js.update_stream(config)
        self._stream_ready = True

    async def publish(self, routed: Routed) -> bool:
        """Store ``routed``; True when JetStream had it already (a duplicate)."""
        if self._js is None or not self.ready:
            raise Unavailable("not connected to NATS")
        try:
            ack: Any = await self._js.publish(
                routed.subject, routed.data, timeout=self._config.publish_timeout_s,
                stream=self._stream, headers={MSG_ID_HEADER: routed.event_id})
        except Exception as exc:  # timeout, no responders, reconnecting, closed
            raise Unavailable(type(exc).__name__) from None
        return bool(ack.duplicate)


async def _log_error(exc: Exception) -> None:
    log.warning("NATS: %s", connection_problem(exc))
