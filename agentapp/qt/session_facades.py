"""The facades that follow the current session: bound to its services, unbound at its end.

Widgets hold on to these facades for the app's whole life; a session (an
account, an extension, the demo) comes and goes underneath. Pointing every
facade at a new session's services, and back at nothing, happens here in one
place so a switch can never leave one facade on the old session.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from agentapp.qt.calls_facade import CallsFacade
from agentapp.qt.dial_facade import DialFacade
from agentapp.qt.disposition_facade import DispositionFacade
from agentapp.qt.history_facade import HistoryFacade
from agentapp.qt.pop_facade import PopFacade
from agentapp.qt.recent_calls_facade import RecentCallsFacade
from agentapp.qt.status_facade import StatusFacade
from agentapp.qt.status_panel_facade import StatusPanelFacade
from agentapp.services.call_tracker import CallTracker
from agentapp.services.connectivity import ConnectivityMonitor
from agentapp.services.dialing import DialingService
from agentapp.services.dispositions import Dispositions
from agentapp.services.event_source import LiveState
from agentapp.services.history_session import HistoryServices
from agentapp.services.observable import Observable
from agentapp.services.status import StatusService


class SessionServices(Protocol):
    """What the facades read of ``composition.SessionServices`` (a layer above this one)."""

    connectivity: ConnectivityMonitor
    status: StatusService
    tracker: CallTracker
    dialing: DialingService
    history: HistoryServices | None
    live: Observable[LiveState]
    live_problem: Observable[str]
    dispositions: Dispositions | None


class SessionFacades:
    def __init__(self, *, crm_template: Callable[[], str],
                 now: Callable[[], datetime]) -> None:
        """``now``: the session clock's aware local time (the history's "today")."""
        self._status_service: StatusService | None = None
        self.dial = DialFacade()
        self.calls = CallsFacade()
        self.status = StatusFacade()
        self.status_panel = StatusPanelFacade()
        self.pops = PopFacade(crm_template=crm_template, did_label=self.did_label)
        self.history = HistoryFacade(now=now)
        self.recent = RecentCallsFacade(self.history)  # a view of the history's store
        self.dispositions = DispositionFacade()

    def bind(self, services: SessionServices) -> None:
        """Point every facade at ``services`` (a session that just started)."""
        self._status_service = services.status
        self.dial.bind(services.dialing)
        self.calls.bind(services.tracker)
        self.status.bind(services.connectivity, services.status, services.live,
                         services.live_problem)
        history = services.history
        self.pops.bind(history.pops if history else None,
                       history.triggers if history else None)
        self.history.bind(history)
        self.status.bind_sync(history.sync.status if history else None)
        self.status_panel.bind(services.status)
        self.dispositions.bind(services.dispositions)

    async def unbind(self) -> None:
        """Point every facade at nothing; drafts being typed reach the store first."""
        self.dial.bind(None)
        self.calls.bind(None)
        self.status.bind(None, None, None)
        self.status.bind_sync(None)
        self.status_panel.bind(None)
        self.pops.bind(None, None)
        self.pops.close_all()
        self.history.bind(None)
        self.dispositions.flush_drafts()
        await self.dispositions.drain()
        self.dispositions.bind(None)
        self._status_service = None

    def did_label(self, did: str) -> str:
        """The DID's region from the session's DID list ("Delhi"), "" when unknown."""
        info = self._status_service.did(did) if self._status_service is not None else None
        return str(getattr(info, "region", "") or "")
