"""SandboxServer: builds the world and the aiohttp app, binds, and shuts down cleanly.

Runs on whatever asyncio loop is current (a test's, the CLI's, or the app's qasync loop).
"""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from aiohttp.typedefs import Handler

from .calls import CallSimulator
from .campaigns import DialerCampaigns
from .clock import IST, SimClock
from .config import SandboxConfig
from .context import SandboxContext
from .control import ControlHandlers
from .faults import FaultInjector
from .generator import generate_world
from .handlers_admin import AdminHandlers
from .handlers_agents import AgentHandlers
from .handlers_calls import CallHandlers
from .handlers_catalog import CatalogHandlers
from .handlers_contacts import ContactHandlers
from .handlers_dialers import DialerHandlers
from .handlers_logs import LogHandlers
from .handlers_outbound import OutboundHandlers
from .handlers_recordings import RecordingHandlers
from .middleware import build_middlewares
from .routes import register_api_routes, sandbox_table
from .webhooks import WebhookDispatcher


class SandboxServer:
    def __init__(self, config: SandboxConfig) -> None:
        config.validate()
        self.config = config
        self.token = config.token
        self.base_url = ""
        self._ctx: SandboxContext | None = None
        self._runner: web.AppRunner | None = None

    @property
    def context(self) -> SandboxContext:
        """The live world and machinery (for in-process demos and tests)."""
        if self._ctx is None:
            raise RuntimeError("sandbox not started")
        return self._ctx

    async def start(self) -> str:
        """Build the world, bind, and return the base URL ``http://host:port``."""
        cfg = self.config
        start = cfg.start_time or datetime.now(IST)
        clock = SimClock(start, cfg.speed)
        world = generate_world(cfg.seed, clock.start, cfg.history, cfg.id_offset)
        webhooks = WebhookDispatcher(clock)
        if cfg.webhook_url:
            webhooks.register(cfg.webhook_url, cfg.webhook_secret)
        calls = CallSimulator(world, clock, webhooks)
        ctx = SandboxContext(cfg, clock, world, webhooks, calls, FaultInjector(cfg.seed),
                             DialerCampaigns(calls, clock))
        self._ctx = ctx
        app = web.Application(middlewares=build_middlewares(cfg.token, cfg.auth_failure,
                                                            ctx.faults))
        handlers: dict[str, Handler] = {}
        for group in (CallHandlers(ctx), LogHandlers(ctx), AgentHandlers(ctx),
                      ContactHandlers(ctx), DialerHandlers(ctx), OutboundHandlers(ctx),
                      AdminHandlers(ctx), CatalogHandlers(ctx)):
            handlers.update(group.routes())
        register_api_routes(app, handlers, sandbox_table())
        ControlHandlers(ctx).register(app)
        RecordingHandlers(ctx).register(app)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, cfg.host, cfg.port)
        await site.start()
        port = self._runner.addresses[0][1]
        host = f"[{cfg.host}]" if ":" in cfg.host else cfg.host
        self.base_url = f"http://{host}:{port}"
        ctx.base_url = ctx.calls.base_url = self.base_url
        return self.base_url

    async def stop(self) -> None:
        """Cancel call simulations and webhook deliveries, then close the server."""
        if self._ctx is not None:
            await self._ctx.campaigns.stop()
            await self._ctx.calls.stop()
            await self._ctx.webhooks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
