"""Known live behaviour the sandbox reproduces (issue: sandbox fidelity, item 1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.clock import IST, TIME_FORMAT
from agentapp.sandbox.thread import SandboxThread
from testkit.waiting import wait_for

from .conftest import WebhookReceiver, wait_call_ended

EVENING = datetime(2026, 11, 26, 20, 0, tzinfo=IST)  # outside dialer windows


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed=4, speed=100.0, history=400, start_time=EVENING)


def _plus(stamp: str, seconds: int) -> str:
    return (datetime.strptime(stamp, TIME_FORMAT) + timedelta(seconds=seconds)).strftime(
        TIME_FORMAT)


def test_get_extension_answers_for_the_did_only(api: httpx.Client) -> None:
    def exts(body: dict[str, Any]) -> set[str]:
        return {e["ext"] for e in api.post("/v1/get_extension", json=body).json()["exts"]}

    assert exts({"did": "918044475500"}) == {"2102", "2104"}
    assert exts({"did": "+911143104567"}) == {"2101", "2103", "2105"}
    assert exts({}) == {"2101", "2102", "2103", "2104", "2105"}
    unknown = api.post("/v1/get_extension", json={"did": "919999999999"})
    assert unknown.status_code == 400
    assert unknown.json() == {"status": 400, "message": "Did No. Invalid"}
    inactive = api.post("/v1/get_extension", json={"did": "+912261234567"})
    assert inactive.json() == {"status": 400, "message": "Did No. Inactive"}


def test_add_to_dialer_documented_example_without_dialerid(api: httpx.Client) -> None:
    before = {d["id"]: d["pending"] for d in api.get("/api/get_dialers_list").json()["data"]}
    r = api.post("/v1/add_to_dialer",
                 json={"recordList": [{"number": "09876543210", "name": "John Doe"}]})
    assert r.status_code == 200
    assert r.json() == {"status": True, "message": "1 records added to dialer successfully"}
    after = {d["id"]: d["pending"] for d in api.get("/api/get_dialers_list").json()["data"]}
    assert after[101] == before[101] + 1 and after[102] == before[102]


def test_historical_call_status_is_filled_like_the_log(api: httpx.Client) -> None:
    c2c = api.get("/api/c2c_logs").json()["data"]
    calls = api.get("/v1/call_logs").json()["data"]

    def status(recordid: str) -> dict[str, Any]:
        data: dict[str, Any] = api.get("/api/get_call_status",
                                       params={"logid": recordid}).json()["data"]
        return data

    answered = next(r for r in c2c if r["call_status"] == "answered")
    s = status(answered["recordid"])
    assert s["state"] == "ended" and s["call_status"] == "answered"
    assert (s["agent_status"], s["customer_status"]) == ("answered", "answered")
    assert s["answered_at"] == _plus(answered["call_time"], 7)  # agent 3 s + customer 4 s
    assert s["ended_at"] == _plus(s["answered_at"], answered["call_duration"])
    assert s["call_duration"] == str(answered["call_duration"])
    busy = next(r for r in c2c if r["call_status"] == "busy")
    s = status(busy["recordid"])
    assert (s["customer_status"], s["answered_at"]) == ("busy", "")
    assert s["ended_at"] == _plus(busy["call_time"], 5)
    agent_missed = next(r for r in c2c if r["call_status"] == "agent_no_answer")
    s = status(agent_missed["recordid"])
    assert (s["agent_status"], s["customer_status"], s["answered_at"]) == ("no_answer", "", "")
    assert s["ended_at"] == _plus(agent_missed["call_time"], 20)
    missed = next(r for r in calls if r["call_status"] == "missed")
    s = status(missed["recordid"])
    assert s["call_type"] == "incoming" and s["ended_at"] == _plus(missed["call_time"], 15)
    inbound = next(r for r in calls if r["call_type"] == "incoming"
                   and r["call_status"] == "answered")
    s = status(inbound["recordid"])
    assert s["answered_at"] == _plus(inbound["call_time"], 3)
    assert s["ended_at"] == _plus(s["answered_at"], inbound["call_duration"])
    for row in api.post("/api/dialer_logs", json={}).json()["data"][:5]:
        s = status(str(row["id"]))
        assert s["state"] == "ended" and s["ended_at"] > row["call_time"]
        assert s["customer_status"] == row["call_status"]


def test_an_agent_on_a_call_is_busy(sandbox: SandboxThread, api: httpx.Client,
                                    receiver: WebhookReceiver) -> None:
    api.post("/api/add_webhook", json={"webhookurl": receiver.url})
    c2c = {"did": "911143104567", "ext_no": "2101"}
    first = api.post("/api/c2c_post", data={**c2c, "phone": "09876543210"}).json()["logid"]
    second = api.post("/api/c2c_post", data={**c2c, "phone": "09123456789"})
    assert second.status_code == 200  # accepted; its agent leg then fails
    other = api.post("/api/c2c_post", data={"did": "918044475500", "ext_no": "2102",
                                            "phone": "09123456789"}).json()["logid"]
    busy = wait_call_ended(api, second.json()["logid"])
    assert (busy["call_status"], busy["agent_status"], busy["answered_at"]) == (
        "agent_busy", "busy", "")
    assert busy["call_time"] <= busy["ended_at"] <= _plus(busy["call_time"], 5)  # 1 sim s
    logid = second.json()["logid"]
    wait_for(lambda: len(receiver.events_for(logid)) == 2)
    hangup, record = receiver.events_for(logid)
    assert (hangup["event"], hangup["leg"], hangup["cause"]) == ("hangup", "agent", "agent_busy")
    assert record["call_status"] == "agent_busy" and record["agent_attended"] == "0"
    row = next(r for r in api.get("/api/c2c_logs").json()["data"]
               if r["recordid"] == str(logid))
    assert (row["call_status"], row["agent_attended"], row["recording_url"]) == (
        "agent_busy", "0", "")
    assert wait_call_ended(api, first)["call_status"] == "answered"
    assert wait_call_ended(api, other)["call_status"] == "answered"  # another agent: free
    again = api.post("/api/c2c_post", data={**c2c, "phone": "09123456789"}).json()["logid"]
    assert wait_call_ended(api, again)["call_status"] == "answered"  # free once it ended


def test_wrong_method_405_carries_allow(api: httpx.Client) -> None:
    r = api.delete("/api/c2c_post")
    assert r.status_code == 405 and r.headers["Allow"] == "POST"
    assert r.json() == {"status": 405, "message": "Method Not Allowed"}
    either = api.put("/api/get_dids")
    assert either.headers["Allow"] == "GET, POST"


def test_routing_answers_before_the_token_is_checked(sandbox: SandboxThread) -> None:
    bad = {"Authorization": "Bearer wrong"}
    base = sandbox.base_url
    unknown = httpx.get(base + "/api/no_such_thing", headers=bad)
    assert unknown.status_code == 404 and unknown.json() == {"status": 404,
                                                             "message": "Not Found"}
    wrong_method = httpx.delete(base + "/api/c2c_post", headers=bad)
    assert wrong_method.status_code == 405 and wrong_method.headers["Allow"] == "POST"
    assert wrong_method.json()["message"] == "Method Not Allowed"
    refused = httpx.post(base + "/api/c2c_post", headers=bad)
    assert refused.status_code == 405  # the documented auth failure, unchanged
    assert refused.json() == {"status": 401, "message": "Method Not Allowed 1"}
    assert refused.headers["Allow"] == "POST"
