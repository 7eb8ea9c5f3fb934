"""Every error class and the retry rules, over real HTTP (sandbox fault controls)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from agentapp.api.client import IvrClient
from agentapp.api.errors import (
    ApiConnectionError,
    ApiTimeoutError,
    AuthError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TlsError,
    ValidationError,
)
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread

ApiRunner = Callable[..., Any]
DIDS = ["/api/get_dids"]
C2C = ["/api/c2c_post"]


def _faults(sandbox: SandboxThread, **plan: Any) -> None:
    sandbox.control("POST", "/_sandbox/faults", plan)


class RequestCounter:
    """An httpx request hook: what the client really put on the wire."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, request: httpx.Request) -> None:
        self.paths.append(request.url.path)

    def count(self, path: str) -> int:
        return self.paths.count(path)


@pytest.fixture
def strict_sandbox() -> Iterator[SandboxThread]:
    """The PD-style auth failure (HTTP 200 + status 401) and the live "+DID" rejection."""
    config = SandboxConfig(seed=2, speed=20.0, history=10, auth_failure="body401",
                           reject_plus_did=True)
    with SandboxThread(config) as running:
        yield running


def test_wrong_token_http_405_is_auth_error(run_client: ApiRunner, sandbox: SandboxThread) -> None:
    with pytest.raises(AuthError) as caught:
        run_client(sandbox.base_url, "wrong-token", lambda c: c.validate_token())
    assert "Settings → API token" in caught.value.user_message


def test_wrong_token_body_401_is_auth_error(
    run_client: ApiRunner, strict_sandbox: SandboxThread
) -> None:
    with pytest.raises(AuthError):
        run_client(strict_sandbox.base_url, "wrong-token", lambda c: c.dids())


def test_validation_errors_name_the_field(
    run_client: ApiRunner, strict_sandbox: SandboxThread
) -> None:
    async def bad_calls(c: IvrClient) -> list[ValidationError]:
        errors = []
        ext = (await c.agents())[0].ext_no
        did = (await c.dids())[0].number
        for kwargs in ({"did": did, "ext_no": ext, "phone": "09876543210"},
                       {"did": did.lstrip("+"), "ext_no": ext, "phone": ""}):
            try:
                await c.click_to_call(**kwargs)
            except ValidationError as err:
                errors.append(err)
        return errors

    plus_did, no_phone = run_client(strict_sandbox.base_url, strict_sandbox.token, bad_calls)
    assert plus_did.field == "did" and "DID" in plus_did.user_message
    assert no_phone.field == "phone"


def test_unknown_logid_is_not_found_but_a_wrong_path_is_path_missing(run_client: ApiRunner,
    sandbox: SandboxThread,
) -> None:
    with pytest.raises(NotFoundError) as unknown:
        run_client(sandbox.base_url, sandbox.token, lambda c: c.call_state("424242"))
    assert not unknown.value.path_missing
    with pytest.raises(NotFoundError) as wrong_path:
        run_client(sandbox.base_url, sandbox.token, lambda c: c.dids(),
                        path_overrides={"get_dids": "/api/no_such_endpoint"})
    assert wrong_path.value.path_missing


def test_read_succeeds_after_one_injected_500(
    run_client: ApiRunner, sandbox: SandboxThread
) -> None:
    counter = RequestCounter()
    _faults(sandbox, error_rate=1.0, paths=DIDS, count=1)
    dids = run_client(sandbox.base_url, sandbox.token, lambda c: c.dids(), hooks=[counter])
    assert dids and counter.count("/api/get_dids") == 2


def test_read_gives_up_after_retries_with_server_error(
    run_client: ApiRunner, sandbox: SandboxThread
) -> None:
    counter = RequestCounter()
    _faults(sandbox, error_rate=1.0, error_status=503, paths=DIDS, count=10)
    with pytest.raises(ServerError) as caught:
        run_client(sandbox.base_url, sandbox.token, lambda c: c.dids(), hooks=[counter],
                        retries=2)
    assert caught.value.status_code == 503
    assert counter.count("/api/get_dids") == 3


