"""Connect the main window to the facades: signals in, rendering out."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from agentapp.core.call import CallTimeline
from agentapp.core.phone_text import find_numbers, no_number_message
from agentapp.core.session import Session
from agentapp.qt.calls_facade import CallsFacade
from agentapp.qt.dial_facade import DialFacade
from agentapp.qt.recent_calls_facade import RecentCallsFacade
from agentapp.qt.status_facade import StatusFacade
from agentapp.qt.status_text import (
    SyncState,
    connection_message,
    connection_pill,
    did_pill,
    extension_pill,
    sync_pill,
)
from agentapp.qt.status_text_choices import did_choices, extension_choices
from agentapp.services.connectivity import ConnState, Health
from agentapp.services.status import StatusSnapshot, did_key
from agentapp.ui.main_window import MainWindow

AGES_REFRESH_MS = 15_000  # "3 min ago" in tooltips stays roughly true


class MainWindowBinding(QObject):
    """Keeps the current session so status pills can name its extension and DID."""

    line_change_requested = Signal(str, str)  # extension, DID ("" = unchanged)

    def __init__(self, window: MainWindow, dial: DialFacade, calls: CallsFacade,
                 status: StatusFacade, recent: RecentCallsFacade, *,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(window)
        self._window = window
        self._dial = dial
        self._status_facade = status
        self._clock = clock
        self._session: Session | None = None
        self._snapshot = StatusSnapshot()
        self._health = Health(since=clock())
        self._sync: SyncState | None = None
        self._refusal = ""
        self._refusal_about_connection = False
        window.dial_requested.connect(self.dial)
        window.clipboard_requested.connect(self.dial_clipboard)
        dial.busy_changed.connect(window.dial.set_busy)
        dial.refusal.connect(self._refused)
        dial.confirm_needed.connect(self._confirm)
        dial.placed.connect(self._placed)
        calls.timeline_changed.connect(window.show_timeline)
        status.health_changed.connect(self._health_changed)
        status.live_changed.connect(window.status.set_live)
        status.live_problem_changed.connect(window.status.set_live_problem)
        status.snapshot_changed.connect(self._status)
        status.sync_changed.connect(self._sync_changed)
        strip = window.status
        strip.connection_check_requested.connect(status.check_now)
        strip.extension_chosen.connect(lambda ext: self.line_change_requested.emit(ext, ""))
        strip.did_chosen.connect(lambda did: self.line_change_requested.emit("", did))
        recent.attach(window.recent)
        self._ages = QTimer(self, interval=AGES_REFRESH_MS)
        self._ages.timeout.connect(self._render_all)
        self._ages.start()

    def dial(self, target: str) -> None:
        """Every dial request (typed, card, recent call, tel:): the field shows its number."""
        self._window.dial.show_message("")
        self._window.dial.show_number(target)
        self._refusal = ""
        self._dial.dial(target)

    def _refused(self, message: str, about_connection: bool) -> None:
        self._refusal = message
        self._refusal_about_connection = about_connection
        self._window.dial.show_message(message)

    def dial_clipboard(self) -> None:
        """The number in the copied text: one dials, several are offered, none is said."""
        text = QGuiApplication.clipboard().text()
        found = find_numbers(text, self._window.dial.region)
        if not found:
            self._window.dial.show_message(no_number_message(text))
        elif len(found) == 1:
            self.dial(found[0].number.display())
        else:
            self._window.choose_number(found, "call", self.dial)

    def _confirm(self, target: str, title: str, question: str) -> None:
        """Asked on the main window, default No; only a Yes dials."""
        self._window.ask_confirmation(title, question, lambda: self._dial.dial_confirmed(target))

    def _placed(self, timeline: CallTimeline) -> None:
        self._window.dial.show_message("")
        self._refusal = ""
        self._window.show_timeline(timeline)

    def set_session(self, session: Session | None, *, signed_in: bool,
                    agent_name: str = "") -> None:
        self._session = session
        self._snapshot = StatusSnapshot()
        demo = session is not None and session.is_sandbox
        label = ""
        if session is not None and demo:  # never mistaken for a real person or line
            label = f"Demo agent on demo line ext {session.ext_no} (built-in sandbox)"
        elif session is not None:
            label = f"ext {session.ext_no}" + (f" · {agent_name}" if agent_name else "")
        self._window.set_identity(label, demo, signed_in)
        if session is not None:
            self._window.statusBar().clearMessage()  # "Starting…" is over
        self._render_all()

    def update_line(self, session: Session) -> None:
        """Same session, another extension or caller ID (the picker): keep the status."""
        self._session = session
        self._render()

    def _status(self, snapshot: StatusSnapshot) -> None:
        self._snapshot = snapshot
        self._render()

    def _health_changed(self, health: Health) -> None:
        self._health = health
        if health.state is ConnState.ONLINE and self._refusal and \
                self._refusal_about_connection:
            # The refusal was about the outage, rate limit or server errors: over now.
            self._refusal = ""
            self._window.dial.show_message("")
        self._render_connection()
        self._render()

    def _sync_changed(self, sync: SyncState | None) -> None:
        self._sync = sync
        self._render_sync()

    def _render_all(self) -> None:
        self._render_connection()
        self._render()
        self._render_sync()

    def _render_connection(self) -> None:
        conn = self._status_facade.connectivity
        interval = conn.interval_s if conn is not None else 10.0
        p = connection_pill(self._health, self._clock(), interval)
        strip = self._window.status
        strip.set_connection(p.text, p.tone, p.tooltip, p.accessible)
        message = connection_message(self._health) if self._session is not None else ""
        tone = "warn" if self._health.state is ConnState.DEGRADED else "bad"
        strip.show_message(message, tone)

    def _render_sync(self) -> None:
        if self._sync is None:
            self._window.status.hide_sync()
            return
        p = sync_pill(self._sync, self._clock())
        self._window.status.set_sync(p.text, p.tone, p.tooltip, p.accessible)

    def _render(self) -> None:
        s = self._session
        ext = s.ext_no if s else ""
        did = s.did if s else ""
        snap = self._snapshot
        agent = snap.agents.get(ext) if ext else None
        did_info = snap.dids.get(did_key(did)) if did else None
        offline = self._health.state is ConnState.OFFLINE
        now = self._clock()
        today = date.fromtimestamp(now)
        e = extension_pill(ext, agent, snapshot=snap, now=now, offline=offline, today=today)
        d = did_pill(did, did_info, snapshot=snap, now=now, offline=offline)
        strip = self._window.status
        strip.set_extension(e.text, e.tone, e.tooltip, e.accessible)
        strip.set_did(d.text, d.tone, d.tooltip, d.accessible)
        strip.set_extension_choices(extension_choices(snap, ext))
        strip.set_did_choices(did_choices(snap, did))
