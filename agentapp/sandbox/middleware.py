"""Request pipeline: JSON errors, injected faults, body parsing and token auth.

Order matters: faults come before auth (a flaky network does not care about
tokens) and never touch ``/_sandbox/*``; recordings under ``/monitor/`` and the OpenAPI
document need no token.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .envelopes import ApiError, error_reply
from .faults import FaultInjector, FaultPlan
from .request_params import PARAMS_KEY, read_params
from .streaming import body_of

log = logging.getLogger(__name__)

PUBLIC_PREFIXES = ("/monitor/", "/_sandbox/openapi.json")


def build_middlewares(token: str, auth_failure: str, faults: FaultInjector) -> list[Middleware]:
    @web.middleware
    async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiError as exc:
            return error_reply(exc.status, exc.message)
        except web.HTTPMethodNotAllowed as exc:
            response = error_reply(405, "Method Not Allowed")
            response.headers["Allow"] = ", ".join(sorted(exc.allowed_methods))
            return response
        except web.HTTPNotFound:
            return error_reply(404, "Not Found")
        except web.HTTPException:
            raise
        except ConnectionResetError:
            # The client went away mid-request (an app quitting cancels its reads):
            # nobody is left to answer, and it is not a sandbox failure.
            log.info("client disconnected during %s", request.path)
            return error_reply(400, "Client disconnected")
        except Exception:
            log.exception("sandbox handler failed for %s", request.path)
            return error_reply(500, "Internal Server Error")

    @web.middleware
    async def fault_injection(request: web.Request, handler: Handler) -> web.StreamResponse:
        drawn = faults.draw(request.path)
        if drawn is None:
            return await handler(request)
        plan, fault = drawn
        if plan.after_handler:
            real = await handler(request)  # the request takes effect; its answer is lost
            if plan.latency_ms:
                await asyncio.sleep(plan.latency_ms / 1000)
            response = await _apply_fault(request, _answered(real), fault, plan)
        else:
            if plan.latency_ms:
                await asyncio.sleep(plan.latency_ms / 1000)
            response = await _apply_fault(request, handler, fault, plan)
        if plan.close_connections:
            response.force_close()
        return response

    @web.middleware
    async def params_and_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
        # Routing comes first: an unknown path is 404 and a wrong method 405 + Allow,
        # whatever the token (what the live API does here is not known).
        if request.path.startswith(PUBLIC_PREFIXES) or request.match_info.http_exception:
            return await handler(request)
        params = await read_params(request)
        request[PARAMS_KEY] = params
        if not _authorised(request, params, token):
            if auth_failure == "body401":
                return web.json_response({"status": 401, "message": "Invalid token"})
            response = web.json_response({"status": 401, "message": "Method Not Allowed 1"},
                                         status=405)
            response.headers["Allow"] = ", ".join(_allowed(request))
            return response
        return await handler(request)

    return [errors, fault_injection, params_and_auth]


def _answered(response: web.StreamResponse) -> Handler:
    """A handler that gives the answer already produced (faults after the handler ran)."""
    async def handler(_request: web.Request) -> web.StreamResponse:
        return response
    return handler


def _allowed(request: web.Request) -> list[str]:
    """The methods served at this path (RFC 9110 wants ``Allow`` on every 405)."""
    resource = request.match_info.route.resource
    methods = {route.method for route in resource} if resource is not None else set()
    return sorted(methods) or [request.method]


def _authorised(request: web.Request, params: dict[str, Any], token: str) -> bool:
    header = request.headers.get("Authorization", "")
    candidates = []
    if header.lower().startswith("bearer "):
        candidates.append(header[7:].strip())
    if isinstance(params.get("token"), str):
        candidates.append(params["token"].strip())
    return any(hmac.compare_digest(c.encode(), token.encode()) for c in candidates)


async def _apply_fault(request: web.Request, handler: Handler, fault: str | None,
                       plan: FaultPlan) -> web.StreamResponse:
    if fault is None:
        return await handler(request)
    if fault == "rate_limit":
        retry_after = plan.rate_limit_retry_after or 1
        response = error_reply(429, "Too Many Requests")
        response.headers["Retry-After"] = str(retry_after)
        return response
    if fault == "drop":
        if request.transport is not None:
            request.transport.close()
        raise asyncio.CancelledError
    if fault == "error":
        status = plan.error_status or 500
        return error_reply(status, "Simulated server error")
    if fault == "malformed":
        return web.Response(text='{"status": 200, "data": [{"recordid": ', status=200,
                            content_type="application/json")
    if fault == "html":
        return web.Response(text="<html><body><h1>502 Bad Gateway</h1></body></html>",
                            status=200, content_type="text/html")
    real = await handler(request)  # truncated: a real answer cut in half
    raw = await body_of(real)
    return web.Response(body=raw[: max(1, len(raw) // 2)], status=real.status,
                        content_type="application/json")
