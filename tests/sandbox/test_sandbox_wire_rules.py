"""Encodings, auth forms, auth-failure styles and error replies."""

from __future__ import annotations

import httpx
import pytest

from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread

C2C = {"did": "911143104567", "ext_no": "2101", "phone": "09876543210"}


@pytest.mark.parametrize("encoding", ["json", "form", "multipart"])
def test_post_accepts_every_encoding(api: httpx.Client, encoding: str) -> None:
    if encoding == "json":
        r = api.post("/api/c2c_post", json=C2C)
    elif encoding == "form":
        r = api.post("/api/c2c_post", data=C2C)
    else:
        r = api.post("/api/c2c_post", files={k: (None, v) for k, v in C2C.items()})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == 200


def test_get_tolerates_json_content_type(api: httpx.Client) -> None:
    r = api.get("/api/c2c_get", params=C2C, headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["status"] == 200


@pytest.mark.parametrize("form", ["bearer", "query", "json_body", "form_body"])
def test_token_in_every_place(sandbox: SandboxThread, form: str) -> None:
    url = sandbox.base_url + "/api/key_authentication"
    if form == "bearer":
        r = httpx.post(url, json={}, headers={"Authorization": f"Bearer {sandbox.token}"})
    elif form == "query":
        r = httpx.post(url, params={"token": sandbox.token}, json={})
    elif form == "json_body":
        r = httpx.post(url, json={"token": sandbox.token})
    else:
        r = httpx.post(url, data={"token": sandbox.token})
    assert r.status_code == 200 and r.json()["status"] == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_auth_failure_default_is_http405(sandbox: SandboxThread, headers: dict[str, str]) -> None:
    r = httpx.post(sandbox.base_url + "/api/key_authentication", json={}, headers=headers)
    assert r.status_code == 405
    assert r.json() == {"status": 401, "message": "Method Not Allowed 1"}
    control = httpx.get(sandbox.base_url + "/_sandbox/info", headers=headers)
    assert control.status_code == 405


@pytest.mark.parametrize("sandbox_config", [SandboxConfig(history=0, auth_failure="body401")])
def test_auth_failure_body401_switch(sandbox: SandboxThread) -> None:
    r = httpx.post(sandbox.base_url + "/api/key_authentication", json={},
                   headers={"Authorization": "Bearer nope"})
    assert r.status_code == 200
    assert r.json() == {"status": 401, "message": "Invalid token"}


def test_recordings_need_no_token_but_api_does(sandbox: SandboxThread, api: httpx.Client) -> None:
    rows = api.get("/v1/call_logs").json()["data"]
    url = next(r["recording_url"] for r in rows if r["recording_url"])
    mp3 = httpx.get(url)
    assert mp3.status_code == 200 and mp3.headers["content-type"] == "audio/mpeg"
    assert httpx.get(sandbox.base_url + "/v1/call_logs").status_code == 405


@pytest.mark.parametrize(("body", "message"), [
    ({"ext_no": "2101", "phone": "09876543210"}, "did is required"),
    ({"did": "911143104567", "phone": "09876543210"}, "ext_no is required"),
    ({"did": "911143104567", "ext_no": "2101"}, "phone is required"),
    ({"did": "911143104567", "ext_no": "2101", "phone": "12ab"}, "phone is invalid"),
])
def test_validation_errors_name_the_field(api: httpx.Client, body: dict[str, str],
                                          message: str) -> None:
    r = api.post("/api/c2c_post", data=body)
    assert r.status_code == 400
    assert r.json() == {"status": 400, "message": message}


@pytest.mark.parametrize(("did", "status", "message"), [
    ("919999999999", 400, "Did No. Invalid"),
    ("912261234567", 400, "Did No. Inactive"),
])
def test_did_errors(api: httpx.Client, did: str, status: int, message: str) -> None:
    r = api.post("/api/c2c_post", data={**C2C, "did": did})
    assert r.status_code == status and r.json() == {"status": status, "message": message}


def test_unknown_extension_is_404(api: httpx.Client) -> None:
    r = api.post("/api/c2c_post", data={**C2C, "ext_no": "9999"})
    assert r.status_code == 404
    assert r.json() == {"status": 404, "message": "Extension not configured in IVR dashboard"}


def test_plus_did_refused_by_default_as_live(api: httpx.Client) -> None:
    """PD found live that c2c_get answers "Did No. Invalid" to a +91 DID."""
    for method, path in (("GET", "/api/c2c_get"), ("POST", "/api/c2c_post")):
        r = api.request(method, path, params={**C2C, "did": "+911143104567"})
        assert r.status_code == 400
        assert r.json() == {"status": 400, "message": "Did No. Invalid"}
    assert api.get("/api/c2c_get", params=C2C).status_code == 200


@pytest.mark.parametrize("sandbox_config", [SandboxConfig(history=0, reject_plus_did=False)])
def test_accept_plus_did_switch(api: httpx.Client) -> None:
    assert api.get("/api/c2c_get", params={**C2C, "did": "+911143104567"}).status_code == 200


def test_unknown_logid_and_bad_json_and_wrong_method(api: httpx.Client) -> None:
    r = api.get("/api/get_call_status", params={"logid": "42"})
    assert r.status_code == 404 and r.json() == {"status": 404, "message": "logid not found"}
    bad = api.post("/v1/all_call_logs", content=b"{not json",
                   headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["status"] == 400
    wrong = api.delete("/api/c2c_post")
    assert wrong.status_code == 405 and wrong.json()["status"] == 405
    assert api.get("/api/no_such_thing").status_code == 404


def test_api_and_v1_prefixes_both_serve(api: httpx.Client) -> None:
    a = api.post("/api/all_call_logs", json={}).json()
    b = api.post("/v1/all_call_logs", json={}).json()
    assert a == b and a["status"] == 200
    assert "status" not in api.get("/v1/call_logs").json()
    assert api.get("/api/call_logs").json()["status"] == 200
