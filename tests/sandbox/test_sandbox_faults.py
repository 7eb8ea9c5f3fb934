"""Injected faults: each kind, path filters, count, and never on /_sandbox/*."""

from __future__ import annotations

import json

import httpx
import pytest

from agentapp.sandbox.thread import SandboxThread


def test_error_and_count(sandbox: SandboxThread, api: httpx.Client) -> None:
    sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1, "error_status": 503,
                                                 "count": 2})
    assert [api.post("/api/get_dids", json={}).status_code for _ in range(3)] == [503, 503, 200]
    assert sandbox.control("GET", "/_sandbox/faults")["faults"]["error_rate"] == 0


def test_paths_filter_and_clear(sandbox: SandboxThread, api: httpx.Client) -> None:
    sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1, "paths": ["/v1/"]})
    assert api.get("/v1/call_logs").status_code == 500
    assert api.post("/api/get_dids", json={}).status_code == 200
    assert sandbox.control("GET", "/_sandbox/info")["status"] == 200  # control is exempt
    sandbox.control("POST", "/_sandbox/faults", {})
    assert api.get("/v1/call_logs").status_code == 200


def test_drop_closes_without_response(sandbox: SandboxThread, api: httpx.Client) -> None:
    sandbox.control("POST", "/_sandbox/faults", {"drop_rate": 1, "count": 1})
    with pytest.raises(httpx.TransportError):
        api.post("/api/get_dids", json={})
    assert api.post("/api/get_dids", json={}).status_code == 200


@pytest.mark.parametrize("kind", ["malformed", "truncated"])
def test_bad_json_bodies(sandbox: SandboxThread, api: httpx.Client, kind: str) -> None:
    sandbox.control("POST", "/_sandbox/faults", {f"{kind}_rate": 1, "count": 1})
    r = api.post("/api/get_dids", json={})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.content)


def test_html_latency_and_rate_limit(sandbox: SandboxThread, api: httpx.Client) -> None:
    sandbox.control("POST", "/_sandbox/faults", {"html_rate": 1, "latency_ms": 150, "count": 1})
    r = api.post("/api/get_dids", json={})
    assert r.status_code == 200 and r.text.startswith("<html>")
    assert r.elapsed.total_seconds() >= 0.15
    sandbox.control("POST", "/_sandbox/faults", {"rate_limit_retry_after": 7, "count": 1})
    limited = api.post("/api/get_dids", json={})
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"


def test_bad_fault_field_is_400(sandbox: SandboxThread, api: httpx.Client) -> None:
    r = api.post("/_sandbox/faults", json={"error_rate": 3})
    assert r.status_code == 400 and r.json()["message"] == "error_rate is invalid"
    assert api.post("/_sandbox/faults", json={"bogus": 1}).status_code == 400


C2C = {"did": "911143104567", "ext_no": "2101", "phone": "9876543210"}


def _calls(sandbox: SandboxThread) -> int:
    return len(sandbox.control("GET", "/_sandbox/calls")["data"])


@pytest.mark.parametrize(("fault", "after"), [
    ({"error_rate": 1}, False), ({"error_rate": 1}, True),
    ({"drop_rate": 1}, False), ({"drop_rate": 1}, True),
    ({"html_rate": 1}, True), ({"malformed_rate": 1}, True),
])
def test_after_handler_decides_whether_the_request_took_effect(
        sandbox: SandboxThread, api: httpx.Client, fault: dict[str, int], after: bool) -> None:
    """Before the handler (default) a click-to-call places nothing; after it, one call."""
    sandbox.control("POST", "/_sandbox/faults", {**fault, "after_handler": after, "count": 1,
                                                 "paths": ["/api/c2c_post"]})
    try:
        r = api.post("/api/c2c_post", data=C2C)
    except httpx.TransportError:
        assert "drop_rate" in fault
    else:
        assert r.status_code == (500 if "error_rate" in fault else 200), r.text
        assert "logid" not in r.text
    assert _calls(sandbox) == (1 if after else 0)


def test_after_handler_must_be_a_flag(api: httpx.Client) -> None:
    r = api.post("/_sandbox/faults", json={"after_handler": "yes"})
    assert r.status_code == 400 and r.json()["message"] == "after_handler is invalid"
