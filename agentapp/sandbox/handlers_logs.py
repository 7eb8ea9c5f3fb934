"""Call logs (all four kinds), incremental sync, dispositions and notes."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.typedefs import Handler

from .context import SandboxContext, optional_date
from .envelopes import ApiError, invalid, reply, required, text
from .phone_formats import national_number
from .records import (
    c2c_by_number_dict,
    c2c_log_dict,
    call_log_dict,
    dialer_log_dict,
    dialer_sync_dict,
)
from .request_params import params_of
from .streaming import json_listing
from .world import DISPOSITIONS, C2CLog, CallLog, DialerLog

SYNC_CAP = 20
T = TypeVar("T")


def _newer_than(records: Sequence[T], cursor: int, key: Callable[[T], int]) -> list[T]:
    """Records with id > cursor, newest first, at most 20 (the live API's cap)."""
    start = bisect.bisect_right(records, cursor, key=key)
    return list(reversed(records[max(start, len(records) - SYNC_CAP):]))


def _cursor(params: dict[str, Any], name: str) -> int:
    value = text(params, name)
    if value in ("", "0"):
        return 0
    if not value.isdigit():
        raise invalid(name)
    return int(value)


class LogHandlers:
    def __init__(self, ctx: SandboxContext) -> None:
        self._ctx = ctx

    def routes(self) -> dict[str, Handler]:
        return {
            "call_logs": self.call_logs, "call_logs_v1": self.call_logs_v1,
            "call_logs_by_number": self.call_logs_by_number, "c2c_logs": self.c2c_logs,
            "c2c_logs_by_number": self.c2c_logs_by_number, "dialer_logs": self.dialer_logs,
            "all_call_logs": self.all_call_logs, "update_call_note": self.update_call_note,
            "add_call_note": self.add_call_note,
        }

    def _date_range(self, params: dict[str, Any], default_today: bool) -> tuple[str, str]:
        start = optional_date(text(params, "from_date"), "from_date")
        end = optional_date(text(params, "to_date"), "to_date")
        today = self._ctx.today()
        if default_today:
            start, end = start or today, end or today
        return (start.isoformat() if start else "0000", end.isoformat() if end else "9999")

    async def call_logs(self, request: web.Request) -> web.Response:
        start, end = self._date_range(params_of(request), default_today=True)
        base = self._ctx.base_url
        records = [r for r in self._ctx.world.call_logs if start <= r.call_time[:10] <= end]
        return json_listing({"status": 200, "data": None}, "data", records,
                            lambda r: call_log_dict(r, base))

    async def call_logs_v1(self, request: web.Request) -> web.Response:
        start, end = self._date_range(params_of(request), default_today=False)
        base = self._ctx.base_url
        records = [r for r in reversed(self._ctx.world.call_logs)
                   if start <= r.call_time[:10] <= end]
        return json_listing({"data": None}, "data", records, lambda r: call_log_dict(r, base))

    async def call_logs_by_number(self, request: web.Request) -> web.Response:
        number = self._phone(params_of(request))
        base = self._ctx.base_url
        records = [r for r in reversed(self._ctx.world.call_logs)
                   if r.client_no == number or r.outgoing_ext == number]
        return json_listing({"status": 200, "data": None}, "data", records,
                            lambda r: call_log_dict(r, base))

    async def c2c_logs(self, request: web.Request) -> web.Response:
        start, end = self._date_range(params_of(request), default_today=False)
        base = self._ctx.base_url
        records = [r for r in reversed(self._ctx.world.c2c_logs)
                   if start <= r.call_time[:10] <= end]
        return json_listing({"status": 200, "data": None}, "data", records,
                            lambda r: c2c_log_dict(r, base))

    async def c2c_logs_by_number(self, request: web.Request) -> web.Response:
        number = self._phone(params_of(request))
        base = self._ctx.base_url
        records = [r for r in reversed(self._ctx.world.c2c_logs) if r.client_no == number]
        return json_listing({"status": 200, "data": None}, "data", records,
                            lambda r: c2c_by_number_dict(r, base))

    async def dialer_logs(self, request: web.Request) -> web.Response:
        raw = text(params_of(request), "dialerid")
        if raw and not raw.isdigit():
            raise invalid("dialerid")
        dialer_id = int(raw) if raw else None
        records = [r for r in reversed(self._ctx.world.dialer_logs)
                   if dialer_id is None or r.dialer_id == dialer_id]
        return json_listing({"status": 200, "data": None}, "data", records, dialer_log_dict)

    async def all_call_logs(self, request: web.Request) -> web.Response:
        p = params_of(request)
        world, base = self._ctx.world, self._ctx.base_url
        calls = _newer_than(world.call_logs, _cursor(p, "last_call_log_id"),
                            lambda r: r.recordid)
        c2c = _newer_than(world.c2c_logs, _cursor(p, "last_c2c_log_id"), lambda r: r.recordid)
        dialer = _newer_than(world.dialer_logs, _cursor(p, "last_dialer_log_id"), lambda r: r.id)
        return reply({"status": 200, "call_logs": [call_log_dict(r, base) for r in calls],
                      "click_to_call_logs": [c2c_log_dict(r, base) for r in c2c],
                      "dialer_logs": [dialer_sync_dict(r) for r in dialer]})

    async def update_call_note(self, request: web.Request) -> web.Response:
        p = params_of(request)
        record_id = required(p, "record_id")
        status = required(p, "call_status")
        call_type = required(p, "call_type")
        if status not in {str(i) for i, _ in DISPOSITIONS}:
            raise invalid("call_status")
        record = self._record(record_id, call_type)
        if record is None:
            raise ApiError(404, "Record not found")
        remark = text(p, "call_remark")
        record.disposition = status
        if remark:
            record.note = remark
        self._ctx.notes.append({"kind": "update_call_note", "record_id": record_id,
                                "call_status": status, "call_type": call_type,
                                "call_remark": remark, "at": self._ctx.clock.now_str()})
        return reply({"status": True, "message": "Call note updated successfully"})

    async def add_call_note(self, request: web.Request) -> web.Response:
        p = params_of(request)
        sip_call_id = required(p, "sip_call_id")
        note = required(p, "note")
        call_type, status = text(p, "call_type"), text(p, "status")
        if call_type and call_type not in ("incoming", "outgoing", "c2c", "dialer"):
            raise invalid("call_type")
        prefix, _, _ = sip_call_id.partition("@")
        record_id = prefix.removeprefix("sbx-")
        record = self._ctx.world.call_log(int(record_id)) if record_id.isdigit() else None
        if record is not None:
            record.note = note
        self._ctx.notes.append({"kind": "add_call_note", "sip_call_id": sip_call_id,
                                "note": note, "call_type": call_type, "status": status,
                                "at": self._ctx.clock.now_str()})
        return reply({"status": True, "message": "Call note added successfully"})

    def _phone(self, params: dict[str, Any]) -> str:
        number = national_number(required(params, "phone"))
        if number is None:
            raise invalid("phone")
        return number

    def _record(self, record_id: str, call_type: str) -> CallLog | C2CLog | DialerLog | None:
        if not record_id.isdigit():
            return None
        rid, world = int(record_id), self._ctx.world
        by_type: dict[str, CallLog | C2CLog | DialerLog | None] = {
            "c2c": world.c2c_log(rid), "dialer": world.dialer_log(rid),
        }
        found = by_type.get(call_type.lower())
        return found or world.call_log(rid) or world.c2c_log(rid) or world.dialer_log(rid)
