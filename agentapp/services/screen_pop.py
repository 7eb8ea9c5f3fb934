"""Screen-pop look-up: what the store knows at once, then what the API adds.

A pop is a series of :class:`PopInfo` snapshots for one pop id: the first
comes from the local store (no network, so it is on screen within
milliseconds), the next once the API answered (contact, caller details, this
number's calls, which are also written to the store). The API step never
blanks what the store showed: a failed or empty answer keeps it and says so.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from functools import partial
from typing import Literal, Protocol

import phonenumbers

from agentapp.api.errors import ApiError
from agentapp.api.models import CallerDetails, CallRecord, Contact
from agentapp.core.phone import InvalidNumber, parse_number
from agentapp.services.history_rows import rows_from_records
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait
from agentapp.store import CallRow, ContactRow, Store

log = logging.getLogger(__name__)

PopKind = Literal["incoming", "outgoing", "lookup"]
RECENT_COUNT = 5


class PopApi(Protocol):
    async def agent_get_contact(self, phone: str) -> Contact | None: ...
    async def save_contact(self, *, name: str, number: str, country_code: str = "+91"
                           ) -> str: ...
    async def caller_details(self, phone: str) -> CallerDetails: ...
    async def call_logs_by_number(self, phone: str) -> list[CallRecord]: ...
    async def c2c_logs_by_number(self, phone: str) -> list[CallRecord]: ...


@dataclass(frozen=True)
class PopRequest:
    pop_id: str  # the call's logid, or a local id for a look-up
    kind: PopKind
    number: str  # as received
    did: str = ""
    dtmf: str = ""


@dataclass(frozen=True)
class PopInfo:
    request: PopRequest
    e164: str  # "" when the number is not valid
    display_number: str
    name: str = ""
    company: str = ""
    recent: tuple[CallRow, ...] = ()
    last_remark: str = ""
    last_disposition: str = ""
    dtmf: str = ""
    filling: bool = True  # the API look-up is still running
    note: str = ""  # why the API part is missing ("offline: showing saved details")
    ended: bool = False
    missed: bool = False

    @property
    def known(self) -> bool:
        return bool(self.name)

    @property
    def title(self) -> str:
        who = self.name or self.display_number
        if self.request.kind == "incoming":
            return f"{'Missed call' if self.missed else 'Incoming call'}: {who}"
        if self.request.kind == "outgoing":
            return f"Outgoing call: {who}"
        return f"Caller look-up: {who}"


def _display(number: str) -> tuple[str, str, str]:
    """(e164, display, national-for-API); junk stays as given and is not looked up."""
    try:
        parsed = parse_number(number)
    except InvalidNumber:
        return "", number.strip(), ""
    return parsed.e164, parsed.display(), parsed.national


def _last_with(rows: tuple[CallRow, ...], attr: str) -> str:
    return next((getattr(r, attr) for r in rows if getattr(r, attr)), "")


class ScreenPops:
    """Builds pops; ``updates`` carries every snapshot (the facade renders by pop id)."""

    def __init__(self, api: PopApi, store: Store) -> None:
        self._api = api
        self._store = store
        self.updates: Observable[PopInfo | None] = Observable(None)
        self._current: dict[str, PopInfo] = {}
        self._tasks: dict[str, asyncio.Task[PopInfo]] = {}

    def open(self, request: PopRequest) -> None:
        """Start (or restart) the look-up for a pop; results arrive through ``updates``."""
        old = self._tasks.pop(request.pop_id, None)
        if old is not None:
            old.cancel()
        task = asyncio.get_running_loop().create_task(self.lookup(request))
        self._tasks[request.pop_id] = task
        task.add_done_callback(partial(self._forget, request.pop_id))

    def update(self, pop_id: str, **changes: object) -> None:
        """A live fact about an open pop's call (dtmf, ended, missed)."""
        info = self._current.get(pop_id)
        if info is not None:
            self._emit(replace(info, **changes))  # type: ignore[arg-type]

    def close(self, pop_id: str) -> None:
        self._current.pop(pop_id, None)
        task = self._tasks.pop(pop_id, None)
        if task is not None:
            task.cancel()

    async def aclose(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        await cancel_and_wait(tasks)

    async def save_contact(self, e164: str, name: str) -> ContactRow:
        """Save on the server, then locally; open pops for the number show it at once.

        Raises ``ApiError`` (nothing is stored locally then) or ``InvalidNumber``.
        """
        name = " ".join(name.split())
        if not name:
            raise ValueError("Please enter a name.")
        parsed = parse_number(e164)
        country = "+" + str(phonenumbers_country(parsed.e164))
        remote_id = await self._api.save_contact(name=name, number=parsed.national,
                                                 country_code=country)
        row = ContactRow(parsed.e164, name, remote_id=remote_id)
        await self._store.contacts.upsert([row])
        for info in list(self._current.values()):
            if info.e164 == parsed.e164:
                self._emit(replace(info, name=name))
        return row

    def _forget(self, pop_id: str, task: asyncio.Task[PopInfo]) -> None:
        if self._tasks.get(pop_id) is task:
            del self._tasks[pop_id]

    def _emit(self, info: PopInfo) -> None:
        self._current[info.request.pop_id] = info
        self.updates.emit(info)

    async def lookup(self, request: PopRequest) -> PopInfo:
        e164, display, national = _display(request.number)
        info = PopInfo(request, e164, display, dtmf=request.dtmf, filling=bool(national))
        if e164:
            info = await self._from_store(info)
        if not national:
            info = replace(info, note="Not a valid phone number: nothing to look up.")
        self._emit(info)
        if national:
            info = await self._from_api(info, national)
            self._emit(info)
        return info

    async def _from_store(self, info: PopInfo) -> PopInfo:
        contact = await self._store.contacts.get(info.e164)
        rows = tuple(await self._store.calls.for_number(info.e164, RECENT_COUNT))
        return self._with(info, contact, rows)

    def _with(self, info: PopInfo, contact: ContactRow | None, rows: tuple[CallRow, ...]
              ) -> PopInfo:
        latest = self._current.get(info.request.pop_id, info)  # keep live facts (dtmf, ended)
        return replace(
            info, name=contact.name if contact else info.name,
            company=contact.company if contact else info.company,
            recent=rows or info.recent,
            last_remark=_last_with(rows, "remark") or info.last_remark,
            last_disposition=_last_with(rows, "disposition") or info.last_disposition,
            dtmf=latest.dtmf or info.dtmf, ended=latest.ended, missed=latest.missed)

    async def _from_api(self, info: PopInfo, national: str) -> PopInfo:
        phone = "0" + national if info.e164.startswith("+91") else info.e164
        results = await asyncio.gather(
            self._api.agent_get_contact(phone), self._api.caller_details(phone),
            self._api.call_logs_by_number(phone), self._api.c2c_logs_by_number(phone),
            return_exceptions=True)
        contact, details, logs, c2c = results
        failures = [r for r in results if isinstance(r, BaseException)]
        for failure in failures:
            if not isinstance(failure, ApiError):
                raise failure
        rows = [*rows_from_records(logs if isinstance(logs, list) else []),
                *rows_from_records(c2c if isinstance(c2c, list) else [])]
        if rows:
            await self._store.calls.upsert(rows)
        if isinstance(contact, Contact) and contact.name:
            await self._store.contacts.upsert([ContactRow(info.e164, contact.name,
                                                          company=contact.company,
                                                          email=contact.email,
                                                          remote_id=contact.id)])
        filled = await self._from_store(info)
        if not filled.name and isinstance(details, CallerDetails) and details.name:
            filled = replace(filled, name=details.name)
        if isinstance(details, CallerDetails) and details.last_disposition:
            filled = replace(filled, last_disposition=filled.last_disposition
                             or details.last_disposition)
        note = ""
        if failures:
            first = failures[0]
            assert isinstance(first, ApiError)
            note = f"Showing saved details only: {first.user_message}"
        return replace(filled, filling=False, note=note)


def phonenumbers_country(e164: str) -> int:
    """``+919876543210`` -> 91 (the API wants the country code apart from the number)."""
    return phonenumbers.parse(e164, None).country_code or 91


def crm_url(template: str, e164: str) -> str:
    """``https://crm.example.com/search?phone={e164}`` with the number filled in."""
    if not template or not e164:
        return ""
    national = e164[3:] if e164.startswith("+91") else e164.lstrip("+")
    return template.replace("{e164}", e164.replace("+", "%2B")).replace("{national}", national)
