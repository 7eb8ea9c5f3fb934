"""The token goes only over https, or plain http to this computer (issue 16.3).

Every way an address comes in is covered by one rule: ``--api-url`` with
``AGENTAPP_TOKEN``, an ``http://`` address in the settings file, the sign-in
dialog, ``--check-api``, and the client itself as the last line of defence.
No test here sends anything anywhere but loopback: the client refuses before
its transport is touched, which a recording transport proves.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from agentapp.api.client import IvrClient
from agentapp.api.errors import InsecureUrlError
from agentapp.cli import parse_launch
from agentapp.core.urls import insecure_url_reason
from agentapp.services.account import InvalidBaseUrl, normalise_base_url
from agentapp.startup import StoredAccount, resolve_start

REPO = Path(__file__).resolve().parents[2]
REMOTE_HTTP = ["http://192.0.2.10:8080", "http://api.ivrsolutions.in", "HTTP://Example.COM",
               "http://127.0.0.1.example.com", "http://[2001:db8::1]"]
ALLOWED = ["https://api.ivrsolutions.in", "http://127.0.0.1:8765", "http://localhost:1",
           "http://[::1]:9"]


@pytest.mark.parametrize("url", [*REMOTE_HTTP, "ftp://x", "file:///etc/passwd", "javascript:x"])
def test_refused(url: str) -> None:
    assert insecure_url_reason(url) is not None


@pytest.mark.parametrize("url", ALLOWED)
def test_allowed(url: str) -> None:
    assert insecure_url_reason(url) is None


@pytest.mark.parametrize("url", REMOTE_HTTP)
def test_client_refuses_before_any_request(url: str) -> None:
    attempts: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        return httpx.Response(200, json={})

    async def body() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as http:
            with pytest.raises(InsecureUrlError) as refused:
                IvrClient(url, "secret-token", http=http)
            assert "https://" in refused.value.user_message

    asyncio.run(body())
    assert attempts == []


@pytest.mark.parametrize("url", REMOTE_HTTP)
def test_api_url_with_env_token_asks_to_sign_in_instead(url: str) -> None:
    launch = parse_launch(["--api-url", url, "--extension", "2101", "--did", "+911143104567"])
    plan = resolve_start(launch, StoredAccount("", "", "", False), None, "secret-token")
    assert plan.kind == "sign_in" and plan.token == ""
    assert "https://" in plan.reason


def test_http_address_in_the_settings_file_asks_to_sign_in_instead() -> None:
    stored = StoredAccount("http://192.0.2.10", "2101", "+911143104567", True)
    plan = resolve_start(parse_launch([]), stored, "secret-token", None)
    assert plan.kind == "sign_in" and plan.token == ""
    assert "https://" in plan.reason


def test_sign_in_dialog_rule_is_the_same() -> None:
    with pytest.raises(InvalidBaseUrl, match="https://"):
        normalise_base_url("http://192.0.2.10")
    assert normalise_base_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"


def test_check_api_refuses_plain_http(data_dirs: Path) -> None:
    import os

    env = {**os.environ, "AGENTAPP_TOKEN": "secret-token", "PYTHONPATH": str(REPO)}
    # 0.0.0.0 is not loopback by the rule, yet were the rule broken the request
    # would still stay on this machine.
    proc = subprocess.run([sys.executable, "-m", "agentapp", "--check-api", "--api-url",
                           "http://0.0.0.0:9"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert "https://" in proc.stderr and "Traceback" not in proc.stderr
    assert "secret-token" not in proc.stderr + proc.stdout
