"""The control API under ``/_sandbox/`` (not part of the real API): inspect and steer.

Same token auth as the API; injected faults never apply here.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from agentapp import __version__

from .calls import InboundSpec
from .context import SandboxContext
from .envelopes import ApiError, invalid, reply, required, text
from .faults import FaultPlan
from .phone_formats import canonical_did, national_number
from .request_params import params_of

SANDBOX_NAME = "ivr-solutions-sandbox"
OPENAPI_PATH = "/_sandbox/openapi.json"  # public: no token needed (middleware)


class ControlHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx
        self._openapi: dict[str, Any] | None = None

    def register(self, app: web.Application) -> None:
        r = app.router
        r.add_get("/_sandbox/info", self.info)
        r.add_post("/_sandbox/inbound", self.inbound)
        r.add_get("/_sandbox/faults", self.get_faults)
        r.add_post("/_sandbox/faults", self.set_faults)
        r.add_post("/_sandbox/speed", self.speed)
        r.add_get("/_sandbox/calls", self.calls)
        r.add_get("/_sandbox/deliveries", self.deliveries)
        r.add_get("/_sandbox/notes", self.notes)
        r.add_post("/_sandbox/webhook", self.webhook)
        r.add_get(OPENAPI_PATH, self.openapi)

    async def info(self, request: web.Request) -> web.Response:
        ctx, world = self._ctx, self._ctx.world
        return reply({
            "status": 200, "name": SANDBOX_NAME, "version": __version__,
            "speed": ctx.clock.speed, "now": ctx.clock.now_str(), "seed": ctx.config.seed,
            "webhook_url": ctx.webhooks.url or "",
            "counts": {
                "agents": len(world.agents), "dids": len(world.dids),
                "contacts": len(world.contacts), "call_logs": len(world.call_logs),
                "c2c_logs": len(world.c2c_logs), "dialer_logs": len(world.dialer_logs),
                "click_connect_logs": len(world.click_connect_logs),
                "calls": len(ctx.calls.calls), "live_calls": len(ctx.calls.live_calls()),
                "deliveries": len(ctx.webhooks.deliveries), "notes": len(ctx.notes),
            },
        })

    async def inbound(self, request: web.Request) -> web.Response:
        p = params_of(request)
        caller = national_number(required(p, "from"))
        if caller is None:
            raise invalid("from")
        did_number = canonical_did(required(p, "did"))
        if did_number is None or did_number not in self._ctx.world.dids:
            raise invalid("did")
        agent = self._ctx.world.agent_by_ext(required(p, "ext_no"))
        if agent is None:
            raise ApiError(404, "Extension not configured in IVR dashboard")
        outcome = text(p, "outcome", "answered")
        if outcome not in ("answered", "missed"):
            raise invalid("outcome")
        talk_raw = text(p, "talk_seconds")
        if talk_raw and not talk_raw.isdigit():
            raise invalid("talk_seconds")
        dtmf = text(p, "dtmf")
        if dtmf and not all(ch in "0123456789*#" for ch in dtmf):
            raise invalid("dtmf")
        spec = InboundSpec(caller, did_number, agent, outcome == "answered",
                           int(talk_raw) if talk_raw else None, dtmf)
        call = self._ctx.calls.start_inbound(spec)
        return reply({"status": 200, "logid": call.id, "recordid": str(call.id)})

    async def get_faults(self, request: web.Request) -> web.Response:
        return reply({"status": 200, "faults": self._ctx.faults.plan.as_dict()})

    async def set_faults(self, request: web.Request) -> web.Response:
        try:
            plan = FaultPlan.from_json(params_of(request))
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        self._ctx.faults.set_plan(plan)
        return reply({"status": 200, "faults": plan.as_dict()})

    async def speed(self, request: web.Request) -> web.Response:
        raw = required(params_of(request), "speed")
        try:
            value = float(raw)
        except ValueError:
            raise invalid("speed") from None
        if not 0 < value <= 10_000:
            raise invalid("speed")
        self._ctx.clock.set_speed(value)
        return reply({"status": 200, "speed": value})

    async def calls(self, request: web.Request) -> web.Response:
        return reply({"status": 200,
                      "data": [c.control_dict() for c in self._ctx.calls.calls.values()]})

    async def deliveries(self, request: web.Request) -> web.Response:
        rows: list[dict[str, Any]] = [d.as_dict() for d in self._ctx.webhooks.deliveries]
        return reply({"status": 200, "data": rows})

    async def notes(self, request: web.Request) -> web.Response:
        return reply({"status": 200, "data": list(self._ctx.notes)})

    async def webhook(self, request: web.Request) -> web.Response:
        p = params_of(request)
        url = required(p, "url")
        if not url.startswith(("http://", "https://")):
            raise invalid("url")
        self._ctx.webhooks.register(url, text(p, "secret") or None)
        return reply({"status": 200, "message": "Webhook registered", "url": url})

    async def openapi(self, request: web.Request) -> web.Response:
        """Built on first request from a fresh sandbox of the same seed, then cached."""
        if self._openapi is None:
            from .openapi import build_openapi

            self._openapi = await build_openapi(self._ctx.config.seed, self._ctx.base_url)
        return web.json_response(self._openapi)
