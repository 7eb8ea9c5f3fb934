"""Dialer campaigns, call flows and customer lists.

Numbers added to a dialer that is on are really dialled (:mod:`.campaigns`);
switching a dialer on starts its pending numbers.
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

    def routes(self) -> dict[str, Handler]:
        return {
            "get_dialers_list": self.get_dialers_list, "add_to_ivrdialer": self.add_to_ivrdialer,
            "add_to_ivrdialerbulk": self.add_to_ivrdialerbulk,
            "change_dialer_status": self.change_dialer_status,
            "create_text_dialer": self.create_text_dialer, "add_to_dialer": self.add_to_dialer,
            "edit_text_dialer": self.edit_text_dialer, "get_call_flows": self.get_call_flows,
            "get_customer_list": self.get_customer_list,
            "create_customer_list": self.create_customer_list,
        }

    def _dialer(self, params: dict[str, Any], name: str = "dialerid") -> Dialer:
        raw = required(params, name)
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
        self._ctx.campaigns.poke(dialer)
        return reply({"status": True, "message": "Number added to dialer successfully"})

    async def add_to_ivrdialerbulk(self, request: web.Request) -> web.Response:
        p = params_of(request)
        dialer = self._dialer(p)
        items = _list_param(p, "numbers")
        if not items or len(items) > MAX_BULK:
            raise invalid("numbers")
        numbers = self._numbers(items, "numbers", ("number",))
        dialer.numbers.extend(numbers)
        self._ctx.campaigns.poke(dialer)
        return reply({"status": True,
                      "message": f"{len(numbers)} numbers added to dialer successfully"})

    async def change_dialer_status(self, request: web.Request) -> web.Response:
        p = params_of(request)
        dialer = self._dialer(p)
        status = required(p, "status").lower()
        if status not in DIALER_STATUSES:
            raise invalid("status")
        dialer.status = status
        self._ctx.campaigns.poke(dialer)
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
        """The page's example has no ``dialerid``: then the account's first dialer (guess)."""
        p = params_of(request)
        dialers = self._ctx.world.dialers
        if text(p, "dialerid"):
            dialer = self._dialer(p)
        elif dialers:
            dialer = dialers[min(dialers)]
        else:
            raise ApiError(404, "Dialer not found")
        numbers = self._numbers(_list_param(p, "recordList"), "recordList",
                                ("number", "phone_number"))
        dialer.numbers.extend(numbers)
        self._ctx.campaigns.poke(dialer)
        return reply({"status": True,
                      "message": f"{len(numbers)} records added to dialer successfully"})

    async def edit_text_dialer(self, request: web.Request) -> web.Response:
        """Fields that are absent or ``null`` stay unchanged (the page's example)."""
        p = params_of(request)
        dialer = self._dialer(p, "id")
        if text(p, "did_no"):
            dialer.did_no = self._ctx.did_for_call(text(p, "did_no"), strict_plus=False).number
        for name in ("no_of_call", "text_template_id"):
            if text(p, name) and not text(p, name).isdigit():
                raise invalid(name)
        for name in ("start_time", "end_time"):
            value = text(p, name)
            if value and not _is_hhmm(value):
                raise invalid(name)
        dialer.name = text(p, "name") or dialer.name
        dialer.start_time = text(p, "start_time") or dialer.start_time
        dialer.end_time = text(p, "end_time") or dialer.end_time
        if text(p, "no_of_call"):
            dialer.no_of_calls = int(text(p, "no_of_call"))
        return reply({"status": True, "message": "Dialer updated successfully"})

    async def get_call_flows(self, request: web.Request) -> web.Response:
        return reply({"status": 200, "data": list(self._ctx.catalog.call_flows)})

    async def get_customer_list(self, request: web.Request) -> web.Response:
        return reply({"status": 200, "data": list(self._ctx.catalog.customer_lists)})

    async def create_customer_list(self, request: web.Request) -> web.Response:
        name = required(params_of(request), "listname")
        lists = self._ctx.catalog.customer_lists
        list_id = max((int(item["id"]) for item in lists), default=0) + 1
        lists.append({"id": list_id, "name": name, "count": 0,
                      "created_at": self._ctx.clock.now_str()})
        return reply({"status": True, "message": "Customer list created successfully",
                      "list_id": list_id})


def _is_hhmm(value: str) -> bool:
    hour, _, minute = value.partition(":")
    return (hour.isdigit() and minute.isdigit() and len(minute) == 2
            and 0 <= int(hour) < 24 and 0 <= int(minute) < 60)
