"""One-shot outbound calls: text-to-speech, call flows and voice bots.

Each request places a real simulated call (customer outcome rules, webhooks,
recording, a row in the call logs as ``outgoing``), now or at ``schedule_datetime``
in ``timezone`` (default Asia/Kolkata). The reply's ``call_id`` ends in the call's
log id (``call_txt_1000301``), which ``get_call_status?logid=`` also accepts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web
from aiohttp.typedefs import Handler

from .calls import flow_keypress
from .clock import SimClock
from .context import SandboxContext
from .envelopes import invalid, reply, required, text
from .phone_formats import national_number
from .request_params import params_of

INITIATED = "Call initiated successfully"
SCHEDULE_FORMAT = "%Y-%m-%d %H:%M:%S"
CALL_ID_PREFIXES = ("call_txt_", "call_flow_", "call_bot_", "call_aibot_")


def schedule_delay(params: dict[str, Any], clock: SimClock) -> float:
    """Sim seconds until ``schedule_datetime`` (0 when absent or already past)."""
    raw = text(params, "schedule_datetime")
    if not raw:
        return 0.0
    zone_name = text(params, "timezone") or "Asia/Kolkata"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid("timezone") from None
    try:
        when = datetime.strptime(raw, SCHEDULE_FORMAT).replace(tzinfo=zone)
    except ValueError:
        raise invalid("schedule_datetime") from None
    return max(0.0, (when - clock.now()).total_seconds())


def call_log_id(value: str) -> str:
    """``call_txt_1000301`` -> ``1000301``; other values unchanged."""
    for prefix in CALL_ID_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


class OutboundHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx

    def routes(self) -> dict[str, Handler]:
        return {
            "dial_by_text": self.dial_by_text, "dial_by_flow": self.dial_by_flow,
            "dial_by_flow_get": self.dial_by_flow_get,
            "dial_by_aivoicebot": self.dial_by_aivoicebot,
            "dial_by_voicebot": self.dial_by_voicebot,
        }

    def _customer(self, params: dict[str, Any], name: str) -> str:
        number = national_number(required(params, name))
        if number is None:
            raise invalid(name)
        return number

    def _flow(self, params: dict[str, Any], name: str, *, needed: bool) -> str:
        flow_id = required(params, name) if needed else text(params, name)
        if flow_id and self._ctx.catalog.flow(flow_id) is None:
            raise invalid(name)
        return flow_id

    def _default_did(self) -> str:
        """Bots may omit the DID: the account's first active one places the call (guess)."""
        return next(d.number for d in self._ctx.world.dids.values() if d.active)

    def _place(self, prefix: str, source: str, did_no: str, customer: str, delay: float,
               dtmf: str = "") -> web.Response:
        call = self._ctx.calls.start_outgoing(did_no, customer, source, delay, dtmf)
        return reply({"status": 200, "message": INITIATED, "call_id": f"{prefix}{call.id}"})

    async def dial_by_text(self, request: web.Request) -> web.Response:
        p = params_of(request)
        did = self._ctx.did_for_call(required(p, "did_no"), strict_plus=False)
        customer = self._customer(p, "customer_no")
        if self._ctx.catalog.template(required(p, "template_name")) is None:
            raise invalid("template_name")
        self._flow(p, "flow_id", needed=False)
        delay = schedule_delay(p, self._ctx.clock)
        return self._place("call_txt_", "dial_by_text", did.number, customer, delay)

    async def dial_by_flow(self, request: web.Request) -> web.Response:
        p = params_of(request)
        did = self._ctx.did_for_call(required(p, "did_no"), strict_plus=False)
        self._flow(p, "flow_id", needed=True)
        customer = self._customer(p, "customer_no")
        delay = schedule_delay(p, self._ctx.clock)
        return self._place("call_flow_", "dial_by_flow", did.number, customer, delay,
                           flow_keypress(customer))

    async def dial_by_flow_get(self, request: web.Request) -> web.Response:
        p = params_of(request)
        did = self._ctx.did_for_call(required(p, "did"), strict_plus=False)
        self._flow(p, "flow", needed=True)
        customer = self._customer(p, "phone")
        return self._place("call_flow_", "dial_by_flow_get", did.number, customer, 0.0,
                           flow_keypress(customer))

    async def dial_by_aivoicebot(self, request: web.Request) -> web.Response:
        p = params_of(request)
        customer = self._customer(p, "customer_no")
        wss_url = text(p, "wss_url")
        if wss_url and not wss_url.startswith(("wss://", "ws://")):
            raise invalid("wss_url")
        delay = schedule_delay(p, self._ctx.clock)
        return self._place("call_aibot_", "dial_by_aivoicebot", self._default_did(), customer,
                           delay)

    async def dial_by_voicebot(self, request: web.Request) -> web.Response:
        p = params_of(request)
        customer = self._customer(p, "customer_no")
        did_raw = text(p, "did_num")
        did = (self._ctx.did_for_call(did_raw, strict_plus=False).number if did_raw
               else self._default_did())
        delay = schedule_delay(p, self._ctx.clock)
        return self._place("call_bot_", "dial_by_voicebot", did, customer, delay)
