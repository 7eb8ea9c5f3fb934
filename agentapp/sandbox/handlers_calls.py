"""Click-to-call, click-connect (number masking) and live call status."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .context import SandboxContext, optional_date
from .envelopes import ApiError, invalid, reply, required, text
from .handlers_outbound import call_log_id, schedule_delay
from .history_status import past_call
from .phone_formats import national_number
from .records import click_connect_log_dict
from .request_params import params_of
from .streaming import json_listing
from .world import DISPOSITIONS

CONNECTING = "Call connecting. Please wait..."


class CallHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx

    def routes(self) -> dict[str, Handler]:
        return {
            "c2c_get": self.c2c, "c2c_get_v1": self.c2c, "c2c_post": self.c2c,
            "click_connect": self.click_connect, "c2c_schedule": self.c2c_schedule,
            "click_connect_update": self.click_connect_update,
            "click_connect_logs": self.click_connect_logs,
            "get_call_status": self.get_call_status,
        }

    async def c2c(self, request: web.Request) -> web.Response:
        p = params_of(request)
        did_raw = required(p, "did")
        ext_no = required(p, "ext_no", "agent")
        phone_raw = required(p, "phone", "customer")
        did = self._ctx.did_for_call(did_raw, strict_plus=True)
        agent = self._ctx.world.agent_by_ext(ext_no)
        if agent is None:
            raise ApiError(404, "Extension not configured in IVR dashboard")
        customer = national_number(phone_raw)
        if customer is None:
            raise invalid("phone")
        call = self._ctx.calls.start_c2c(agent, did.number, customer)
        return reply({"status": 200, "message": CONNECTING, "logid": call.id,
                      "recordid": str(call.id)})

    def _two_parties(self, p: dict[str, Any]) -> tuple[str, str, str]:
        first_raw = required(p, "first_phone")
        second_raw = required(p, "second_phone")
        did = self._ctx.did_for_call(required(p, "did"), strict_plus=False)
        first, second = national_number(first_raw), national_number(second_raw)
        if first is None:
            raise invalid("first_phone")
        if second is None:
            raise invalid("second_phone")
        return did.number, first, second

    async def click_connect(self, request: web.Request) -> web.Response:
        did, first, second = self._two_parties(params_of(request))
        call = self._ctx.calls.start_click_connect(did, first, second)
        return reply({"status": 200, "message": CONNECTING, "logid": call.id,
                      "recordid": str(call.id), "data": {"data": {"did_no": did}}})

    async def c2c_schedule(self, request: web.Request) -> web.Response:
        """Two phones connected like click-connect, at ``schedule_datetime`` (guess)."""
        p = params_of(request)
        did, first, second = self._two_parties(p)
        delay = schedule_delay(p, self._ctx.clock)
        call = self._ctx.calls.start_click_connect(did, first, second, delay)
        message = "Call scheduled successfully" if delay > 0 else CONNECTING
        return reply({"status": 200, "message": message, "logid": call.id,
                      "recordid": str(call.id)})

    async def click_connect_update(self, request: web.Request) -> web.Response:
        p = params_of(request)
        action = required(p, "action").lower()
        did = self._ctx.did_for_call(required(p, "did"), strict_plus=False)
        first = national_number(required(p, "first_number"))
        if first is None:
            raise invalid("first_number")
        if action == "cancel":
            call = self._ctx.calls.cancel_click_connect(did.number, first)
            if call is None:
                raise ApiError(404, "No live session found")
            return reply({"status": True, "message": "Session cancelled successfully",
                          "logid": call.id})
        live = [c for c in self._ctx.calls.live_calls()
                if c.kind == "click_connect" and c.did_no == did.number and c.agent_no == first]
        if not live:
            raise ApiError(404, "No live session found")
        return reply({"status": True, "message": "Session updated successfully",
                      "logid": live[0].id})

    async def click_connect_logs(self, request: web.Request) -> web.Response:
        p = params_of(request)
        did_raw = text(p, "did")
        did = self._ctx.did_for_call(did_raw, strict_plus=False).number if did_raw else ""
        start = optional_date(text(p, "from_date"), "from_date")
        end = optional_date(text(p, "to_date"), "to_date")
        order = text(p, "orderby", "desc").lower()
        if order not in ("asc", "desc"):
            raise invalid("orderby")
        records = [
            r for r in self._ctx.world.click_connect_logs
            if (not did or r.did_no == did)
            and (start is None or r.call_time[:10] >= start.isoformat())
            and (end is None or r.call_time[:10] <= end.isoformat())
        ]
        if order == "desc":
            records.reverse()
        return json_listing({"status": 200, "data": None}, "data", records,
                            click_connect_log_dict)

    async def get_call_status(self, request: web.Request) -> web.Response:
        logid = call_log_id(text(params_of(request), "logid"))
        if not logid:
            return reply({"status": True,
                          "data": [{"id": i, "name": n} for i, n in DISPOSITIONS]})
        data = self._status_of(int(logid)) if logid.isdigit() else None
        if data is None:
            raise ApiError(404, "logid not found")
        return reply({"status": True, "data": data})

    def _status_of(self, call_id: int) -> dict[str, Any] | None:
        call = self._ctx.calls.calls.get(call_id)
        if call is not None:
            return call.status_dict()
        past = past_call(self._ctx.world, call_id)
        return past.status_dict() if past is not None else None
