"""Connect the main window to the facades: signals in, rendering out."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from agentapp.core.call import CallTimeline
from agentapp.core.session import Session
from agentapp.qt.calls_facade import CallsFacade
from agentapp.qt.dial_facade import DialFacade
from agentapp.qt.recent_calls_facade import RecentCallsFacade
from agentapp.qt.status_facade import StatusFacade
from agentapp.qt.status_text import did_pill, extension_pill
from agentapp.services.status import StatusSnapshot, did_key
from agentapp.ui.main_window import MainWindow


class MainWindowBinding:
    """Keeps the current session so status pills can name its extension and DID."""

    def __init__(self, window: MainWindow, dial: DialFacade, calls: CallsFacade,
                 status: StatusFacade, recent: RecentCallsFacade) -> None:
        self._window = window
        self._dial = dial
        self._session: Session | None = None
        self._snapshot = StatusSnapshot()
        window.dial_requested.connect(self.dial)
        window.clipboard_requested.connect(self.dial_clipboard)
        dial.busy_changed.connect(window.dial.set_busy)
        dial.refused.connect(window.dial.show_message)
        dial.confirm_needed.connect(self._confirm)
        dial.placed.connect(self._placed)
        calls.timeline_changed.connect(window.show_timeline)
        status.online_changed.connect(window.status.set_online)
        status.live_changed.connect(window.status.set_live)
        status.snapshot_changed.connect(self._status)
        recent.calls_changed.connect(window.recent.show_records)
        recent.error_changed.connect(window.recent.show_error)

    def dial(self, target: str) -> None:
        """Every dial request (typed, card, recent call, tel:): the field shows its number."""
        self._window.dial.show_message("")
        self._window.dial.show_number(target)
        self._dial.dial(target)

    def dial_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text().strip()
        if not text:
            self._window.dial.show_message("The clipboard holds no number to dial.")
            return
        self._window.dial.number.setText(text)
        self.dial(text)

    def _confirm(self, target: str, title: str, question: str) -> None:
        """Asked on the main window, default No; only a Yes dials."""
        self._window.ask_confirmation(title, question, lambda: self._dial.dial_confirmed(target))

    def _placed(self, timeline: CallTimeline) -> None:
        self._window.dial.show_message("")
        self._window.show_timeline(timeline)

    def set_session(self, session: Session | None, *, signed_in: bool,
                    agent_name: str = "") -> None:
        self._session = session
        self._snapshot = StatusSnapshot()
        demo = session is not None and session.is_sandbox
        label = ""
        if session is not None:
            label = f"ext {session.ext_no}" + (f" · {agent_name}" if agent_name else "")
        self._window.set_identity(label, demo, signed_in)
        self._render()

    def _status(self, snapshot: StatusSnapshot) -> None:
        self._snapshot = snapshot
        self._render()

    def _render(self) -> None:
        s = self._session
        ext = s.ext_no if s else ""
        did = s.did if s else ""
        agent = self._snapshot.agents.get(ext) if ext else None
        did_info = self._snapshot.dids.get(did_key(did)) if did else None
        e = extension_pill(ext, agent)
        d = did_pill(did, did_info)
        self._window.status.set_extension(e.text, e.tone, e.tooltip)
        self._window.status.set_did(d.text, d.tone, d.tooltip)
        if self._snapshot.error:
            self._window.statusBar().showMessage(f"Status not refreshed: {self._snapshot.error}")
        elif self._snapshot.fetched_at:
            self._window.statusBar().showMessage("Ready", 3000)
