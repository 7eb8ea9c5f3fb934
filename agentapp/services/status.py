"""Extensions and DIDs, kept fresh in the background for the status view and dial guards.

One owned task refreshes every ``interval_s``; ``refresh()`` is "latest wins"
(a new refresh cancels one still running), so a click on Refresh never
races an older answer into the view.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol, runtime_checkable

from agentapp.api.errors import ApiError
from agentapp.core.phone import InvalidNumber, did_for_api
from agentapp.services.observable import Observable
from agentapp.services.tasks import cancel_and_wait

log = logging.getLogger(__name__)


class AgentInfo(Protocol):
    @property
    def ext_no(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def enabled(self) -> bool: ...
    @property
    def expired(self) -> bool: ...


class DidInfo(Protocol):
    @property
    def number(self) -> str: ...
    @property
    def active(self) -> bool: ...


class DidLiveInfo(Protocol):
    @property
    def number(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def live_calls(self) -> int: ...


class AgentLiveInfo(Protocol):
    @property
    def ext_no(self) -> str: ...
    @property
    def did_number(self) -> str: ...
    @property
    def status(self) -> str: ...


class StatusApi(Protocol):
    async def agents(self) -> Sequence[AgentInfo]: ...
    async def dids(self) -> Sequence[DidInfo]: ...


@runtime_checkable
class _HasLive(Protocol):
    async def did_live_status(self) -> Sequence[DidLiveInfo]: ...
    async def agent_did_live_status(self) -> Sequence[AgentLiveInfo]: ...


class OutcomeSink(Protocol):
    def report_success(self) -> None: ...
    def report_failure(self, exc: BaseException) -> None: ...


@dataclass(frozen=True)
class StatusSnapshot:
    """What we last knew; ``error`` is set (and the old lists kept) when a refresh failed."""

    agents: Mapping[str, AgentInfo] = field(default_factory=dict)
    dids: Mapping[str, DidInfo] = field(default_factory=dict)
    fetched_at: float | None = None
    error: str = ""
    # Live status (guessed endpoints): empty when the server does not serve them.
    did_live: Mapping[str, DidLiveInfo] = field(default_factory=dict)
    agent_live: Mapping[str, AgentLiveInfo] = field(default_factory=dict)
    error_at: float | None = None


def did_key(number: str) -> str:
    """DIDs compare by API digits, so ``+9111…`` and ``9111…`` are the same line."""
    try:
        return did_for_api(number)
    except InvalidNumber:
        return number.strip()


class StatusService:
    def __init__(
        self,
        api: StatusApi,
        interval_s: float = 60.0,
        *,
        clock: Callable[[], float] = time.time,
        connectivity: OutcomeSink | None = None,
    ) -> None:
        self._api = api
        self._interval_s = interval_s
        self._clock = clock
        self._connectivity = connectivity
        self.snapshot: Observable[StatusSnapshot] = Observable(StatusSnapshot())
        self._loop_task: asyncio.Task[None] | None = None
        self._refresh_task: asyncio.Task[StatusSnapshot] | None = None

    def agent(self, ext_no: str) -> AgentInfo | None:
        return self.snapshot.value.agents.get(ext_no.strip())

    def did(self, number: str) -> DidInfo | None:
        return self.snapshot.value.dids.get(did_key(number))

    def start(self) -> None:
        """Start the periodic refresh (first run immediately); call inside the loop."""
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        tasks = (self._loop_task, self._refresh_task)
        self._loop_task = self._refresh_task = None
        await cancel_and_wait(tasks)

    async def refresh(self) -> StatusSnapshot:
        """Fetch now; cancels a refresh still in flight. Never raises ApiError.

        A caller whose refresh was superseded gets the newer refresh's result,
        not a CancelledError.
        """
        previous = self._refresh_task
        if previous is not None and not previous.done():
            previous.cancel()
        task = asyncio.get_running_loop().create_task(self._fetch())
        self._refresh_task = task
        while True:
            try:
                return await task
            except asyncio.CancelledError:
                current = asyncio.current_task()
                latest = self._refresh_task
                if current is not None and current.cancelling():
                    raise
                if latest is None or latest is task:
                    raise
                task = latest

    async def _live(self) -> tuple[Sequence[DidLiveInfo], Sequence[AgentLiveInfo]]:
        """Live line state, when the server serves it; its absence is not an outage."""
        api = self._api
        if not isinstance(api, _HasLive):
            return [], []
        try:
            dids, agents = await asyncio.gather(api.did_live_status(),
                                                api.agent_did_live_status())
        except ApiError as exc:
            log.info("live status not available: %s", type(exc).__name__)
            return [], []
        return dids, agents

    async def _run(self) -> None:
        while True:
            await self.refresh()
            await asyncio.sleep(self._interval_s)

    async def _fetch(self) -> StatusSnapshot:
        try:
            agents, dids = await asyncio.gather(self._api.agents(), self._api.dids())
        except ApiError as exc:
            if self._connectivity is not None:
                self._connectivity.report_failure(exc)
            old = self.snapshot.value
            failed = replace(old, error=exc.user_message, error_at=self._clock())
            self.snapshot.emit(failed)
            return failed
        if self._connectivity is not None:
            self._connectivity.report_success()
        did_live, agent_live = await self._live()
        fresh = StatusSnapshot(
            agents={a.ext_no: a for a in agents},
            dids={did_key(d.number): d for d in dids},
            fetched_at=self._clock(),
            did_live={did_key(d.number): d for d in did_live},
            agent_live={a.ext_no: a for a in agent_live},
        )
        self.snapshot.emit(fresh)
        return fresh
