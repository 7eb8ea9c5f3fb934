"""Text templates, template variables and voice-bot details (the catalog endpoints)."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from .catalog import TextTemplate
from .context import SandboxContext
from .envelopes import ApiError, invalid, reply, required, text
from .request_params import params_of


class CatalogHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx

    def routes(self) -> dict[str, Handler]:
        return {
            "create_text_template": self.create_text_template,
            "text_template_status": self.text_template_status,
            "get_text_templates": self.get_text_templates, "get_variables": self.get_variables,
            "get_voicebot_details": self.get_voicebot_details,
        }

    async def create_text_template(self, request: web.Request) -> web.Response:
        p = params_of(request)
        name, content = required(p, "template_name"), required(p, "text_content")
        catalog = self._ctx.catalog
        if catalog.template(name) is not None:
            raise ApiError(400, "Template already exists")
        template = TextTemplate(max((t.id for t in catalog.templates), default=100) + 1, name,
                                content)
        catalog.templates.append(template)
        return reply({"status": True, "message": "Template created successfully",
                      "template_id": template.id})

    async def text_template_status(self, request: web.Request) -> web.Response:
        template = self._ctx.catalog.template(required(params_of(request), "template_name"))
        if template is None:
            raise ApiError(404, "Template not found")
        return reply({"status": True, "data": {"template_name": template.name,
                                               "status": template.status}})

    async def get_text_templates(self, request: web.Request) -> web.Response:
        return reply({"status": 200, "data": [
            {"id": t.id, "template_name": t.name, "text_content": t.text, "status": t.status}
            for t in self._ctx.catalog.templates]})

    async def get_variables(self, request: web.Request) -> web.Response:
        return reply({"status": 200, "data": list(self._ctx.catalog.variables)})

    async def get_voicebot_details(self, request: web.Request) -> web.Response:
        p = params_of(request)
        bot = self._ctx.catalog.voicebot(required(p, "voicebot_id"))
        flag = text(p, "aitraingdata", "0")
        if flag not in ("0", "1"):
            raise invalid("aitraingdata")
        if bot is None:
            raise ApiError(404, "Voice bot not found")
        data = dict(bot)
        if flag == "1":
            data["training_data"] = [{"question": "Where is my order?",
                                      "answer": "It ships within 2 days."}]
        return reply({"status": True, "data": data})
