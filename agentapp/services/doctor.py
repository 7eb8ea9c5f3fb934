"""``agentapp --check-api``: call every read endpoint the app uses and say what works.

Most paths are guesses (see endpoints.py); this check is how a real account
tells us which ones differ, so each row separates "the path does not exist"
from "the token was refused" from "the answer has a shape we do not parse".
"""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TextIO

from agentapp import __version__
from agentapp.api.client import IvrClient, make_http_client
from agentapp.api.endpoints import Confidence, Endpoint
from agentapp.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthError,
    MalformedResponseError,
    NotFoundError,
    TlsError,
    ValidationError,
)
from agentapp.api.models import SyncCursors

# A number no real customer has; look-ups by number should answer "nothing".
PROBE_NUMBER = "09999999999"


class Outcome(StrEnum):
    OK = "ok"  # reachable, token accepted, answer parsed
    REACHABLE = "reachable"  # path and token fine; the probe was refused, shape unchecked
    PATH_MISSING = "path missing"
    AUTH_FAILED = "auth failed"
    BAD_SHAPE = "bad shape"
    UNREACHABLE = "unreachable"
    FAILED = "failed"


_GOOD = {Outcome.OK, Outcome.REACHABLE}


@dataclass(frozen=True)
class CheckRow:
    name: str  # endpoint name in endpoints.py
    method: str
    path: str
    confidence: str
    outcome: Outcome
    detail: str
    elapsed_ms: int = 0

    @property
    def reachable(self) -> bool:
        return self.outcome is not Outcome.UNREACHABLE

    @property
    def auth_ok(self) -> bool:
        return self.outcome in (*_GOOD, Outcome.BAD_SHAPE)

    @property
    def shape_ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def ok(self) -> bool:
        return self.outcome in _GOOD


Probe = Callable[[IvrClient], Awaitable[str]]


def _count(items: Sequence[object]) -> str:
    return f"{len(items)} item(s)"


async def _token(c: IvrClient) -> str:
    info = await c.validate_token()
    return f"token valid ({info.company})" if info.company else "token valid"


async def _state(c: IvrClient) -> str:
    try:
        await c.call_state("0")
    except NotFoundError as err:
        if err.path_missing:
            raise
        return "answered 'not found' for a dummy logid, as expected"
    return "answered for a dummy logid"


async def _sync(c: IvrClient) -> str:
    batch = await c.sync_call_logs(SyncCursors())
    return _count(batch.records)


async def _contact(c: IvrClient) -> str:
    found = await c.get_contact(PROBE_NUMBER)
    return "no contact for the probe number" if found is None else "a contact was found"


async def _agent_contact(c: IvrClient) -> str:
    found = await c.agent_get_contact(PROBE_NUMBER)
    return "no contact for the probe number" if found is None else "a contact was found"


async def _caller(c: IvrClient) -> str:
    details = await c.caller_details(PROBE_NUMBER)
    return f"{details.total_calls} call(s) for the probe number"


async def _by_number(c: IvrClient) -> str:
    return _count(await c.call_logs_by_number(PROBE_NUMBER))


async def _c2c_by_number(c: IvrClient) -> str:
    return _count(await c.c2c_logs_by_number(PROBE_NUMBER))


async def _calls(c: IvrClient) -> str:
    return _count(await c.call_logs())


async def _dispositions(c: IvrClient) -> str:
    return _count(await c.disposition_statuses())


async def _c2c(c: IvrClient) -> str:
    return _count(await c.c2c_logs())


async def _dialer(c: IvrClient) -> str:
    return _count(await c.dialer_logs())


async def _agents(c: IvrClient) -> str:
    return _count(await c.agents())


async def _extensions(c: IvrClient) -> str:
    return _count(await c.extensions())


async def _dids(c: IvrClient) -> str:
    return _count(await c.dids())


async def _did_live(c: IvrClient) -> str:
    return _count(await c.did_live_status())


async def _agent_live(c: IvrClient) -> str:
    return _count(await c.agent_did_live_status())


# (endpoint name, row label suffix, probe); the token check runs first.
PROBES: tuple[tuple[str, str, Probe], ...] = (
    ("key_authentication", "", _token),
    ("get_call_status", "", _dispositions),
    ("get_call_status", "?logid", _state),
    ("call_logs", "", _calls),
    ("all_call_logs", "", _sync),
    ("call_logs_by_number", "", _by_number),
    ("c2c_logs", "", _c2c),
    ("c2c_logs_by_number", "", _c2c_by_number),
    ("dialer_logs", "", _dialer),
    ("get_contact", "", _contact),
    ("agent_get_contact", "", _agent_contact),
    ("get_caller_details", "", _caller),
    ("get_agents", "", _agents),
    ("get_extension", "", _extensions),
    ("get_dids", "", _dids),
    ("did_live_status", "", _did_live),
    ("agent_did_live_status", "", _agent_live),
)


