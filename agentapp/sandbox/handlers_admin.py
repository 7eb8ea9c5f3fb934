"""Agent and DID administration under ``/ivrappv2/``: add agents, move DIDs, extension
expiry, group extensions, DID regions and search, DID provisioning.

Paths and replies follow the provider page where it shows them; the rest is our
guess (docs/sandbox.md, "Guesses").
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .context import SandboxContext
from .envelopes import ApiError, invalid, reply, required, text
from .request_params import params_of
from .world import Agent

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SEARCH_COST, SEARCH_CURRENCY, SEARCH_SIZE = "500", "INR", 5


def _strong(password: str) -> bool:
    return (len(password) >= 8 and any(c.isupper() for c in password)
            and any(c.islower() for c in password) and any(c.isdigit() for c in password)
            and any(not c.isalnum() for c in password))


def _flag(params: dict[str, Any], name: str, *, needed: bool = True) -> str:
    value = required(params, name) if needed else text(params, name)
    if value and value not in ("0", "1"):
        raise invalid(name)
    return value


class AdminHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx

    def routes(self) -> dict[str, Handler]:
        return {
            "addagent": self.addagent, "update_agent_did": self.update_agent_did,
            "deactivate_group_user": self.deactivate_group_user,
            "set_extension_expiry": self.set_extension_expiry,
            "create_group_extension": self.create_group_extension,
            "get_did_regions": self.get_did_regions, "search_did": self.search_did,
            "did_search": self.did_search, "create_did_user": self.create_did_user,
            "create_group_did": self.create_group_did,
            "create_group_did_sip": self.create_group_did,
        }

    def _agent(self, ext_no: str) -> Agent:
        agent = self._ctx.world.agent_by_ext(ext_no)
        if agent is None:
            raise ApiError(404, "Extension not found")
        return agent

    def _new_agent(self, name: str, email: str, phone: str, ext_no: str, did_no: str) -> Agent:
        agents = self._ctx.world.agents
        agent = Agent(max((a.agent_id for a in agents.values()), default=455) + 1, name, email,
                      phone, ext_no, True, self._ctx.today() + timedelta(days=365), did_no)
        agents[ext_no] = agent
        return agent

    def _next_ext(self) -> str:
        return str(max((int(e) for e in self._ctx.world.agents if e.isdigit()), default=2100) + 1)

    def _first_did(self) -> str:
        return next(d.number for d in self._ctx.world.dids.values() if d.active)

    async def addagent(self, request: web.Request) -> web.Response:
        p = params_of(request)
        name, email = required(p, "name"), required(p, "email")
        phone = required(p, "phonenumber")
        if not EMAIL.match(email):
            raise invalid("email")
        if not (phone.isdigit() and len(phone) == 10):
            raise invalid("phonenumber")
        password = text(p, "password")  # SV omits it; when given, the page's rule applies
        if password and not _strong(password):
            raise invalid("password")
        if any(a.email.lower() == email.lower() for a in self._ctx.world.agents.values()):
            raise ApiError(400, "Email already exists")
        agent = self._new_agent(name, email, phone, self._next_ext(), self._first_did())
        return reply({"status": True, "message": "Agent added successfully", "data": {
            "agent_id": agent.agent_id, "ext_no": agent.ext_no, "name": agent.name,
            "email": agent.email}})

    async def update_agent_did(self, request: web.Request) -> web.Response:
        """The page says ``agent_ext`` + ``did_num``; SV sends ``agent_id`` + ``did_no``."""
        p = params_of(request)
        did = self._ctx.did_for_call(required(p, "did_num", "did_no"), strict_plus=False)
        ext, agent_id = text(p, "agent_ext"), text(p, "agent_id")
        if ext:
            agent = self._agent(ext)
        elif agent_id:
            found = [a for a in self._ctx.world.agents.values() if str(a.agent_id) == agent_id]
            if not found:
                raise ApiError(404, "Agent not found")
            agent = found[0]
        else:
            raise ApiError(400, "agent_ext is required")
        agent.did_no = did.number
        return reply({"status": True, "message": "Agent DID updated successfully"})

    async def deactivate_group_user(self, request: web.Request) -> web.Response:
        self._agent(required(params_of(request), "ext_no")).enabled = False
        return reply({"status": True, "message": "User deactivated successfully"})

    async def set_extension_expiry(self, request: web.Request) -> web.Response:
        p = params_of(request)
        agent = self._agent(required(p, "ext_no"))
        try:
            agent.expiry_date = datetime.strptime(required(p, "expiry_date"), "%Y-%m-%d").date()
        except ValueError:
            raise invalid("expiry_date") from None
        return reply({"status": True, "message": "Extension expiry updated successfully"})

    async def create_group_extension(self, request: web.Request) -> web.Response:
        p = params_of(request)
        for name in ("call_forwarding", "connection"):
            _flag(p, name)
        _flag(p, "kyc_required", needed=False)
        did = self._ctx.did_for_call(required(p, "did_no"), strict_plus=False)
        required(p, "password")
        required(p, "recording_id")
        ext_no = text(p, "extn_no") or self._next_ext()
        if not ext_no.isdigit():
            raise invalid("extn_no")
        if ext_no in self._ctx.world.agents:
            raise ApiError(400, "Extension already exists")
        agent = self._new_agent(text(p, "name") or f"Extension {ext_no}", text(p, "email"),
                                text(p, "phone")[-10:], ext_no, did.number)
        if text(p, "expiry_date"):
            try:
                agent.expiry_date = datetime.strptime(text(p, "expiry_date"), "%Y-%m-%d").date()
            except ValueError:
                raise invalid("expiry_date") from None
        return reply({"status": True, "message": "Extension created successfully",
                      "data": {"ext_no": ext_no, "did_no": did.number}})

    async def get_did_regions(self, request: web.Request) -> web.Response:
        return reply({"status": True, "message": "Region found successfully",
                      "data": list(self._ctx.catalog.regions)})

    def _available(self, region_id: str, pattern: str, size: int) -> list[str]:
        """Unowned numbers in the region: area code + pattern + a counter (deterministic)."""
        region = self._ctx.catalog.region(region_id)
        if region is None:
            raise invalid("region")
        if pattern and not pattern.isdigit():
            raise invalid("pattern")
        stem = str(region["code"]).lstrip("0") + pattern[:6]
        free = 10 - len(stem)
        found: list[str] = []
        for n in range(4501, 4501 + 10 ** free):
            number = f"+91{stem}{str(n % 10 ** free).zfill(free)}"
            if number not in self._ctx.world.dids:
                found.append(number)
            if len(found) == size:
                break
        return found

    async def search_did(self, request: web.Request) -> web.Response:
        p = params_of(request)
        if required(p, "country_code").upper() != "IN":
            raise invalid("country_code")
        numbers = self._available(required(p, "region"), text(p, "pattern"), SEARCH_SIZE)
        return reply({"status": True, "message": "Numbers found", "cost": SEARCH_COST,
                      "currency": SEARCH_CURRENCY, "data": numbers})

    async def did_search(self, request: web.Request) -> web.Response:
        p = params_of(request)
        size = text(p, "size", str(SEARCH_SIZE))
        if not size.isdigit() or not 1 <= int(size) <= 100:
            raise invalid("size")
        numbers = self._available(text(p, "did_region", "1"), text(p, "pattern_last_digits"),
                                  int(size))
        return reply({"status": True, "message": "Numbers found", "cost": SEARCH_COST,
                      "currency": SEARCH_CURRENCY, "data": numbers})

    async def create_did_user(self, request: web.Request) -> web.Response:
        return self._configure_did(params_of(request), kyc_needed=False)

    async def create_group_did(self, request: web.Request) -> web.Response:
        """Also ``create_group_did_sip``: the page requires ``kyc_required`` for both."""
        return self._configure_did(params_of(request), kyc_needed=True)

    def _configure_did(self, p: dict[str, Any], *, kyc_needed: bool) -> web.Response:
        """Validate the page's fields, then point the extension ``extn_no`` at the DID."""
        for name in ("call_forwarding", "connection"):
            _flag(p, name)
        _flag(p, "kyc_required", needed=kyc_needed)
        required(p, "password")
        required(p, "recording_id")
        did_raw = text(p, "did_no")
        did = self._ctx.did_for_call(did_raw, strict_plus=False).number if did_raw else ""
        ext_no = text(p, "extn_no")
        if ext_no and did:
            self._agent(ext_no).did_no = did
        return reply({"status": True, "message": "DID configured successfully",
                      "data": {"did_no": did, "ext_no": ext_no}})
