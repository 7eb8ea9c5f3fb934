"""A state machine over the outbox: saves, failures, crashes and restarts in any order.

The store is real (a file, reopened on every restart); the API is a fake at
the network boundary that can fail before applying, apply and lose the
answer, refuse as invalid, or be "killed" mid-request (the delivery task is
cancelled after the server applied the note and before the outbox recorded
it, which is what SIGKILL does). Whatever the order, at the end: every call's
latest saved disposition is on the server or shown as failed (never lost),
and no saved disposition was applied twice (never duplicated).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from agentapp.api.errors import ApiTimeoutError, ServerError, ValidationError
from agentapp.api.models import CallRecord
from agentapp.services.disposition_outbox import Backoff, DispositionOutbox
from agentapp.store import Store, open_store
from agentapp.store.dispositions_repo import Draft
from tests.store.store_support import FakeClock

RECORDS = ("101", "102", "103", "104")
NUMBER = "+919876543210"
INVALID_STATUS = 99
T0_TIME = datetime(2026, 9, 21, 10, 0, tzinfo=UTC)


class FakeNotesApi:
    """The server: applies notes, and fails in the way the machine asks for next."""

    def __init__(self) -> None:
        self.applied: list[tuple[str, str]] = []  # (record_id, remark) in arrival order
        self.current: dict[str, tuple[int, str]] = {}
        self.mode = "ok"  # ok | down | lost_answer | hang
        self.hung = asyncio.Event()

    async def update_call_note(self, *, record_id: str, call_status: int, call_type: str,
                               remark: str = "") -> str:
        if self.mode == "down":
            raise ServerError("Simulated server error")
        if call_status == INVALID_STATUS:
            raise ValidationError("call_status is invalid", field="call_status")
        self.applied.append((record_id, remark))
        self.current[record_id] = (call_status, remark)
        if self.mode == "lost_answer":
            raise ApiTimeoutError("read timeout")
        if self.mode == "hang":
            self.hung.set()
            await asyncio.Event().wait()  # until the "kill"
        return "Call note updated successfully"

    async def add_call_note(self, *, sip_call_id: str, note: str, call_type: str = "",
                            status: str = "") -> str:
        raise AssertionError("not used: every call here has a record id")

    async def call_logs_by_number(self, phone: str) -> list[CallRecord]:
        if self.mode == "down":
            raise ServerError("Simulated server error")
        return [CallRecord(category="call", recordid=rid, direction="inbound",
                           customer_number="9876543210", did_no="", ext_no="", agent_no="",
                           agent_name="", call_time=T0_TIME, duration_s=30, status="answered",
                           call_type="incoming", disposition=str(status), note=note)
                for rid, (status, note) in self.current.items()]

    async def c2c_logs_by_number(self, phone: str) -> list[CallRecord]:
        return []


class OutboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.dir = Path(tempfile.mkdtemp(prefix="outbox-sm-"))
        self.clock = FakeClock()
        self.api = FakeNotesApi()
        self.saves = 0
        self.latest: dict[str, tuple[int, str]] = {}  # what the agent last saved per call
        self.store: Store | None = None
        self.outbox: DispositionOutbox | None = None

    def run(self, coro):  # type: ignore[no-untyped-def]
        return self.loop.run_until_complete(coro)

    @initialize()
    def open(self) -> None:
        self._open()

    def _open(self) -> None:
        self.store = self.run(open_store(self.dir / "s.sqlite3", clock=self.clock))
        self.outbox = DispositionOutbox(self.api, self.store.dispositions,
                                        backoff=Backoff(1.0, 8.0), rand=lambda: 0.0)

    def _close(self) -> None:
        assert self.store is not None
        self.run(self.store.aclose())
        self.store = self.outbox = None

    @rule(record=st.sampled_from(RECORDS), status=st.sampled_from((1, 2, 3, INVALID_STATUS)),
          typing=st.booleans())
    def save(self, record: str, status: int, typing: bool) -> None:
        assert self.outbox is not None and self.store is not None
        self.saves += 1
        remark = f"save {self.saves}"  # unique: lets us count applications per save
        draft = Draft(source="call", record_id=record, call_type="incoming", status_id=status,
                      remark=remark, number=NUMBER)
        if typing:
            self.run(self.store.dispositions.save_draft(draft))
        self.run(self.outbox.save(draft))
        self.latest[record] = (status, remark)

    @rule(mode=st.sampled_from(("ok", "down", "lost_answer")))
    def server(self, mode: str) -> None:
        self.api.mode = mode

    @rule()
    def deliver(self) -> None:
        assert self.outbox is not None
        self.run(self.outbox.deliver_due())

    @rule(seconds=st.integers(0, 10))
    def time_passes(self, seconds: int) -> None:
        self.clock.now += seconds

    @rule()
    def restart(self) -> None:
        self._close()
        self._open()

    @rule()
    def killed_mid_request(self) -> None:
        """The server applies the head item, then the app dies before recording it."""
        assert self.outbox is not None
        mode, self.api.mode = self.api.mode, "hang"
        self.api.hung.clear()
        outbox = self.outbox

        async def kill() -> None:
            task = asyncio.ensure_future(outbox.deliver_due())
            hung = asyncio.ensure_future(self.api.hung.wait())
            await asyncio.wait({task, hung}, return_when=asyncio.FIRST_COMPLETED)
            task.cancel()
            hung.cancel()
            await asyncio.gather(task, hung, return_exceptions=True)

        self.run(kill())
        self.api.mode = mode
        self.restart()

    @invariant()
    def never_applied_twice(self) -> None:
        remarks = [remark for _rid, remark in self.api.applied]
        assert len(remarks) == len(set(remarks)), self.api.applied

    def teardown(self) -> None:
        try:
            if self.outbox is not None:
                self.api.mode = "ok"
                for _ in range(20):  # enough rounds to pass every backoff (cap 8 s x 1.5)
                    self.clock.now += 20
                    self.run(self.outbox.deliver_due())
                self._check_nothing_lost()
                self._close()
        finally:
            self.loop.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _check_nothing_lost(self) -> None:
        assert self.store is not None
        for record, (status, remark) in self.latest.items():
            state, reason = self.run(self.store.dispositions.state("call", record))
            if status == INVALID_STATUS:
                assert state == "failed" and "call_status" in reason
            else:
                assert state == "sent", (record, state, reason)
                assert self.api.current[record] == (status, remark)
        assert self.run(self.store.dispositions.counts())["pending"] == 0
        self.never_applied_twice()


OutboxMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=25,
                                           deadline=None)
TestOutboxMachine = OutboxMachine.TestCase