def classify(error: ApiError) -> Outcome:
    """Which column of trouble an error belongs to."""
    if isinstance(error, NotFoundError):
        return Outcome.PATH_MISSING if error.path_missing else Outcome.REACHABLE
    if isinstance(error, AuthError):
        return Outcome.AUTH_FAILED
    if isinstance(error, ValidationError):
        return Outcome.REACHABLE
    if isinstance(error, MalformedResponseError):
        return Outcome.BAD_SHAPE
    if isinstance(error, ApiConnectionError | ApiTimeoutError | TlsError):
        return Outcome.UNREACHABLE
    return Outcome.FAILED


async def _run_probe(client: IvrClient, name: str, label: str, probe: Probe) -> CheckRow:
    endpoint = client.endpoints[name]
    started = time.monotonic()
    try:
        detail = await probe(client)
        outcome = Outcome.OK
    except ApiError as err:
        outcome, detail = classify(err), str(err)
    return CheckRow(
        name=name + label,
        method=endpoint.method,
        path=endpoint.path,
        confidence=endpoint.confidence.value,
        outcome=outcome,
        detail=detail,
        elapsed_ms=round((time.monotonic() - started) * 1000),
    )


async def check_api(client: IvrClient) -> list[CheckRow]:
    """One row per read endpoint; stops early when the server cannot be reached at all."""
    rows: list[CheckRow] = []
    for name, label, probe in PROBES:
        if rows and rows[0].outcome is Outcome.UNREACHABLE:
            endpoint = client.endpoints[name]
            rows.append(
                CheckRow(
                    name=name + label,
                    method=endpoint.method,
                    path=endpoint.path,
                    confidence=endpoint.confidence.value,
                    outcome=Outcome.UNREACHABLE,
                    detail="skipped: the server is unreachable",
                )
            )
            continue
        rows.append(await _run_probe(client, name, label, probe))
    return rows


GUESSED_HINT = "guessed path: correct it with api/path_overrides"


def _detail(row: CheckRow) -> str:
    if row.outcome is Outcome.PATH_MISSING and row.confidence == Confidence.GUESSED.value:
        return f"{GUESSED_HINT} ({row.detail})"
    return row.detail


def format_table(rows: Sequence[CheckRow]) -> str:
    """A plain-text table for the terminal, widest cells setting the column widths."""
    header = ("ENDPOINT", "METHOD", "PATH", "CONF.", "RESULT", "MS", "DETAIL")
    cells = [header] + [
        (r.name, r.method, r.path, r.confidence, r.outcome.value, str(r.elapsed_ms),
         _detail(r)[:110])
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True))
        + "  "
        + row[-1]
        for row in cells
    ]
    good = sum(1 for r in rows if r.ok)
    lines.append(f"{good}/{len(rows)} endpoints OK")
    return "\n".join(line.rstrip() for line in lines)


def format_coverage(endpoints: Mapping[str, Endpoint]) -> str:
    """The endpoint table rows the check does not call (writes, or unused by the app),
    by confidence, so a guessed path is visible as guessed even when it is not probed."""
    probed = {name for name, _, _ in PROBES}
    rest = [e for e in endpoints.values() if e.name not in probed]
    guessed_probed = sum(1 for e in endpoints.values()
                         if e.name in probed and e.confidence is Confidence.GUESSED)
    lines = [f"{guessed_probed} of the probed paths are guessed (CONF. 'guessed'): "
             "'path missing' there means our guess is wrong, not your account.",
             f"Not probed (writes, or not used by the app): {len(rest)} endpoints"]
    for confidence in Confidence:
        names = [f"{e.name} {e.method} {e.path}" for e in rest if e.confidence is confidence]
        if names:
            lines.append(f"  {confidence.value.upper()} ({len(names)}): " + "; ".join(names))
    return "\n".join(lines)


def exit_code(rows: Sequence[CheckRow]) -> int:
    """0 all fine; 2 the server is unreachable or refuses the token; 1 otherwise."""
    if all(r.ok for r in rows):
        return 0
    if rows and rows[0].outcome in (Outcome.UNREACHABLE, Outcome.AUTH_FAILED):
        return 2
    return 1


async def run_check(
    base_url: str,
    token: str,
    *,
    path_overrides: dict[str, str] | None = None,
    out: TextIO | None = None,
    http_timeout_s: float = 10.0,
) -> int:
    """Build and close its own client, print the table to ``out`` (stdout), return the exit code."""
    stream = out if out is not None else sys.stdout
    async with make_http_client(__version__, timeout=http_timeout_s) as http:
        client = IvrClient(base_url, token, http=http, path_overrides=path_overrides)
        sandbox = await client.is_sandbox()
        rows = await check_api(client)
    where = f"{client.base_url} (sandbox)" if sandbox else client.base_url
    stream.write(f"IVR Solutions API check against {where}\n{format_table(rows)}\n"
                 f"{format_coverage(client.endpoints)}\n")
    return exit_code(rows)
