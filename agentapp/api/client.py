"""IvrClient: the typed async face of the IVR Solutions API.

Paths come only from :func:`endpoint_table`; numbers are passed through as the
caller formatted them (``core.phone``). Reads may be retried, mutations never.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from agentapp.api import parse_account as pa
from agentapp.api import parse_logs as pl
from agentapp.api.coerce import today_ist
from agentapp.api.endpoints import Endpoint, endpoint_table
from agentapp.api.errors import ApiError, InsecureUrlError, NotFoundError
from agentapp.api.models import (
    AccountInfo,
    Agent,
    AgentLiveStatus,
    CallerDetails,
    CallRecord,
    CallStarted,
    ClickConnectLog,
    ClickConnectStarted,
    Contact,
    Did,
    DidLiveStatus,
    DispositionStatus,
    Extension,
    ExtensionDetails,
    LiveCallState,
    SyncBatch,
    SyncCursors,
)
from agentapp.api.recordings import download_recording
from agentapp.api.transport import ApiTransport
from agentapp.core.urls import insecure_url_reason

# Parse this many log records between yields to the event loop (the UI thread).
_RECORDS_PER_SLICE = 200


async def _records(body: object, parse_one: pl.RecordParser, key: str = "data"
                   ) -> list[CallRecord]:
    """``parse_logs.parse_record_list``, yielding to the loop every few hundred records:
    a full click-to-call log is 35,000 of them."""
    items = pl.record_items(body, key)
    records: list[CallRecord] = []
    for start in range(0, len(items), _RECORDS_PER_SLICE):
        if start:
            await asyncio.sleep(0)
        records += [parse_one(item) for item in items[start:start + _RECORDS_PER_SLICE]]
    return records


# What our sandbox calls itself in /_sandbox/info (agentapp.sandbox.control).
SANDBOX_NAME = "ivr-solutions-sandbox"

__all__ = ["IvrClient", "make_http_client"]


def make_http_client(version: str, timeout: float = 10.0) -> httpx.AsyncClient:
    """The one shared AsyncClient (keep-alive). Create it inside the running loop.

    With the default 10 s: connect 5 s, read 15 s.
    """
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(5.0, timeout), read=timeout * 1.5),
        headers={"User-Agent": f"agentapp/{version}"},
        limits=httpx.Limits(max_keepalive_connections=10, keepalive_expiry=60.0),
        follow_redirects=False,
        trust_env=True,
    )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


class IvrClient:
    """One account's API session over a shared :class:`httpx.AsyncClient`."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        http: httpx.AsyncClient,
        path_overrides: Mapping[str, str] | None = None,
        retries: int = 2,
        backoff_s: Sequence[float] = (0.2, 0.6),
        retry_after_cap_s: float = 5.0,
        today: Callable[[], date] = today_ist,
    ) -> None:
        insecure = insecure_url_reason(base_url)
        if insecure is not None:  # before anything could carry the token anywhere
            raise InsecureUrlError(base_url, user_message=insecure)
        self._endpoints = endpoint_table(path_overrides)
        self._http = http
        self._today = today
        self._transport = ApiTransport(
            base_url,
            token,
            http,
            retries=retries,
            backoff_s=backoff_s,
            retry_after_cap_s=retry_after_cap_s,
        )

    def __repr__(self) -> str:
        return f"IvrClient({self.base_url!r})"

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def endpoints(self) -> Mapping[str, Endpoint]:
        return self._endpoints

    async def _read(self, name: str, params: Mapping[str, object] | None = None) -> object:
        return await self._transport.call(self._endpoints[name], params, idempotent=True)

    async def _write(self, name: str, params: Mapping[str, object]) -> object:
        return await self._transport.call(self._endpoints[name], params, idempotent=False)

    # Account -----------------------------------------------------------------

    async def validate_token(self) -> AccountInfo:
        """``key_authentication``: raises :class:`AuthError` when the token is refused."""
        return pa.parse_account(await self._read("key_authentication", {}))

    async def sandbox_info(self) -> dict[str, Any] | None:
        """The sandbox's ``/_sandbox/info`` when the server is our sandbox, else None.

        Answering 200 is not enough: a look-alike server (or one that answers
        200 with an HTML page to every path) must not pass for the sandbox, since
        a sandbox session registers the app's webhook automatically. The reply
        must be JSON carrying the sandbox's own name. Never raises. The control
        API wants the same token; it goes only to our own base URL.
        """
        try:
            response = await self._http.get(
                self.base_url + "/_sandbox/info", headers=self._transport.auth_headers()
            )
        except httpx.HTTPError:
            return None
        if response.status_code != 200:
            return None
        try:
            data = response.json()
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("name") != SANDBOX_NAME:
            return None
        return data

    async def is_sandbox(self) -> bool:
        """True only for a server that identifies as our sandbox (see sandbox_info)."""
        return await self.sandbox_info() is not None

    # Calls -------------------------------------------------------------------

    async def click_to_call(self, *, did: str, ext_no: str, phone: str) -> CallStarted:
        """Ring the agent, then the customer. Sent exactly once, never retried."""
        body = await self._write("c2c_post", {"did": did, "ext_no": ext_no, "phone": phone})
        return pa.parse_call_started(body)

    async def call_state(self, logid: str) -> LiveCallState:
        return pl.parse_call_state(await self._read("get_call_status", {"logid": logid}))

    async def disposition_statuses(self) -> list[DispositionStatus]:
        return pl.parse_dispositions(await self._read("get_call_status"))

    async def update_call_note(
        self, *, record_id: str, call_status: int, call_type: str, remark: str = ""
    ) -> str:
        params = {
            "record_id": record_id,
            "call_status": call_status,
            "call_type": call_type,
            "call_remark": remark,
        }
        return pa.parse_message(await self._write("update_call_note", params))

    async def add_call_note(
        self, *, sip_call_id: str, note: str, call_type: str = "", status: str = ""
    ) -> str:
        """A note by SIP call id, for a call known only by that (docs/wire-contract.md)."""
        params = {"sip_call_id": sip_call_id, "note": note,
                  "call_type": call_type or None, "status": status or None}
        return pa.parse_message(await self._write("add_call_note", params))

    # Logs --------------------------------------------------------------------

    async def call_logs(
        self, from_date: date | None = None, to_date: date | None = None
    ) -> list[CallRecord]:
        params = {"from_date": _day(from_date), "to_date": _day(to_date)}
        return await _records(await self._read("call_logs", params), pl.parse_call_log_record)

    async def call_logs_by_number(self, phone: str) -> list[CallRecord]:
        body = await self._read("call_logs_by_number", {"phone": phone})
        return await _records(body, pl.parse_call_log_record)

    async def c2c_logs(self) -> list[CallRecord]:
        return await _records(await self._read("c2c_logs"), pl.parse_c2c_log_record)

    async def c2c_logs_by_number(self, phone: str) -> list[CallRecord]:
        body = await self._read("c2c_logs_by_number", {"phone": phone})
        return await _records(body, pl.parse_c2c_log_record)

    async def dialer_logs(self, dialerid: int | None = None) -> list[CallRecord]:
        body = await self._read("dialer_logs", {"dialerid": dialerid})
        return await _records(body, pl.parse_dialer_log_record)

    async def sync_call_logs(self, cursors: SyncCursors) -> SyncBatch:
        """``/v1/all_call_logs``: records newer than each cursor (max 20 per category)."""
        params = {
            "last_call_log_id": cursors.call,
            "last_c2c_log_id": cursors.c2c,
            "last_dialer_log_id": cursors.dialer,
        }
        return pl.parse_sync_batch(await self._read("all_call_logs", params), cursors)

    # Contacts ----------------------------------------------------------------

    async def get_contact(self, phone: str) -> Contact | None:
        return await self._contact("get_contact", phone)

    async def agent_get_contact(self, phone: str) -> Contact | None:
        return await self._contact("agent_get_contact", phone)

    async def _contact(self, name: str, phone: str) -> Contact | None:
        try:
            body = await self._read(name, {"phone": phone})
        except NotFoundError as err:
            if err.path_missing:
                raise
            return None
        return pa.parse_contact(body)

    async def caller_details(self, phone: str) -> CallerDetails:
        body = await self._read("get_caller_details", {"caller_number": phone})
        return pa.parse_caller_details(body)

    async def save_contact(self, *, name: str, number: str, country_code: str = "+91") -> str:
        """Returns the new contact's id ("" when the server does not say)."""
        params = {"country_code": country_code, "name": name, "number": number}
        return pa.parse_saved_contact_id(await self._write("save_contact", params))

    # Agents, extensions, DIDs --------------------------------------------------

    async def agents(self) -> list[Agent]:
        return pa.parse_agents(await self._read("get_agents"), self._today())

    async def extensions(self, did: str | None = None) -> list[Extension]:
        return pa.parse_extensions(await self._read("get_extension", {"did": did}))

    async def extension_details(self, ext_no: str) -> ExtensionDetails:
        body = await self._read("get_extension_details", {"ext_no": ext_no})
        return pa.parse_extension_details(body, self._today())

    async def set_extension_enabled(self, ext_no: str, enabled: bool) -> str:
        params = {"ext_no": ext_no, "status": "1" if enabled else "0"}
        return pa.parse_message(await self._write("enable_disable_users", params))

    async def dids(self) -> list[Did]:
        return pa.parse_dids(await self._read("get_dids", {}))

    async def did_live_status(self) -> list[DidLiveStatus]:
        return pa.parse_did_live_status(await self._read("did_live_status", {}))

    async def agent_did_live_status(self) -> list[AgentLiveStatus]:
        return pa.parse_agent_live_status(await self._read("agent_did_live_status", {}))

    # Webhooks and number masking --------------------------------------------------

    async def register_webhook(self, url: str, secret: str = "") -> str:
        params = {"webhookurl": url, "secret_key": secret}
        return pa.parse_message(await self._write("add_webhook", params))

    async def click_connect(
        self, *, first_phone: str, second_phone: str, did: str
    ) -> ClickConnectStarted:
        """Bridge two parties over a DID. Sent exactly once, never retried."""
        params = {"first_phone": first_phone, "second_phone": second_phone, "did": did}
        return pa.parse_click_connect(await self._write("click_connect", params))

    async def click_connect_update(
        self, *, action: str, did: str, first_number: str, body: str = ""
    ) -> str:
        params = {"action": action, "did": did, "first_number": first_number, "body": body}
        return pa.parse_message(await self._write("click_connect_update", params))

    async def click_connect_logs(
        self,
        *,
        did: str | None = None,
        from_date: date | None = None,
        to_date: date | None = None,
        orderby: str = "desc",
    ) -> list[ClickConnectLog]:
        params = {
            "did": did,
            "from_date": _day(from_date),
            "to_date": _day(to_date),
            "orderby": orderby,
        }
        return pa.parse_click_connect_logs(await self._read("click_connect_logs", params))

    # Recordings ----------------------------------------------------------------

    async def download_recording(
        self,
        url: str,
        dest: Path,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> Path:
        if not url:
            raise ApiError("empty recording URL", user_message="This call has no recording.")
        return await download_recording(
            self._http,
            url,
            dest,
            base_url=self.base_url,
            auth_headers=self._transport.auth_headers(),
            progress=progress,
        )
