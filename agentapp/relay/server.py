"""The relay's HTTP side: the secret webhook path, ``/healthz`` and ``/metrics``.

Request checks and body decoding are the same code as the app's own
receiver's (``services.delivery_checks``, reached through ``listener.AiohttpDelivery``);
routing and the message format are shared with the desktop
(``services.event_source_subjects``). Nothing here logs a
body, a header, the path token or a secret.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from agentapp.core.events import BadEvent
from agentapp.logging_setup import RepeatThrottle
from agentapp.relay.config import RelayConfig
from agentapp.relay.metrics import RelayMetrics
from agentapp.relay.publisher import JetStreamPublisher, Unavailable
from agentapp.services.delivery_checks import (
    HOOK_PREFIX,
    AlreadyDelivered,
    DeliveryRefused,
    decode_body,
    read_delivery,
    release_claim,
    release_logs,
    throttle_logs,
)
from agentapp.services.event_source_subjects import route
from agentapp.services.hook_limits import ConnectionCap, HookLimits
from agentapp.services.replay_window import ReplayWindow

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)

_REFUSAL_REASONS = {404: "path", 405: "method", 413: "size", 401: "signature",
                    408: "slow", 415: "content_type"}


class RelayServer:
    def __init__(self, config: RelayConfig, *, clock: Callable[[], float] = time.time,
                 publisher: JetStreamPublisher | None = None,
                 limits: HookLimits | None = None) -> None:
        self._config = config
        self._clock = clock
        self._limits = limits
        self._replays = ReplayWindow()
        self._throttle: RepeatThrottle | None = None
        self.connections: ConnectionCap | None = None  # while listening
        self._publisher = publisher or JetStreamPublisher(config)
        self._path_token = config.path_token or secrets.token_urlsafe(24)
        self._runner: web.AppRunner | None = None
        self.metrics = RelayMetrics()
        self.base_url = ""

    @property
    def hook_path(self) -> str:
        return HOOK_PREFIX + self._path_token

    @property
    def webhook_url(self) -> str:
        """The URL to register with the account (it contains the secret path)."""
        return self.base_url + self.hook_path

    @property
    def ready(self) -> bool:
        return self._publisher.ready

    async def start(self) -> str:
        """Listen, start connecting to NATS; returns the base URL."""
        from aiohttp import web

        from agentapp.relay.listener import start_listener

        self._limits = self._limits or HookLimits(max_connections=self._config.max_connections)
        app = web.Application(client_max_size=self._config.max_body)
        app.router.add_get("/healthz", self._health)
        app.router.add_get("/metrics", self._metrics)
        app.router.add_route("*", "/{tail:.*}", self._hook)
        self._runner, site, port = await start_listener(app, self._config.host,
                                                         self._config.port, self._limits)
        self.connections = site.cap
        self._throttle = throttle_logs(self._clock)
        self.base_url = (self._config.public_url or f"http://{self._config.host}:{port}"
                         ).rstrip("/")
        self._publisher.start()
        log.info("relay listening on %s:%s for account %s", self._config.host, port,
                 self._config.account)
        return self.base_url

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        if self._throttle is not None:
            release_logs(self._throttle)
            self._throttle = None
        await self._publisher.stop()

    async def _health(self, request: web.Request) -> web.Response:
        from aiohttp import web

        ok = self._publisher.ready
        return web.json_response({"ok": ok, "nats": "connected" if ok else "unavailable"},
                                 status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        from aiohttp import web

        return web.Response(text=self.metrics.render(), content_type="text/plain",
                            charset="utf-8", headers={"Cache-Control": "no-store"})

    async def _hook(self, request: web.Request) -> web.Response:
        from aiohttp import web

        from agentapp.relay.listener import AiohttpDelivery

        started = time.perf_counter()
        self.metrics.events_in += 1
        delivery = AiohttpDelivery(request)
        try:
            body = await read_delivery(delivery, self.hook_path, max_body=self._config.max_body,
                                       secret=self._config.webhook_secret or None,
                                       now=self._clock(), replays=self._replays,
                                       body_timeout_s=self._limits.body_timeout_s
                                       if self._limits else 10.0)
            try:
                routed = route(self._config.account, decode_body(body),
                               received_at=self._clock())
                duplicate = await self._publisher.publish(routed)
            except BaseException:
                release_claim(delivery, self._replays)
                raise
        except AlreadyDelivered:  # a replayed signature: no second publish
            self.metrics.rejected["replay"] += 1
            return web.json_response({"ok": True, "duplicate": True})
        except DeliveryRefused as exc:
            self.metrics.rejected[_REFUSAL_REASONS.get(exc.status, "other")] += 1
            return web.json_response({"ok": False, "error": exc.message}, status=exc.status,
                                     headers=dict(exc.headers))
        except BadEvent as exc:
            self.metrics.rejected["invalid"] += 1
            log.info("delivery rejected: %s", exc.reason)
            return web.json_response({"ok": False, "error": exc.reason}, status=400)
        except Unavailable as exc:
            self.metrics.unavailable += 1
            log.warning("JetStream unavailable (%s): answered 503", exc)
            return web.json_response({"ok": False, "error": "event store unavailable, retry"},
                                     status=503, headers={"Retry-After": "2"})
        self.metrics.published += 1
        self.metrics.duplicates += int(duplicate)
        self.metrics.observe_publish(time.perf_counter() - started)
        return web.json_response({"ok": True, "id": routed.event_id, "duplicate": duplicate})
