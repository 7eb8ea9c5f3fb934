"""Calls progress in (scaled) time, follow the outcome rules, log, record and deliver webhooks."""

from __future__ import annotations

import time
import wave
from io import BytesIO

import httpx
import pytest

from agentapp.core.signature import verify
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from testkit.waiting import wait_for

from .conftest import WebhookReceiver, free_port, wait_call_ended

SECRET = "whsec_test"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed=3, speed=100.0, history=30)


def _c2c(api: httpx.Client, phone: str, ext_no: str = "2101") -> int:
    r = api.post("/api/c2c_post", data={"did": "911143104567", "ext_no": ext_no, "phone": phone})
    assert r.status_code == 200, r.text
    logid: int = r.json()["logid"]
    return logid


def test_answered_c2c_timeline_webhooks_logs_recording(
        sandbox: SandboxThread, api: httpx.Client, receiver: WebhookReceiver) -> None:
    api.post("/api/add_webhook", json={"webhookurl": receiver.url, "secret_key": SECRET})
    logid = _c2c(api, "09876543210")
    first = api.get("/api/get_call_status", params={"logid": logid}).json()["data"]
    assert first["state"] in ("ringing_agent", "ringing_customer", "connected")
    status = wait_call_ended(api, logid)
    assert status["call_status"] == "answered" and status["answered_at"]
    assert 15 <= int(status["call_duration"]) <= 45
    wait_for(lambda: len(receiver.events_for(logid)) == 6)
    events = receiver.events_for(logid)
    assert [(e.get("event"), e.get("leg")) for e in events] == [
        ("ring", "agent"), ("answer", "agent"), ("ring", "customer"), ("answer", "customer"),
        ("hangup", "customer"), (None, None)]
    assert [e["seq"] for e in events[:5]] == [1, 2, 3, 4, 5]
    assert events[4]["cause"] == "completed"
    record = events[5]
    assert record["call_type"] == "c2c" and record["customer_attended"] == "1"
    assert all(isinstance(v, str) for v in record.values())
    for got in receiver.received:
        assert verify(SECRET, got.body, got.headers.get("X-IVR-Timestamp"),
                      got.headers.get("X-IVR-Signature"), now=time.time())
    logs = api.post("/v1/all_call_logs", json={}).json()["click_to_call_logs"]
    mine = next(r for r in logs if r["recordid"] == str(logid))
    assert mine["call_status"] == "answered" and mine["recording_url"] == record["recording_url"]
    audio = httpx.get(mine["recording_url"].removesuffix(".mp3") + ".wav")
    with wave.open(BytesIO(audio.content)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (8000, 1, 2)
        assert wav.getnframes() >= 8000 * 2
    deliveries = sandbox.control("GET", "/_sandbox/deliveries")["data"]
    assert all(d["state"] == "delivered" and d["signed"] for d in deliveries)


@pytest.mark.parametrize(("phone", "ext_no", "cause"), [
    ("9876543200", "2101", "busy"),
    ("9876543299", "2101", "no_answer"),
    ("9876543298", "2101", "failed"),
    ("9876543210", "2103", "agent_failed"),   # disabled
    ("9876543210", "2104", "agent_failed"),   # expired
    ("9876543210", "2105", "agent_no_answer"),
])
def test_outcome_rules(sandbox: SandboxThread, api: httpx.Client, receiver: WebhookReceiver,
                       phone: str, ext_no: str, cause: str) -> None:
    sandbox.control("POST", "/_sandbox/webhook", {"url": receiver.url})
    logid = _c2c(api, phone, ext_no)
    status = wait_call_ended(api, logid)
    assert status["call_status"] == cause
    wait_for(lambda: any("event" not in e for e in receiver.events_for(logid)))
    events = receiver.events_for(logid)
    hangups = [e for e in events if e.get("event") == "hangup"]
    assert len(hangups) == 1 and hangups[0]["cause"] == cause
    assert hangups[0]["leg"] == ("agent" if cause.startswith("agent") else "customer")
    assert "X-IVR-Signature" not in receiver.received[0].headers  # no secret: unsigned
    record = api.get("/api/c2c_logs").json()["data"][0]
    assert record["recordid"] == str(logid) and record["recording_url"] == ""
    assert record["call_duration"] == 0


def test_inbound_answered_with_dtmf_and_missed(sandbox: SandboxThread, api: httpx.Client,
                                               receiver: WebhookReceiver) -> None:
    sandbox.control("POST", "/_sandbox/webhook", {"url": receiver.url, "secret": SECRET})
    answered = sandbox.control("POST", "/_sandbox/inbound", {
        "from": "09812345678", "did": "+911143104567", "ext_no": "2101",
        "outcome": "answered", "talk_seconds": 20, "dtmf": "2"})["logid"]
    missed = sandbox.control("POST", "/_sandbox/inbound", {
        "from": "9812345679", "did": "918044475500", "ext_no": "2102",
        "outcome": "missed"})["logid"]
    assert wait_call_ended(api, answered)["call_duration"] == "20"
    wait_call_ended(api, missed)
    wait_for(lambda: len(receiver.events_for(answered)) == 5
             and len(receiver.events_for(missed)) == 3)
    assert [e.get("event") for e in receiver.events_for(answered)] == [
        "ring", "answer", "dtmf", "hangup", None]
    assert receiver.events_for(answered)[2]["digits"] == "2"
    assert receiver.events_for(answered)[0]["call_type"] == "incoming"
    assert [e.get("event") for e in receiver.events_for(missed)] == ["ring", "hangup", None]
    logs = {r["recordid"]: r for r in api.get("/v1/call_logs").json()["data"]}
    assert logs[str(answered)]["call_type"] == "incoming"
    assert logs[str(answered)]["call_status"] == "answered"
    assert logs[str(answered)]["dtmf_input"] == "2" and logs[str(answered)]["recording_url"]
    assert logs[str(missed)]["call_status"] == "missed"
    assert logs[str(missed)]["recording_url"] == ""
    calls = sandbox.control("GET", "/_sandbox/calls")["data"]
    assert {c["kind"] for c in calls} == {"inbound"}


def test_click_connect_cancel(sandbox: SandboxThread, api: httpx.Client) -> None:
    sandbox.control("POST", "/_sandbox/speed", {"speed": 1})
    r = api.post("/api/click_connect", json={"first_phone": "+919876543210",
                                             "second_phone": "+919123456789",
                                             "did": "+911143104567"}).json()
    cancel = api.post("/api/click_connect_update", json={
        "action": "cancel", "did": "+911143104567", "first_number": "+919876543210"})
    assert cancel.status_code == 200 and cancel.json()["status"] is True
    status = wait_call_ended(api, r["logid"])
    assert status["call_status"] == "cancelled"
    again = api.post("/api/click_connect_update", json={
        "action": "cancel", "did": "+911143104567", "first_number": "+919876543210"})
    assert again.status_code == 404
    logs = api.post("/api/click_connect_logs", json={}).json()["data"]
    assert logs[0]["logid"] == str(r["logid"]) and logs[0]["call_status"] == "cancelled"


def test_speed_change_applies_mid_call(sandbox: SandboxThread, api: httpx.Client) -> None:
    sandbox.control("POST", "/_sandbox/speed", {"speed": 0.5})
    logid = _c2c(api, "9876543210")
    time.sleep(0.3)
    assert api.get("/api/get_call_status",
                   params={"logid": logid}).json()["data"]["state"] == "ringing_agent"
    sandbox.control("POST", "/_sandbox/speed", {"speed": 200})
    assert wait_call_ended(api, logid, timeout=5)["call_status"] == "answered"
    assert sandbox.control("GET", "/_sandbox/info")["speed"] == 200


def test_webhook_retries_until_receiver_is_up(sandbox: SandboxThread, api: httpx.Client) -> None:
    hook = WebhookReceiver(free_port())  # not listening yet
    api.post("/api/add_webhook", json={"webhookurl": hook.url, "secret_key": SECRET})
    logid = _c2c(api, "9876543298")  # customer leg fails fast
    wait_call_ended(api, logid)
    wait_for(lambda: len(sandbox.control("GET", "/_sandbox/deliveries")["data"][0]["attempts"])
             >= 2)
    hook.fail_next = 1  # up, but first answer is a 500
    hook.start()
    try:
        wait_for(lambda: len(hook.received) == 5, 20)
        assert [e.get("event") for e in (r.json() for r in hook.received)] == [
            "ring", "answer", "ring", "hangup", None]
        deliveries = sandbox.control("GET", "/_sandbox/deliveries")["data"]
        assert all(d["state"] == "delivered" for d in deliveries)
        first = deliveries[0]["attempts"]
        assert first[0]["result"].startswith("error") and first[-1]["result"] == 200
        assert any(a["result"] == 500 for d in deliveries for a in d["attempts"])
    finally:
        hook.stop()
