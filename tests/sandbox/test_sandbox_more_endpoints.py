"""The endpoints added from the provider page's catalogue answer its example requests."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from agentapp.api.endpoints import ENDPOINTS, Confidence
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.clock import IST

USER = {"call_forwarding": "1", "connection": "1", "did_no": "+911143104567",
        "email": "user@company.com", "expiry_date": "2025-12-31", "extn_no": "2101",
        "kyc_required": "0", "name": "John Doe", "password": "SecurePass@123",
        "phone": "09876543210", "recording_id": "2207"}


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed=1, speed=20.0, history=20,
                         start_time=datetime(2026, 11, 26, 20, 0, tzinfo=IST))


def test_table_marks_new_rows_with_their_confidence() -> None:
    inferred = {"dial_by_flow", "addagent", "update_agent_did"}
    assert {n for n in inferred if ENDPOINTS[n].confidence is Confidence.INFERRED} == inferred
    for name in ("get_call_flows", "search_did", "get_did_regions", "edit_text_dialer",
                 "create_text_template", "dial_by_flow_get"):
        assert ENDPOINTS[name].confidence is Confidence.GUESSED
    assert ENDPOINTS["addagent"].path == "/ivrappv2/addagent"


def test_call_flows_and_customer_lists(api: httpx.Client) -> None:
    flows = api.get("/api/get_call_flows").json()
    assert flows["status"] == 200
    assert flows["data"][0] == {"id": 1001, "name": "Welcome IVR",
                                "description": "Main welcome menu"}
    created = api.post("/api/create_customer_list", json={"listname": "January Campaign 2025"})
    assert created.json() == {"status": True, "message": "Customer list created successfully",
                              "list_id": 3}
    lists = api.get("/api/get_customer_list").json()["data"]
    assert lists[0]["name"] == "December Leads" and lists[-1]["name"] == "January Campaign 2025"
    assert api.post("/api/create_customer_list", json={}).json()["message"] == \
        "listname is required"


def test_edit_text_dialer_keeps_null_fields(api: httpx.Client) -> None:
    r = api.post("/api/edit_text_dialer", json={
        "id": 101, "name": None, "did_no": None, "no_of_call": None, "start_time": None,
        "end_time": None, "text_template_id": None})
    assert r.json() == {"status": True, "message": "Dialer updated successfully"}
    d = api.get("/api/get_dialers_list").json()["data"][0]
    assert (d["name"], d["start_time"], d["no_of_calls"]) == (
        "Order Confirmation Campaign", "09:00", 5)
    api.post("/api/edit_text_dialer", json={"id": 101, "end_time": "19:30", "no_of_call": 2})
    d = api.get("/api/get_dialers_list").json()["data"][0]
    assert (d["end_time"], d["no_of_calls"]) == ("19:30", 2)
    assert api.post("/api/edit_text_dialer", json={"id": 101, "end_time": "25:00"}).json() == {
        "status": 400, "message": "end_time is invalid"}
    assert api.post("/api/edit_text_dialer", json={"id": 999}).status_code == 404


def test_add_agent_and_update_agent_did(api: httpx.Client) -> None:
    r = api.post("/ivrappv2/addagent", json={"name": "John Doe", "email": "john.doe@company.com",
                                             "phonenumber": "9876543210",
                                             "password": "SecurePass@123"}).json()
    assert r["status"] is True and r["message"] == "Agent added successfully"
    assert r["data"] == {"agent_id": r["data"]["agent_id"], "ext_no": "2106",
                         "name": "John Doe", "email": "john.doe@company.com"}
    weak = api.post("/ivrappv2/addagent", json={"name": "A", "email": "a@b.in",
                                                "phonenumber": "9876543211", "password": "abc"})
    assert weak.json() == {"status": 400, "message": "password is invalid"}
    moved = api.post("/ivrappv2/update_agent_did",
                     json={"agent_ext": "2106", "did_num": "+918044475500"})
    assert moved.json() == {"status": True, "message": "Agent DID updated successfully"}
    agents = {a["ext_no"]: a for a in api.get("/api/get_agents").json()["data"]}
    assert agents["2106"]["did_no"] == "+918044475500"
    by_id = api.post("/ivrappv2/update_agent_did", json={  # SV's field names
        "agent_id": str(agents["2106"]["agent_id"]), "did_no": "911143104567"})
    assert by_id.json()["status"] is True
    exts = api.post("/v1/get_extension", json={"did": "911143104567"}).json()["exts"]
    assert "2106" in {e["ext"] for e in exts}


def test_extension_admin(api: httpx.Client) -> None:
    assert api.post("/ivrappv2/deactivate_group_user", json={"ext_no": "2101"}).json()[
        "status"] is True
    expiry = api.post("/ivrappv2/set_extension_expiry",
                      json={"expiry_date": "2025-12-31", "ext_no": "2102"}).json()
    assert expiry["status"] is True
    agents = {a["ext_no"]: a for a in api.get("/api/get_agents").json()["data"]}
    assert agents["2101"]["status"] == "0" and agents["2102"]["expiry_date"] == "2025-12-31"
    dup = api.post("/ivrappv2/create_group_extension", json=USER)
    assert dup.json() == {"status": 400, "message": "Extension already exists"}
    made = api.post("/ivrappv2/create_group_extension", json={**USER, "extn_no": "2201"}).json()
    assert made["status"] is True and made["data"]["ext_no"] == "2201"
    assert api.post("/ivrappv2/create_group_extension",
                    json={**USER, "call_forwarding": "2"}).json()["message"] == \
        "call_forwarding is invalid"


def test_did_regions_search_and_provisioning(api: httpx.Client) -> None:
    regions = api.get("/ivrappv2/get_did_regions").json()
    assert regions["message"] == "Region found successfully" and len(regions["data"]) == 6
    found = api.post("/ivrappv2/search_did", json={"country_code": "IN", "region": "1",
                                                   "search_pattern": None,
                                                   "pattern": "4310"}).json()
    assert found == {"status": True, "message": "Numbers found", "cost": "500",
                     "currency": "INR", "data": [f"+91114310450{i}" for i in range(1, 6)]}
    bought = api.post("/ivrappv2/buy_did", json={"country": "IN", "number": found["data"][0]})
    assert bought.json()["status"] is True
    again = api.post("/ivrappv2/search_did", json={"country_code": "IN", "region": "1",
                                                   "pattern": "4310"}).json()
    assert found["data"][0] not in again["data"]  # owned numbers are not offered
    sized = api.post("/ivrappv2/did_search", json={"availabilty_level": "1", "did_region": "1",
                                                   "pattern_last_digits": "4310",
                                                   "size": "20"}).json()
    assert len(sized["data"]) == 20 and all(n.startswith("+9111431") for n in sized["data"])
    for path in ("create_did_user", "create_group_did", "create_group_did_sip"):
        body = {k: v for k, v in USER.items() if path == "create_did_user" or k not in (
            "email", "phone") or path == "create_group_did_sip"}
        r = api.post(f"/ivrappv2/{path}", json=body).json()
        assert r["status"] is True, (path, r)
    refused = api.post("/ivrappv2/create_group_did", json={**USER, "kyc_required": ""})
    assert refused.json()["message"] == "kyc_required is required"


def test_templates_variables_and_voicebots(api: httpx.Client) -> None:
    made = api.post("/api/create_text_template", json={
        "template_name": "api_welcome", "text_content": "Welcome, {name}."}).json()
    assert made["status"] is True and made["template_id"] == 103
    status = api.post("/api/text_template_status", json={"template_name": "api_order_confirm"})
    assert status.json()["data"] == {"template_name": "api_order_confirm", "status": "approved"}
    names = [t["template_name"] for t in api.get("/api/get_text_templates").json()["data"]]
    assert names == ["api_order_confirm", "api_payment_reminder", "api_welcome"]
    assert "order_id" in api.get("/api/get_variables").json()["data"]
    bot = api.post("/api/get_voicebot_details", json={"voicebot_id": "4821",
                                                      "aitraingdata": "1"}).json()
    assert bot["status"] is True and bot["data"]["training_data"]
    assert api.post("/api/get_voicebot_details",
                    json={"voicebot_id": "1"}).status_code == 404
