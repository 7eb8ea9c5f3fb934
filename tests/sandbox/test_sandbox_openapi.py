"""The OpenAPI 3.1 document: generated from the endpoint table, valid, true to the sandbox."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from agentapp.api.endpoints import ENDPOINTS
from agentapp.sandbox.thread import SandboxThread


@pytest.fixture
def document(sandbox: SandboxThread) -> dict[str, Any]:
    r = httpx.get(sandbox.base_url + "/_sandbox/openapi.json", timeout=60)  # no token needed
    assert r.status_code == 200
    doc: dict[str, Any] = r.json()
    return doc


def test_document_is_valid_openapi_31(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on any violation of the 3.1 schema


def test_every_table_row_is_an_operation_marked_with_its_confidence(
        document: dict[str, Any], sandbox: SandboxThread) -> None:
    assert {"url": sandbox.base_url, "description": "this sandbox"} in document["servers"]
    ops = {op["operationId"]: (path, method, op) for path, item in document["paths"].items()
           for method, op in item.items()}
    assert set(ops) == set(ENDPOINTS)
    for name, endpoint in ENDPOINTS.items():
        path, method, op = ops[name]
        assert (path, method.upper()) == (endpoint.path, endpoint.method)
        assert op["x-ivr-confidence"] == endpoint.confidence.value
        assert op["x-ivr-ref"] == endpoint.ref
    assert ops["get_dids"][2]["x-ivr-also-methods"] == ["GET", "POST"]
    assert ops["c2c_get"][2]["x-ivr-aliases"] == []  # /v1/c2c_get is its own row
    assert ops["get_contact"][2]["x-ivr-aliases"] == ["/v1/get_contact"]
    assert ops["c2c_recordings"][2]["x-ivr-served-by-sandbox"] is False


def test_examples_are_the_sandboxs_own_answers(document: dict[str, Any]) -> None:
    c2c = document["paths"]["/api/c2c_post"]["post"]
    body = c2c["requestBody"]["content"]
    assert next(iter(body)) == "application/x-www-form-urlencoded"  # the table's encoding first
    assert body["application/x-www-form-urlencoded"]["schema"]["required"] == [
        "did", "ext_no", "phone"]
    answer = c2c["responses"]["200"]["content"]["application/json"]["example"]
    assert answer["message"] == "Call connecting. Please wait..." and answer["logid"] > 5000000
    flows = document["paths"]["/api/get_call_flows"]["get"]["responses"]["200"]
    assert flows["content"]["application/json"]["example"]["data"][0]["name"] == "Welcome IVR"
    auth = document["components"]["responses"]["AuthFailure"]["content"]["application/json"]
    assert auth["example"] == {"status": 401, "message": "Method Not Allowed 1"}
    for item in document["paths"].values():
        for op in item.values():
            if op["x-ivr-served-by-sandbox"]:
                assert "200" in op["responses"], op["operationId"]


@pytest.mark.parametrize("name", ["get_agents", "call_logs_v1", "c2c_logs", "get_dids",
                                  "get_dialers_list", "get_call_flows", "get_did_regions",
                                  "agent_did_live_status", "all_call_logs"])
def test_live_answers_match_the_documented_schema(document: dict[str, Any], api: httpx.Client,
                                                  name: str) -> None:
    endpoint = ENDPOINTS[name]
    op = document["paths"][endpoint.path][endpoint.method.lower()]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    live = api.request(endpoint.method, endpoint.path,
                       json={} if endpoint.method == "POST" else None).json()
    OAS31Validator(schema).validate(live)
