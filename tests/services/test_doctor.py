"""``agentapp --check-api`` against the sandbox: each column of trouble shows up."""

from __future__ import annotations

import asyncio
import io
import socket

from agentapp import __version__
from agentapp.api.client import IvrClient, make_http_client
from agentapp.api.endpoints import ENDPOINTS, Confidence
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.doctor import (
    GUESSED_HINT,
    PROBES,
    CheckRow,
    Outcome,
    check_api,
    exit_code,
    format_table,
    run_check,
)


def _check(base_url: str, token: str, **overrides: str) -> tuple[int, str]:
    out = io.StringIO()
    code = asyncio.run(run_check(base_url, token, path_overrides=dict(overrides), out=out))
    return code, out.getvalue()


def _rows(sandbox: SandboxThread) -> list[CheckRow]:
    async def main() -> list[CheckRow]:
        async with make_http_client(__version__) as http:
            client = IvrClient(sandbox.base_url, sandbox.token, http=http, retries=0)
            return await check_api(client)

    return asyncio.run(main())


def test_everything_ok_against_the_sandbox(sandbox: SandboxThread) -> None:
    code, text = _check(sandbox.base_url, sandbox.token)
    assert code == 0, text
    assert "(sandbox)" in text
    assert f"{len(PROBES)}/{len(PROBES)} endpoints OK" in text
    for name, label, _ in PROBES:
        assert name + label in text


def test_wrong_path_is_reported_as_missing(sandbox: SandboxThread) -> None:
    code, text = _check(sandbox.base_url, sandbox.token, get_dids="/api/get_my_dids")
    assert code == 1
    line = next(line for line in text.splitlines() if line.startswith("get_dids "))
    assert "/api/get_my_dids" in line and "path missing" in line


def test_refused_token_is_auth_failed(sandbox: SandboxThread) -> None:
    code, text = _check(sandbox.base_url, "not-the-token")
    assert code == 2
    assert text.count("auth failed") == len(PROBES)


def test_unreachable_server_stops_early() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, text = _check(f"http://127.0.0.1:{port}", "t")
    assert code == 2
    assert text.count("skipped: the server is unreachable") == len(PROBES) - 1


def test_html_answer_is_bad_shape(sandbox: SandboxThread) -> None:
    sandbox.control("POST", "/_sandbox/faults", {"html_rate": 1.0, "paths": ["/api/get_agents"]})
    rows = {row.name: row for row in _rows(sandbox)}
    agents = rows["get_agents"]
    assert agents.outcome is Outcome.BAD_SHAPE
    assert agents.reachable and agents.auth_ok and not agents.shape_ok
    assert rows["get_dids"].outcome is Outcome.OK
    assert exit_code(list(rows.values())) == 1


def test_format_table_aligns_columns() -> None:
    rows = [
        CheckRow("get_dids", "POST", "/api/get_dids", "confirmed", Outcome.OK, "2 item(s)", 5),
        CheckRow("x", "GET", "/api/x", "guessed", Outcome.PATH_MISSING, "Not Found", 12),
    ]
    lines = format_table(rows).splitlines()
    assert lines[0].startswith("ENDPOINT")
    assert len({line.index("/api/") for line in lines[1:3]}) == 1
    assert lines[-1] == "1/2 endpoints OK"


def test_guessed_paths_are_marked_probed_or_not(sandbox: SandboxThread) -> None:
    code, text = _check(sandbox.base_url, sandbox.token)
    assert code == 0
    probed_guessed = len({name for name, _, _ in PROBES
                          if ENDPOINTS[name].confidence is Confidence.GUESSED})
    assert f"{probed_guessed} of the probed paths are guessed" in text
    line = next(line for line in text.splitlines() if line.startswith("call_logs_by_number "))
    assert " guessed " in line
    unprobed = [e for e in ENDPOINTS.values() if e.name not in {n for n, _, _ in PROBES}]
    assert f"Not probed (writes, or not used by the app): {len(unprobed)} endpoints" in text
    guessed = next(line for line in text.splitlines() if line.startswith("  GUESSED ("))
    assert "search_did POST /ivrappv2/search_did" in guessed
    inferred = next(line for line in text.splitlines() if line.startswith("  INFERRED ("))
    assert "dial_by_flow POST /api/dial_by_flow" in inferred
    assert "addagent POST /ivrappv2/addagent" in inferred


def test_missing_guessed_path_says_the_guess_is_wrong(sandbox: SandboxThread) -> None:
    code, text = _check(sandbox.base_url, sandbox.token, get_contact="/api/no_contact_here")
    line = next(line for line in text.splitlines() if line.startswith("get_contact "))
    assert "path missing" in line and GUESSED_HINT in line and code == 1
