"""Dialer campaigns and one-shot outbound calls (TTS, voice bots): in-memory only.

These endpoints accept and remember requests; they do not simulate the calls.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .context import SandboxContext
from .envelopes import ApiError, invalid, reply, required, text
from .phone_formats import national_number
from .request_params import params_of
from .world import Dialer

MAX_BULK = 100
DIALER_STATUSES = ("on", "off", "start", "pause", "stop")


def _list_param(params: dict[str, Any], name: str) -> list[Any]:
    """A JSON array, also accepted as a JSON string (form encodings cannot nest)."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise invalid(name) from None
    if value is None or value == "":
        raise ApiError(400, f"{name} is required")
    if not isinstance(value, list):
        raise invalid(name)
    return value


class DialerHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx
        self._call_seq = 0

    def routes(self) -> dict[str, Handler]:
        return {
            "get_dialers_list": self.get_dialers_list, "add_to_ivrdialer": self.add_to_ivrdialer,
            "add_to_ivrdialerbulk": self.add_to_ivrdialerbulk,
            "change_dialer_status": self.change_dialer_status,
            "create_text_dialer": self.create_text_dialer, "add_to_dialer": self.add_to_dialer,
            "dial_by_text": self.dial_by_text, "dial_by_aivoicebot": self.dial_by_aivoicebot,
            "dial_by_voicebot": self.dial_by_voicebot,
        }

    def _dialer(self, params: dict[str, Any]) -> Dialer:
        raw = required(params, "dialerid")
        if not raw.isdigit():
            raise invalid("dialerid")
        dialer = self._ctx.world.dialers.get(int(raw))
        if dialer is None:
            raise ApiError(404, "Dialer not found")
        return dialer

    def _numbers(self, items: list[Any], name: str, keys: tuple[str, ...]) -> list[str]:
        numbers = []
        for item in items:
            raw = next((text(item, k) for k in keys if text(item, k)), "") \
                if isinstance(item, dict) else str(item)
            number = national_number(raw)
            if number is None:
                raise invalid(name)
            numbers.append(number)
        return numbers

    async def get_dialers_list(self, request: web.Request) -> web.Response:
        rows = [{"id": d.id, "name": d.name, "did_no": d.did_no, "status": d.status,
                 "start_time": d.start_time, "end_time": d.end_time,
                 "no_of_calls": d.no_of_calls,
                 "total_numbers": d.completed + len(d.numbers), "completed": d.completed,
                 "pending": len(d.numbers)} for d in self._ctx.world.dialers.values()]
        return reply({"status": 200, "data": rows})

    async def add_to_ivrdialer(self, request: web.Request) -> web.Response:
        p = params_of(request)
        dialer = self._dialer(p)
        number = national_number(required(p, "number"))
        if number is None:
            raise invalid("number")
        dialer.numbers.append(number)
        return reply({"status": True, "message": "Number added to dialer successfully"})

    async def add_to_ivrdialerbulk(self, request: web.Request) -> web.Response:
        p = params_of(request)
        dialer = self._dialer(p)
        items = _list_param(p, "numbers")
        if not items or len(items) > MAX_BULK:
            raise invalid("numbers")
        numbers = self._numbers(items, "numbers", ("number",))
        dialer.numbers.extend(numbers)
        return reply({"status": True,
                      "message": f"{len(numbers)} numbers added to dialer successfully"})

    async def change_dialer_status(self, request: web.Request) -> web.Response:
        p = params_of(request)
        dialer = self._dialer(p)
        status = required(p, "status").lower()
        if status not in DIALER_STATUSES:
            raise invalid("status")
        dialer.status = status
        return reply({"status": True, "message": f"Dialer status changed to {status}"})

    async def create_text_dialer(self, request: web.Request) -> web.Response:
        p = params_of(request)
        name = required(p, "name")
        did = self._ctx.did_for_call(required(p, "did_no"), strict_plus=False)
        calls = required(p, "no_of_call")
        start, end = required(p, "start_time"), required(p, "end_time")
        template = required(p, "text_template_id")
        if not calls.isdigit():
            raise invalid("no_of_call")
        if not template.isdigit():
            raise invalid("text_template_id")
        dialer_id = self._ctx.world.next_dialer_id()
        self._ctx.world.dialers[dialer_id] = Dialer(dialer_id, name, did.number, "off", start,
                                                    end, int(calls))
        return reply({"status": True, "message": "Text dialer created successfully",
                      "dialer_id": dialer_id})

    async def add_to_dialer(self, request: web.Request) -> web.Response:
        p = params_of(request)
        dialer = self._dialer(p)
        numbers = self._numbers(_list_param(p, "recordList"), "recordList",
                                ("number", "phone_number"))
        dialer.numbers.extend(numbers)
        return reply({"status": True,
                      "message": f"{len(numbers)} records added to dialer successfully"})

    def _call_id(self, prefix: str) -> str:
        self._call_seq += 1
        return f"{prefix}{self._call_seq:06d}"

    async def dial_by_text(self, request: web.Request) -> web.Response:
        p = params_of(request)
        self._ctx.did_for_call(required(p, "did_no"), strict_plus=False)
        if national_number(required(p, "customer_no")) is None:
            raise invalid("customer_no")
        required(p, "template_name")
        return reply({"status": 200, "message": "Call initiated successfully",
                      "call_id": self._call_id("call_txt_")})

    async def dial_by_aivoicebot(self, request: web.Request) -> web.Response:
        p = params_of(request)
        if national_number(required(p, "customer_no")) is None:
            raise invalid("customer_no")
        wss_url = text(p, "wss_url")
        if wss_url and not wss_url.startswith(("wss://", "ws://")):
            raise invalid("wss_url")
        return reply({"status": 200, "message": "Call initiated successfully",
                      "call_id": self._call_id("call_aibot_")})

    async def dial_by_voicebot(self, request: web.Request) -> web.Response:
        p = params_of(request)
        if national_number(required(p, "customer_no")) is None:
            raise invalid("customer_no")
        did = text(p, "did_num")
        if did:
            self._ctx.did_for_call(did, strict_plus=False)
        return reply({"status": 200, "message": "Call initiated successfully",
                      "call_id": self._call_id("call_bot_")})
