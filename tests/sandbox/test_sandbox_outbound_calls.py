"""Text, flow, voice-bot and dialer campaign calls really happen (item 3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.calls import flow_keypress
from agentapp.sandbox.clock import IST, TIME_FORMAT
from agentapp.sandbox.thread import SandboxThread
from testkit.waiting import wait_for

from .conftest import WebhookReceiver, wait_call_ended

MORNING = datetime(2026, 11, 26, 10, 0, tzinfo=IST)  # inside every dialer's window


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed=2, speed=100.0, history=0, start_time=MORNING)


def _kinds(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e.get("event", "record"), e.get("leg", "")) for e in events]


def test_text_call_rings_talks_logs_records_and_posts(
        sandbox: SandboxThread, api: httpx.Client, receiver: WebhookReceiver) -> None:
    api.post("/api/add_webhook", json={"webhookurl": receiver.url})
    r = api.post("/api/dial_by_text", json={  # the page's example (its schedule is past)
        "did_no": "+911143104567", "flow_id": "1701", "customer_no": "09354123456",
        "template_name": "api_order_confirm", "Variable": "John,ORD12345,1500",
        "schedule_datetime": "2024-12-31 13:00:00", "timezone": "Asia/Kolkata"}).json()
    assert r["status"] == 200 and r["message"] == "Call initiated successfully"
    call_id: str = r["call_id"]
    assert call_id.startswith("call_txt_")
    ended = wait_call_ended(api, call_id)
    assert ended["call_type"] == "outgoing" and ended["call_status"] == "answered"
    assert ended["client_no"] == "9354123456" and ended["did_no"] == "+911143104567"
    logid = call_id.removeprefix("call_txt_")
    wait_for(lambda: len(receiver.events_for(logid)) == 4)
    events = receiver.events_for(logid)
    assert _kinds(events) == [("ring", "customer"), ("answer", "customer"),
                              ("hangup", "customer"), ("record", "")]
    assert events[-1]["call_type"] == "outgoing" and events[-1]["recording_url"]
    row = next(x for x in api.get("/v1/call_logs").json()["data"] if x["recordid"] == logid)
    assert (row["call_type"], row["outgoing_ext"], row["call_status"]) == (
        "outgoing", "9354123456", "answered")
    audio = httpx.get(row["recording_url"])
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"
    sync = api.post("/v1/all_call_logs", json={"last_call_log_id": "0"}).json()
    assert logid in {x["recordid"] for x in sync["call_logs"]}


def test_flow_call_presses_a_key_and_number_rules_apply(
        api: httpx.Client, receiver: WebhookReceiver) -> None:
    api.post("/api/add_webhook", json={"webhookurl": receiver.url})
    flow = api.post("/api/dial_by_flow", json={"did_no": "+911143104567", "flow_id": "1001",
                                               "customer_no": "09871234567"}).json()
    busy = api.get("/api/dial_by_flow_get", params={"did": "+911143104567", "flow": "1001",
                                                    "phone": "09876543200"}).json()
    bot = api.post("/api/dial_by_voicebot", json={"Voicechat_id": "4821",
                                                  "customer_no": "09876543299",
                                                  "did_num": "+911143104567"}).json()
    assert wait_call_ended(api, flow["call_id"])["call_status"] == "answered"
    assert wait_call_ended(api, busy["call_id"])["call_status"] == "busy"
    assert wait_call_ended(api, bot["call_id"], timeout=20)["call_status"] == "no_answer"
    logid = flow["call_id"].removeprefix("call_flow_")
    wait_for(lambda: len(receiver.events_for(logid)) == 5)
    dtmf = [e for e in receiver.events_for(logid) if e.get("event") == "dtmf"]
    assert [e["digits"] for e in dtmf] == [flow_keypress("9871234567")]
    row = next(x for x in api.get("/v1/call_logs").json()["data"] if x["recordid"] == logid)
    assert row["dtmf_input"] == flow_keypress("9871234567")
    bad = api.post("/api/dial_by_flow", json={"did_no": "+911143104567", "flow_id": "42",
                                              "customer_no": "09871234567"})
    assert bad.json() == {"status": 400, "message": "flow_id is invalid"}


def test_scheduled_call_waits_for_its_time(api: httpx.Client) -> None:
    now = datetime.strptime(api.get("/_sandbox/info").json()["now"], TIME_FORMAT)
    at = (now + timedelta(minutes=2)).strftime(TIME_FORMAT)
    r = api.post("/api/dial_by_aivoicebot", json={
        "customer_no": "09876543210", "wss_url": "wss://example.com/stream",
        "schedule_datetime": at, "timezone": "Asia/Kolkata"}).json()
    state = api.get("/api/get_call_status", params={"logid": r["call_id"]}).json()["data"]
    assert state["state"] == "scheduled"
    ended = wait_call_ended(api, r["call_id"], timeout=20)
    assert ended["call_time"] >= at and ended["call_status"] == "answered"
    wrong = api.post("/api/dial_by_aivoicebot", json={
        "customer_no": "09876543210", "schedule_datetime": "31/12/2025"})
    assert wrong.json() == {"status": 400, "message": "schedule_datetime is invalid"}
    zone = api.post("/api/dial_by_aivoicebot", json={
        "customer_no": "09876543210", "schedule_datetime": at, "timezone": "Mars/Base"})
    assert zone.json() == {"status": 400, "message": "timezone is invalid"}


def test_dialer_campaign_dials_its_numbers_a_few_at_a_time(
        sandbox: SandboxThread, api: httpx.Client, receiver: WebhookReceiver) -> None:
    api.post("/api/add_webhook", json={"webhookurl": receiver.url})
    created = api.post("/api/create_text_dialer", json={
        "name": "Reminders", "did_no": "+918044475500", "no_of_call": 2, "start_time": "09:00",
        "end_time": "18:00", "text_template_id": 101}).json()
    dialer = created["dialer_id"]
    numbers = ["09876543210", "09876543200", "09876543299", "09123456789"]
    api.post("/api/add_to_ivrdialerbulk", json={
        "dialerid": dialer, "numbers": [{"number": n} for n in numbers]})
    assert api.post("/api/dialer_logs", json={"dialerid": dialer}).json()["data"] == []  # off
    api.post("/api/change_dialer_status", json={"dialerid": dialer, "status": "on"})

    def logs() -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = api.post("/api/dialer_logs",
                                              json={"dialerid": dialer}).json()["data"]
        return rows

    wait_for(lambda: len(logs()) == 4, 30)
    outcome = {r["customer_no"]: r["call_status"] for r in logs()}
    assert outcome == {"9876543210": "answered", "9876543200": "busy",
                       "9876543299": "no_answer", "9123456789": "answered"}
    assert all(r["dialer_name"] == "Reminders" for r in logs())
    listing = {d["id"]: d for d in api.get("/api/get_dialers_list").json()["data"]}
    assert (listing[dialer]["pending"], listing[dialer]["completed"]) == (0, 4)
    calls = [c for c in sandbox.control("GET", "/_sandbox/calls")["data"]
             if c["kind"] == "dialer"]
    calls.sort(key=lambda c: int(c["id"]))
    assert calls[2]["started_at"] >= min(calls[0]["ended_at"], calls[1]["ended_at"])
    first = str(logs()[-1]["id"])
    wait_for(lambda: receiver.events_for(first)
             and receiver.events_for(first)[-1].get("event") is None)
    assert {e["call_type"] for e in receiver.events_for(first)} == {"dialer"}
    sync = api.post("/v1/all_call_logs", json={"last_dialer_log_id": "0"}).json()
    assert first in {r["recordid"] for r in sync["dialer_logs"]}


def test_paused_dialer_stops_placing_calls(sandbox: SandboxThread, api: httpx.Client) -> None:
    api.post("/api/change_dialer_status", json={"dialerid": 102, "status": "pause"})
    api.post("/api/add_to_ivrdialer", json={"dialerid": 102, "number": "09876543210"})
    listing = {d["id"]: d for d in api.get("/api/get_dialers_list").json()["data"]}
    assert listing[102]["pending"] == 1
    assert not [c for c in sandbox.control("GET", "/_sandbox/calls")["data"]
                if c["kind"] == "dialer"]
    api.post("/api/change_dialer_status", json={"dialerid": 102, "status": "on"})
    wait_for(lambda: api.post("/api/dialer_logs", json={"dialerid": 102}).json()["data"])
