"""Contacts, caller look-up, token check and webhook registration."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .context import SandboxContext
from .envelopes import invalid, reply, required, text
from .phone_formats import national_number
from .request_params import params_of
from .world import DISPOSITIONS

DISPOSITION_NAMES = {str(i): n for i, n in DISPOSITIONS}


class ContactHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx

    def routes(self) -> dict[str, Handler]:
        return {
            "get_contact": self.get_contact, "agent_get_contact": self.get_contact,
            "get_caller_details": self.get_caller_details, "save_contact": self.save_contact,
            "key_authentication": self.key_authentication, "add_webhook": self.add_webhook,
        }

    async def get_contact(self, request: web.Request) -> web.Response:
        number = national_number(required(params_of(request), "phone"))
        if number is None:
            raise invalid("phone")
        contact = self._ctx.world.contacts_by_number.get(number)
        if contact is None:
            return reply({"status": False, "message": "Contact not found", "data": None})
        return reply({"status": True, "data": {
            "id": contact.id, "name": contact.name, "number": contact.number,
            "country_code": contact.country_code, "email": contact.email,
            "company": contact.company,
        }})

    async def get_caller_details(self, request: web.Request) -> web.Response:
        number = national_number(required(params_of(request), "caller_number"))
        if number is None:
            raise invalid("caller_number")
        world = self._ctx.world
        contact = world.contacts_by_number.get(number)
        calls: list[tuple[str, str, str]] = [
            (r.call_time, r.call_status, r.disposition) for r in world.call_logs
            if r.client_no == number]
        calls += [(r.call_time, r.call_status, r.disposition) for r in world.c2c_logs
                  if r.client_no == number]
        last = max(calls, default=("", "", ""))
        data: dict[str, Any] = {
            "caller_number": number, "name": contact.name if contact else "",
            "total_calls": len(calls), "last_call_time": last[0], "last_call_status": last[1],
            "last_disposition": DISPOSITION_NAMES.get(last[2], ""),
        }
        return reply({"status": True, "data": data})

    async def save_contact(self, request: web.Request) -> web.Response:
        p = params_of(request)
        name = required(p, "name")
        number = national_number(required(p, "number"))
        if number is None:
            raise invalid("number")
        contact = self._ctx.world.add_contact(name, number, text(p, "country_code", "+91"))
        return reply({"status": True, "message": "Contact saved successfully",
                      "data": {"id": contact.id}})

    async def key_authentication(self, request: web.Request) -> web.Response:
        return reply({"status": 200, "message": "Token is valid",
                      "data": dict(self._ctx.world.account)})

    async def add_webhook(self, request: web.Request) -> web.Response:
        p = params_of(request)
        url = required(p, "webhookurl")
        if not url.startswith(("http://", "https://")):
            raise invalid("webhookurl")
        self._ctx.webhooks.register(url, text(p, "secret_key") or None)
        return reply({"status": True, "message": "Webhook added successfully"})
