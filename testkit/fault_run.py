"""Drive the real app through one sandbox fault and measure what the agent lives through.

A :class:`FaultRig` is one sandbox (its own thread and port) plus one app
signed in against it over loopback HTTP, with a pinned profile: calling hours
all day and a short probe interval (``api/probe_interval_s``), the honest way
to make "the app notices by itself" take a second rather than ten. Several
rigs run side by side on the one qasync loop, so a family of faults costs the
time of its slowest member; each rig has its own sandbox, so its fault plan
touches only its own app.

``run(fault)`` does what an agent's morning looks like: the app is online, the
fault starts, the agent dials (refused, checked or placed, whatever is true),
the fault ends, the app must come back by itself (API pill Online and live
events on) and a new call must ring. The window is sampled every 50 ms
throughout (:class:`testkit.agent_view.ViewLog`). Every sandbox control call
goes through an executor: a blocking request on the loop thread would be a
stall the heartbeat blames on the app.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox

from agentapp.core.call import Phase
from agentapp.sandbox.config import SandboxConfig
from agentapp.services.call_lookup import LookupTiming
from agentapp.services.connectivity import ConnState
from agentapp.services.event_source import LiveState
from agentapp.settings import (
    API_PROBE_INTERVAL_S,
    DIAL_CALLING_HOURS_END,
    DIAL_CALLING_HOURS_START,
    Settings,
)
from testkit.agent_view import ViewLog
from testkit.apps import AppUnderTest, launch_app
from testkit.dialogs import open_question
from testkit.sandbox_process import SandboxProcess

PROBE_S = 0.5  # pinned api/probe_interval_s (default 10 s)
# The call lookup after an unreadable click-to-call answer (default: 3-min window,
# log read every 5 s): short enough for a test, longer than the 5-s repeat guard.
LOOKUP = LookupTiming(window_s=8.0, poll_interval_s=0.3, tick_s=0.05)
SAMPLE_S = 0.05
DURING_CALL = "9876543210"
AFTER_CALL = "9876543212"


def fault_profile(probe_s: float = PROBE_S) -> str:
    """A fresh profile: calling hours all day (start == end) and a short probe interval."""
    profile = "faults-" + uuid.uuid4().hex[:8]
    settings = Settings.for_profile(profile)
    settings.set(DIAL_CALLING_HOURS_START, "00:00")
    settings.set(DIAL_CALLING_HOURS_END, "00:00")
    settings.set(API_PROBE_INTERVAL_S, probe_s)
    settings.save()
    return profile


async def in_thread(fn: Callable[[], Any]) -> Any:
    """Run blocking test plumbing (sandbox control) off the loop thread."""
    return await asyncio.get_running_loop().run_in_executor(None, fn)


@dataclass
class Fault:
    """One fault: how to start and end it, how long it lasts, what it may show."""

    name: str
    start: Callable[[FaultRig], Awaitable[None]]
    end: Callable[[FaultRig], Awaitable[None]]
    lasts_s: float = 3.0
    may_show: frozenset[str] = frozenset({"online", "degraded", "offline"})
    dial_during: str | None = DURING_CALL
    # A call that is still live when the fault ends (the server restarted under it)
    # makes the next dial ask "Start a second call?": the test answers Yes.
    live_call_survives: bool = False


def plan_fault(name: str, plan: dict[str, Any], **kwargs: Any) -> Fault:
    """A fault from a sandbox fault plan (``POST /_sandbox/faults``), cleared at the end."""
    async def start(rig: FaultRig) -> None:
        await rig.control("POST", "/_sandbox/faults", plan)

    async def end(rig: FaultRig) -> None:
        await rig.control("POST", "/_sandbox/faults", {})

    return Fault(name, start, end, **kwargs)


@dataclass
class FaultResult:
    name: str
    view: ViewLog
    dial_outcome: str = ""  # what the window said of the dial when the fault ended
    settled_as: str = ""  # ... and once the app had recovered and the calls settled
    recovery_s: float | None = None
    new_call: str = ""  # the after-call's card status once it rang
    calls_during: int = 0  # calls the sandbox saw placed because of the dial during the fault
    error: str = ""

    def row(self) -> str:
        recovery = f"{self.recovery_s:.1f} s" if self.recovery_s is not None else "never"
        return (f"{self.name}: states {' -> '.join(self.view.states_seen)}; "
                f"dial: {self.dial_outcome or '-'} -> {self.settled_as or '-'} "
                f"({self.calls_during} placed); "
                f"recovered in {recovery}; "
                f"new call: {self.new_call or '-'}")


@dataclass
class FaultRig:
    qapp: QApplication
    token_env: str = ""
    speed: float = 20.0
    probe_s: float = PROBE_S
    api_host: str = "127.0.0.1"
    sandbox: SandboxProcess | None = None
    app: AppUnderTest | None = None
    port: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    async def start(self) -> None:
        """Start the sandbox, then the app against it; wait until it is online."""
        if self.sandbox is None:
            await self.start_sandbox()
        assert self.sandbox is not None
        self.port = int(self.sandbox.base_url.rsplit(":", 1)[1])
        api_url = f"http://{self.api_host}:{self.port}"
        self.app = await launch_app(
            ["--api-url", api_url, "--extension", "2101", "--did", "+911143104567"],
            profile=fault_profile(self.probe_s), env_token=self.sandbox.token,
            app=self.qapp, within=40.0)
        self.app.services.lookup.timing = LOOKUP
        await self.wait(self.recovered, 30, "online with live events at start")

    async def start_sandbox(self, id_offset: int = 0) -> None:
        """A sandbox process on ``self.port`` (0: any free port)."""
        self.sandbox = SandboxProcess(SandboxConfig(host="127.0.0.1", port=self.port, seed=5,
                                                    speed=self.speed, history=0,
                                                    id_offset=id_offset))
        await in_thread(self.sandbox.start)

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop(30)
        if self.sandbox is not None:
            await in_thread(self.sandbox.stop)

    async def restart_sandbox(self) -> None:
        """A new sandbox process on the same port, after the old one was killed; its
        ids start above the first one's, as a real server's would."""
        await self.start_sandbox(id_offset=1000)

    async def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        sandbox = self.sandbox
        assert sandbox is not None
        return await in_thread(lambda: sandbox.control(method, path, body))

    async def placed_calls(self) -> list[dict[str, Any]]:
        return list((await self.control("GET", "/_sandbox/calls"))["data"])

    def recovered(self) -> bool:
        services = self.app.runtime.services if self.app else None
        return (services is not None and services.connectivity.state is ConnState.ONLINE
                and services.live.value is LiveState.CONNECTED)

    async def wait(self, predicate: Callable[[], object], within: float, what: str,
                   view: ViewLog | None = None) -> float:
        """Sample the window until ``predicate``; returns the seconds it took."""
        assert self.app is not None
        started = time.monotonic()
        while not predicate():
            if view is not None:
                view.sample(self.app.window)
            if time.monotonic() - started > within:
                raise AssertionError(f"timed out after {within:.0f} s waiting for {what} "
                                     f"(window: {self._dial_outcome()!r})")
            await asyncio.sleep(SAMPLE_S)
        if view is not None:
            view.sample(self.app.window)
        return time.monotonic() - started

    def dial(self, number: str) -> None:
        assert self.app is not None
        window = self.app.window
        window.dial.number.setText(number)
        window.dial.call_button.click()

    def settled(self) -> bool:
        """No card is live or still checking (a new call would ask about it)."""
        assert self.app is not None
        return all(not card.timeline.is_live for card in self.app.window.cards())

    async def run(self, fault: Fault) -> FaultResult:
        assert self.app is not None
        window = self.app.window
        result = FaultResult(fault.name, ViewLog())
        view = result.view
        try:
            before = len(await self.placed_calls())
            await fault.start(self)
            started = time.monotonic()
            if fault.dial_during:
                self.dial(fault.dial_during)
            while time.monotonic() - started < fault.lasts_s:
                view.sample(window)
                await asyncio.sleep(SAMPLE_S)
            result.dial_outcome = self._dial_outcome()
            await fault.end(self)
            result.recovery_s = await self.wait(self.recovered, 60, "recovery", view)
            if not fault.live_call_survives:
                await self.wait(self.settled, 60, "the calls of the fault to settle", view)
            result.settled_as = self._dial_outcome()
            after = await self.placed_calls()
            result.calls_during = len(after) - before
            await self._new_call(result, len(after), fault.live_call_survives)
        except Exception as exc:  # reported per fault, asserted by the test
            result.error = f"{type(exc).__name__}: {exc}"
        return result

    def _dial_outcome(self) -> str:
        assert self.app is not None
        window = self.app.window
        refusal = window.dial.message.text()
        cards = [card.status_text() for card in window.cards()]
        return " / ".join(filter(None, [f"refused: {refusal}" if refusal else "", *cards]))

    async def _new_call(self, result: FaultResult, calls_before: int,
                        may_ask: bool) -> None:
        assert self.app is not None
        window = self.app.window
        known = {card.timeline.call_id for card in window.cards()}
        self.dial(AFTER_CALL)

        def new_card() -> Any:
            question = open_question(window, "")
            if question is not None:
                second = "second call" in question.windowTitle().lower()
                if not may_ask or not second:
                    raise AssertionError(f"the new call asked: {question.text()!r}")
                question.button(QMessageBox.StandardButton.Yes).click()
                return None
            if window.dial.message.text():
                raise AssertionError(f"the new call was refused: {window.dial.message.text()!r}")
            return next((c for c in window.cards() if c.timeline.call_id not in known
                         and c.timeline.logid and c.timeline.phase >= Phase.RINGING_AGENT),
                        None)

        await self.wait(new_card, 20, "the new call to ring", result.view)
        calls = await self.placed_calls()
        if len(calls) != calls_before + 1:
            raise AssertionError(f"the new call placed {len(calls) - calls_before} calls")
        card = new_card()
        result.new_call = card.status_text() if card is not None else ""