@pytest.mark.parametrize("fault", ["error_rate", "drop_rate"])
def test_click_to_call_is_never_retried(
    run_client: ApiRunner, sandbox: SandboxThread, fault: str
) -> None:
    counter = RequestCounter()

    async def call(c: IvrClient) -> None:
        agent = (await c.agents())[0]
        did = (await c.dids())[0].number.lstrip("+")
        _faults(sandbox, **{fault: 1.0}, paths=C2C, count=1)
        await c.click_to_call(did=did, ext_no=agent.ext_no, phone="09876543210")

    expected = ServerError if fault == "error_rate" else ApiConnectionError
    with pytest.raises(expected) as caught:
        run_client(sandbox.base_url, sandbox.token, call, hooks=[counter], retries=5)
    assert counter.count("/api/c2c_post") == 1
    # The fault was armed for one request only: a retry would have started a call.
    assert sandbox.control("GET", "/_sandbox/calls")["data"] == []
    if fault == "drop_rate":
        assert "may already have reached" in caught.value.user_message


def test_other_mutations_are_never_retried(run_client: ApiRunner, sandbox: SandboxThread) -> None:
    counter = RequestCounter()
    paths = ["/api/save_contact", "/api/add_webhook", "/api/update_call_note",
             "/api/click_connect", "/api/enable_disable_users"]

    async def mutate(c: IvrClient) -> int:
        failures = 0
        calls = [
            lambda: c.save_contact(name="X", number="9123400001"),
            lambda: c.register_webhook("http://127.0.0.1:9/hook"),
            lambda: c.update_call_note(record_id="1", call_status=1, call_type="c2c"),
            lambda: c.click_connect(first_phone="09876543210", second_phone="09812345678",
                                    did="911143104567"),
            lambda: c.set_extension_enabled("2101", True),
        ]
        for attempt in calls:
            _faults(sandbox, error_rate=1.0, paths=paths, count=1)
            try:
                await attempt()
            except ServerError:
                failures += 1
        return failures

    failures = run_client(sandbox.base_url, sandbox.token, mutate, hooks=[counter],
                               retries=5)
    assert failures == 5
    assert [counter.count(p) for p in paths] == [1, 1, 1, 1, 1]


def test_rate_limit_retry_after_is_honoured_then_reported(
    run_client: ApiRunner, sandbox: SandboxThread
) -> None:
    counter = RequestCounter()
    _faults(sandbox, rate_limit_retry_after=1, paths=DIDS, count=1)
    dids = run_client(sandbox.base_url, sandbox.token, lambda c: c.dids(), hooks=[counter])
    assert dids and counter.count("/api/get_dids") == 2
    _faults(sandbox, rate_limit_retry_after=30, paths=DIDS, count=5)
    with pytest.raises(RateLimitedError) as caught:  # 30 s exceeds the cap: no waiting
        run_client(sandbox.base_url, sandbox.token, lambda c: c.dids())
    assert caught.value.retry_after == 30.0
    assert "30 s" in caught.value.user_message


def test_slow_server_is_timeout(run_client: ApiRunner, sandbox: SandboxThread) -> None:
    _faults(sandbox, latency_ms=1500, paths=DIDS, count=1)
    with pytest.raises(ApiTimeoutError):
        run_client(sandbox.base_url, sandbox.token, lambda c: c.dids(), timeout=0.3,
                        retries=0)


@pytest.mark.parametrize("fault", ["malformed_rate", "html_rate", "truncated_rate"])
def test_bad_bodies_are_malformed(
    run_client: ApiRunner, sandbox: SandboxThread, fault: str
) -> None:
    _faults(sandbox, **{fault: 1.0}, paths=DIDS, count=3)
    with pytest.raises(MalformedResponseError):
        run_client(sandbox.base_url, sandbox.token, lambda c: c.dids())


def test_dropped_read_is_connection_error(run_client: ApiRunner, sandbox: SandboxThread) -> None:
    _faults(sandbox, drop_rate=1.0, paths=DIDS, count=1)
    with pytest.raises(ApiConnectionError):
        run_client(sandbox.base_url, sandbox.token, lambda c: c.dids(), retries=0)


def test_refused_port_is_connection_error(run_client: ApiRunner) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ApiConnectionError):
        run_client(f"http://127.0.0.1:{port}", "t", lambda c: c.dids(), retries=1)


def test_https_against_plain_http_is_tls_error(
    run_client: ApiRunner, sandbox: SandboxThread
) -> None:
    url = sandbox.base_url.replace("http://", "https://")
    with pytest.raises(TlsError) as caught:
        run_client(url, sandbox.token, lambda c: c.dids(), retries=0)
    assert "secure connection" in caught.value.user_message
