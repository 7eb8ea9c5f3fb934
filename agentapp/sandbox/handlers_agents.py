"""Agents, extensions and DIDs (listings, live status, enable/disable, purchase)."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .context import SandboxContext
from .envelopes import ApiError, invalid, reply, required, text
from .phone_formats import canonical_did
from .request_params import params_of
from .world import Agent, Did


class AgentHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx

    def routes(self) -> dict[str, Handler]:
        return {
            "get_agents": self.get_agents, "get_extension": self.get_extension,
            "get_extension_details": self.get_extension_details,
            "enable_disable_users": self.enable_disable_users, "get_dids": self.get_dids,
            "did_live_status": self.did_live_status,
            "agent_did_live_status": self.agent_did_live_status, "buy_did": self.buy_did,
        }

    def _agent(self, ext_no: str) -> Agent:
        agent = self._ctx.world.agent_by_ext(ext_no)
        if agent is None:
            raise ApiError(404, "Extension not found")
        return agent

    async def get_agents(self, request: web.Request) -> web.Response:
        rows = [{
            "agent_id": a.agent_id, "name": a.name, "email": a.email, "phone": a.phone,
            "ext_no": a.ext_no, "status": "1" if a.enabled else "0",
            "expiry_date": a.expiry_date.isoformat(), "did_no": a.did_no,
        } for a in self._ctx.world.agents.values()]
        return reply({"status": True, "data": rows})

    async def get_extension(self, request: web.Request) -> web.Response:
        """With ``did`` (PD sends it): the extensions on that DID; an unknown or inactive
        DID is the c2c error ("Did No. Invalid" / "Did No. Inactive"). Without: all."""
        did_raw = text(params_of(request), "did")
        did = self._ctx.did_for_call(did_raw, strict_plus=False).number if did_raw else ""
        exts = [{"ext": a.ext_no, "name": a.name, "token": f"ext-{a.ext_no}"}
                for a in self._ctx.world.agents.values() if not did or a.did_no == did]
        return reply({"exts": exts})

    async def get_extension_details(self, request: web.Request) -> web.Response:
        a = self._agent(required(params_of(request), "ext_no"))
        return reply({"status": True, "data": {
            "ext_no": a.ext_no, "name": a.name, "phone": a.phone, "email": a.email,
            "status": "1" if a.enabled else "0", "expiry_date": a.expiry_date.isoformat(),
            "did_no": a.did_no, "call_forwarding": "1", "connection": "1",
        }})

    async def enable_disable_users(self, request: web.Request) -> web.Response:
        p = params_of(request)
        ext_no = required(p, "ext_no")
        status = required(p, "status")
        if status not in ("0", "1"):
            raise invalid("status")
        self._agent(ext_no).enabled = status == "1"
        return reply({"status": True, "message": "User status updated successfully"})

    async def get_dids(self, request: web.Request) -> web.Response:
        dids = list(self._ctx.world.dids.values())
        return reply({"status": True, "data": [_did_dict(d) for d in dids],
                      "dids": [d.number for d in dids]})

    async def did_live_status(self, request: web.Request) -> web.Response:
        live = self._ctx.calls.live_calls()
        rows = [{"did_number": d.number, "status": "active" if d.active else "inactive",
                 "live_calls": sum(1 for c in live if c.did_no == d.number)}
                for d in self._ctx.world.dids.values()]
        return reply({"status": True, "data": rows})

    async def agent_did_live_status(self, request: web.Request) -> web.Response:
        busy = {c.ext_no for c in self._ctx.calls.live_calls()}
        today = self._ctx.today()
        rows = [{"ext_no": a.ext_no, "name": a.name, "did_number": a.did_no,
                 "agent_status": "offline" if not a.usable_on(today)
                 else ("on_call" if a.ext_no in busy else "available")}
                for a in self._ctx.world.agents.values()]
        return reply({"status": True, "data": rows})

    async def buy_did(self, request: web.Request) -> web.Response:
        p = params_of(request)
        country = required(p, "country")
        number_raw = required(p, "number")
        if country.upper() != "IN":
            raise invalid("country")
        number = canonical_did(number_raw)
        if number is None or len(number) != 13:
            raise invalid("number")
        if number in self._ctx.world.dids:
            raise ApiError(400, "Did already exists in your account")
        self._ctx.world.dids[number] = Did(number, "Delhi", "landline", True)
        return reply({"status": True, "message": "Did added to your account", "data": number})


def _did_dict(d: Did) -> dict[str, Any]:
    return {"did_number": d.number, "region": d.region,
            "status": "active" if d.active else "inactive", "type": d.kind}
