"""Screen-pop look-up and triggers, against the sandbox (no Qt)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agentapp.core.call import CallEvent, EventKind, Leg
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.screen_pop import PopInfo, PopRequest, ScreenPops, crm_url
from agentapp.services.screen_pop_triggers import PopTriggers
from agentapp.store import CallRow, ContactRow, open_store
from testkit.sandbox import ivr_client


def _contact_with_calls(sb: SandboxThread) -> tuple[str, str]:
    world = sb.server.context.world
    numbers = {r.client_no for r in world.call_logs}
    contact = next(c for c in world.contacts if c.number in numbers)
    return contact.number, contact.name


def test_known_caller_store_first_then_api(sandbox: SandboxThread, tmp_path: Path) -> None:
    number, name = _contact_with_calls(sandbox)

    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        try:
            await store.contacts.upsert([ContactRow("+91" + number, "Cached Name")])
            await store.calls.upsert([CallRow(
                source="call", record_id="1", kind="incoming", direction="inbound",
                number="+91" + number, number_raw=number, started_at=1, remark="Call after 6 pm")])
            async with ivr_client(sandbox) as api:
                pops = ScreenPops(api, store)
                seen: list[PopInfo] = []
                pops.updates.subscribe(lambda i: seen.append(i) if i else None)
                await pops.lookup(PopRequest("77", "incoming", "0" + number, "+911143104567"))
            first, last = seen
            # At once, from the store: the cached name and the remark, still filling.
            assert (first.name, first.filling, first.last_remark) == (
                "Cached Name", True, "Call after 6 pm")
            assert first.title == "Incoming call: Cached Name"
            # Then the API: the server's name, this number's calls (stored too).
            assert (last.name, last.filling, last.note) == (name, False, "")
            stored = await store.calls.for_number("+91" + number, 500)
            assert len(stored) > 1  # the API's calls for this number were stored
            assert list(last.recent) == stored[:5]  # the newest five, newest first
        finally:
            await store.aclose()

    asyncio.run(scenario())


def test_unknown_caller_and_api_failure_keep_what_is_known(sandbox: SandboxThread,
                                                           tmp_path: Path) -> None:
    async def scenario() -> None:
        store = await open_store(tmp_path / "s.sqlite3")
        try:
            async with ivr_client(sandbox) as api:
                pops = ScreenPops(api, store)
                info = await pops.lookup(PopRequest("1", "incoming", "+91 91234 56789"))
                assert (info.name, info.known, info.recent) == ("", False, ())
                assert info.title == "Incoming call: +91 91234 56789"
                await store.contacts.upsert([ContactRow("+919123456789", "Asha")])
                sandbox.control("POST", "/_sandbox/faults",
                                {"error_rate": 1.0, "error_status": 500})
                info = await pops.lookup(PopRequest("2", "lookup", "09123456789"))
                assert info.name == "Asha" and not info.filling
                assert info.note.startswith("Showing saved details only:")
                assert info.title == "Caller look-up: Asha"
        finally:
            await store.aclose()

    asyncio.run(scenario())


class _Pops:
    def __init__(self) -> None:
        self.opened: list[PopRequest] = []
        self.updates: list[tuple[str, dict[str, object]]] = []

    def open(self, request: PopRequest) -> None:
        self.opened.append(request)

    def update(self, pop_id: str, **changes: object) -> None:
        self.updates.append((pop_id, changes))


def _event(kind: EventKind, **fields: object) -> CallEvent:
    base: dict[str, object] = {"logid": "9", "kind": kind, "leg": Leg.AGENT, "at": 0.0,
                               "call_type": "incoming", "client_no": "9876543210",
                               "ext_no": "2101", "did_no": "+911143104567"}
    base.update(fields)
    return CallEvent(**base)  # type: ignore[arg-type]


def test_trigger_rules() -> None:
    fake = _Pops()
    setting = ["ring"]
    triggers = PopTriggers(fake, ext_no=lambda: "2101",  # type: ignore[arg-type]
                           incoming=lambda: setting[0])
    triggers.on_event(_event(EventKind.RING, ext_no="2102"))  # someone else's phone
    triggers.on_event(_event(EventKind.RING, call_type="c2c"))  # our own call: not "incoming"
    assert fake.opened == []
    triggers.on_event(_event(EventKind.RING))
    triggers.on_event(_event(EventKind.RING))  # a repeated delivery opens nothing more
    assert [r.pop_id for r in fake.opened] == ["9"]
    triggers.on_event(_event(EventKind.DTMF, digits="2"))
    triggers.on_event(_event(EventKind.HANGUP, cause="no_answer"))
    assert fake.updates == [("9", {"dtmf": "2"}), ("9", {"ended": True, "missed": True})]
    assert triggers.missed.value == 1

    setting[0] = "answer"
    triggers.on_event(_event(EventKind.RING, logid="10"))
    assert len(fake.opened) == 1
    triggers.on_event(_event(EventKind.ANSWER, logid="10"))
    triggers.on_event(_event(EventKind.HANGUP, logid="10", cause="completed"))
    assert fake.opened[-1].pop_id == "10"
    assert fake.updates[-1] == ("10", {"ended": True, "missed": False})

    setting[0] = "off"
    triggers.on_event(_event(EventKind.RING, logid="11"))
    triggers.on_event(_event(EventKind.ANSWER, logid="11"))
    assert len(fake.opened) == 2


def test_crm_url() -> None:
    template = "https://crm.example.com/search?phone={e164}&n={national}"
    assert crm_url(template, "+919876543210") == (
        "https://crm.example.com/search?phone=%2B919876543210&n=9876543210")
    assert crm_url("", "+919876543210") == ""
