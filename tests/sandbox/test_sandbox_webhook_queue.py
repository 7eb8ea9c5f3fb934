"""One delivery the receiver keeps refusing holds back only its own call's later events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from testkit.waiting import wait_for

from .conftest import WebhookReceiver


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed=3, speed=100.0, history=0)


def _c2c(api: httpx.Client, ext_no: str, phone: str) -> str:
    r = api.post("/api/c2c_post", data={"did": "911143104567", "ext_no": ext_no, "phone": phone})
    assert r.status_code == 200, r.text
    return str(r.json()["logid"])


def _kind(payload: dict[str, Any]) -> str:
    return str(payload.get("event", "record"))


def test_a_refused_event_does_not_block_other_calls(
        sandbox: SandboxThread, api: httpx.Client, receiver: WebhookReceiver) -> None:
    state: dict[str, str] = {}

    def refuse(payload: dict[str, Any]) -> bool:
        # call A's (ext 2101) first event is refused until call B's (ext 2102) post-call
        # record got through (keyed by extension: the logids are known only after the reply)
        b_done = any(r.json().get("ext_no") == "2102" and "event" not in r.json()
                     for r in receiver.received)
        return payload.get("ext_no") == "2101" and payload.get("seq") == 1 and not b_done

    receiver.refuse = refuse
    api.post("/api/add_webhook", json={"webhookurl": receiver.url})
    state["a"] = _c2c(api, "2101", "9876543298")  # customer leg fails after 1 s
    state["b"] = _c2c(api, "2102", "9876543298")
    wait_for(lambda: len(receiver.events_for(state["b"])) == 5
             and len(receiver.events_for(state["a"])) == 5, 20)

    order = [(r.json()["recordid"], _kind(r.json())) for r in receiver.received]
    first_a = order.index((state["a"], "ring"))
    last_b = order.index((state["b"], "record"))
    assert last_b < first_a, order  # B went through while A's first event was retried
    for logid in (state["a"], state["b"]):  # what is delivered keeps each call's order
        seqs = [p["seq"] for p in receiver.events_for(logid) if "seq" in p]
        assert seqs == sorted(seqs) == [1, 2, 3, 4]
        assert _kind(receiver.events_for(logid)[-1]) == "record"
    rows = sandbox.control("GET", "/_sandbox/deliveries")["data"]
    a_first = next(d for d in rows if d["payload"].get("event_id") == f"{state['a']}-1")
    assert [a["result"] for a in a_first["attempts"]][:1] == [500]
    assert a_first["state"] == "delivered" and len(a_first["attempts"]) >= 2


def test_a_receiver_that_always_refuses_one_call_still_gets_the_others(
        sandbox: SandboxThread, api: httpx.Client, receiver: WebhookReceiver) -> None:
    refused: dict[str, str] = {}
    receiver.refuse = lambda p: p.get("ext_no") == "2101"
    api.post("/api/add_webhook", json={"webhookurl": receiver.url})
    refused["a"] = _c2c(api, "2101", "9876543298")
    b = _c2c(api, "2102", "9876543298")
    wait_for(lambda: len(receiver.events_for(b)) == 5, 20)
    assert receiver.events_for(refused["a"]) == []

    def a_gave_up() -> bool:
        rows = sandbox.control("GET", "/_sandbox/deliveries")["data"]
        first = next(d for d in rows if d["logid"] == refused["a"])
        return first["state"] == "failed"

    wait_for(a_gave_up, 20)  # 8 attempts, 91 sim s of backoff, at speed 100
    rows = [d for d in sandbox.control("GET", "/_sandbox/deliveries")["data"]
            if d["logid"] == refused["a"]]
    assert len(rows[0]["attempts"]) == 8
    assert all(a["result"] == 500 for a in rows[0]["attempts"])
