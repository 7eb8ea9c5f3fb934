"""Response envelopes and the one error type handlers raise.

Success envelopes differ per endpoint (``"status": 200`` vs ``"status": true``), so
handlers build their own bodies; errors always carry the numeric HTTP status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web


class ApiError(Exception):
    """An error reply: HTTP ``status`` + ``{"status": status, "message": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def reply(body: Mapping[str, Any], status: int = 200) -> web.Response:
    return web.json_response(dict(body), status=status)


def error_reply(status: int, message: str) -> web.Response:
    return web.json_response({"status": status, "message": message}, status=status)


def text(params: Mapping[str, Any], name: str, default: str = "") -> str:
    """A scalar parameter as stripped text (JSON numbers become their digits)."""
    value = params.get(name)
    if value is None or isinstance(value, list | dict):
        return default
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


def required(params: Mapping[str, Any], name: str, *aliases: str) -> str:
    """The non-empty parameter ``name`` (or an alias), else 400 "<name> is required"."""
    for key in (name, *aliases):
        value = text(params, key)
        if value:
            return value
    raise ApiError(400, f"{name} is required")


def invalid(name: str) -> ApiError:
    return ApiError(400, f"{name} is invalid")
