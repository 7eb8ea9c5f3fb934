"""Qt face of the screen-pops: one small window per pop, stacked above the tray corner."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QRect, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from agentapp.api.errors import ApiError
from agentapp.core.phone import InvalidNumber, format_did, parse_number
from agentapp.qt.bridge import Subscriptions
from agentapp.services.screen_pop import PopInfo, ScreenPops, crm_url
from agentapp.services.screen_pop_triggers import PopTriggers
from agentapp.store import CallRow
from agentapp.ui.contact_dialog import ContactDialog
from agentapp.ui.screen_pop import PopView, ScreenPopWindow, ask_number

GAP = 8
MAX_POPS = 4
_KIND_WORDS = {"incoming": "Incoming", "outgoing": "Outgoing", "c2c": "Click-to-call",
               "dialer": "Dialer", "masked": "Masked"}


def format_number(e164: str) -> str:
    try:
        return parse_number(e164).display()
    except InvalidNumber:
        return e164


def _duration(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def recent_line(row: CallRow) -> str:
    """``12 Mar 14:05 · Incoming · answered · 2:35 · Interested`` (local time)."""
    when = datetime.fromtimestamp(row.started_at).strftime("%d %b %H:%M")
    parts = [when, _KIND_WORDS.get(row.kind, row.kind), row.outcome or "unknown outcome",
             _duration(row.duration_s)]
    if row.disposition:
        parts.append(row.disposition)
    return " · ".join(parts)


def pop_view(info: PopInfo, *, did_label: Callable[[str], str], crm_template: str,
             can_dispose: bool) -> PopView:
    did = info.request.did
    line = ""
    if did:
        label = did_label(did)
        line = f"Called {label + ' line ' if label else ''}{format_did(did)}"
    if info.ended:
        status = "Missed call" if info.missed else "Call ended"
    elif info.filling:
        status = "Looking up caller details…"
    else:
        status = ""
    if info.note:
        status = f"{status}. {info.note}" if status else info.note
    return PopView(
        title=info.title, name=info.name, company=info.company, number=info.display_number,
        e164=info.e164, line=line,
        ivr_choice=f"Pressed {info.dtmf} in the IVR menu" if info.dtmf else "",
        recent=tuple(recent_line(r) for r in info.recent), last_remark=info.last_remark,
        status=status, can_open_crm=bool(crm_template),
        can_dispose=can_dispose and info.request.kind != "lookup",
    )


def install_lookup_action(window: QMainWindow, facade: PopFacade) -> QAction:
    """Ctrl+F "Look up caller…" in the window (and its Call menu, when there is one)."""
    action = QAction("&Look up caller…", window)
    action.setShortcut(QKeySequence("Ctrl+F"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: ask_number(window, facade.look_up))
    action.setEnabled(False)
    facade.available_changed.connect(action.setEnabled)
    window.addAction(action)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu) and menu_action.text().replace("&", "") == "Call":
            menu.addAction(action)
    return action


class PopFacade(QObject):
    call_back_requested = Signal(str)
    history_requested = Signal(str)
    missed_changed = Signal(int)
    available_changed = Signal(bool)
    contact_saved = Signal(str)  # e164
    popped = Signal(str, str)  # title, one line about the caller: a new pop was shown
    view_shown = Signal(object)  # PopInfo, after its window rendered it (issue 10 labels it)
    paused_changed = Signal(bool)

    def __init__(self, *, crm_template: Callable[[], str] = str,
                 did_label: Callable[[str], str] = lambda _did: "",
                 available: Callable[[], QRect] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subs = Subscriptions()
        self._crm_template = crm_template
        self._did_label = did_label
        self._available = available or self._primary_available
        self._pops: ScreenPops | None = None
        self._triggers: PopTriggers | None = None
        self.windows: dict[str, ScreenPopWindow] = {}
        self._infos: dict[str, PopInfo] = {}
        self._saving: set[asyncio.Task[None]] = set()
        # Issue 10 (dispositions) sets this; until then no pop shows "Disposition…".
        self.disposition_hook: Callable[[PopInfo], None] | None = None
        self._paused = False

    def bind(self, pops: ScreenPops | None, triggers: PopTriggers | None) -> None:
        self._subs.clear()
        self._pops, self._triggers = pops, triggers
        self.available_changed.emit(triggers is not None)
        if pops is not None:
            self._subs.add(pops.updates, self._update)
        if triggers is not None:
            self._subs.add(triggers.missed, self.missed_changed.emit)

    # -- Pause pop-ups (View menu and tray) ------------------------------------------
    @property
    def paused(self) -> bool:
        return self._paused

    def set_paused(self, paused: bool) -> None:
        """While paused no new pop window opens for a call (one already open stays and
        keeps updating; Ctrl+F look-ups still open, the agent asked for them). Calls are
        still looked up and recorded, and missed calls still counted (``PopTriggers``)."""
        if paused != self._paused:
            self._paused = paused
            self.paused_changed.emit(paused)

    def missed_seen(self) -> None:
        if self._triggers is not None:
            self._triggers.missed_seen()

    def look_up(self, number: str) -> str | None:
        """Ctrl+F: open a pop for ``number``; None when no session is running."""
        return self._triggers.look_up(number) if self._triggers is not None else None

    def edit_contact(self, e164: str, name: str, parent: QWidget | None = None
                     ) -> ContactDialog | None:
        """Open the save/edit form; the name is saved through the API, then locally."""
        if self._pops is None:
            return None
        dialog = ContactDialog(format_number(e164), name, parent)
        dialog.save_requested.connect(lambda new_name: self._save_contact(dialog, e164, new_name))
        dialog.show()
        return dialog

    def _save_contact(self, dialog: ContactDialog, e164: str, name: str) -> None:
        pops = self._pops
        if pops is None:
            dialog.failed("Not signed in: the contact cannot be saved now.")
            return
        dialog.saving()

        async def save() -> None:
            try:
                await pops.save_contact(e164, name)
            except ApiError as exc:
                dialog.failed(f"Not saved: {exc.user_message}")
                return
            except (ValueError, InvalidNumber) as exc:
                dialog.failed(f"Not saved: {exc}")
                return
            self.contact_saved.emit(e164)
            dialog.accept()

        task = asyncio.get_event_loop().create_task(save())
        self._saving.add(task)
        task.add_done_callback(self._saving.discard)

    def close_all(self) -> None:
        for window in list(self.windows.values()):
            window.close()

    def _update(self, info: PopInfo | None) -> None:
        if info is None:
            return
        pop_id = info.request.pop_id
        window = self.windows.get(pop_id)
        if window is None and self._paused and info.request.kind != "lookup":
            if info.ended and not info.filling and self._pops is not None:
                self._pops.close(pop_id)  # looked up and recorded; nothing left to show
            return
        self._infos[pop_id] = info
        if window is None:
            window = self._new_window(pop_id)
        window.show_view(pop_view(info, did_label=self._did_label,
                                  crm_template=self._crm_template(),
                                  can_dispose=self.disposition_hook is not None))
        if not window.isVisible():
            window.adjustSize()
            window.show()
            self.popped.emit(info.title, " · ".join(
                p for p in (info.company, info.display_number) if p))
        self._restack()
        self.view_shown.emit(info)

    def _new_window(self, pop_id: str) -> ScreenPopWindow:
        while len(self.windows) >= MAX_POPS:
            next(iter(self.windows.values())).close()
        window = ScreenPopWindow()
        window.call_back.connect(self.call_back_requested)
        window.history_requested.connect(self.history_requested)
        window.contact_requested.connect(lambda e164, name: self.edit_contact(e164, name))
        window.crm_requested.connect(lambda: self._open_crm(pop_id))
        window.disposition_requested.connect(lambda: self._dispose(pop_id))
        window.closed.connect(lambda: self._closed(pop_id))
        self.windows[pop_id] = window
        return window

    def _open_crm(self, pop_id: str) -> None:
        info = self._infos.get(pop_id)
        url = crm_url(self._crm_template(), info.e164) if info else ""
        if url:
            QDesktopServices.openUrl(QUrl(url))

    def _dispose(self, pop_id: str) -> None:
        info = self._infos.get(pop_id)
        if info is not None and self.disposition_hook is not None:
            self.disposition_hook(info)

    def _closed(self, pop_id: str) -> None:
        self.windows.pop(pop_id, None)
        self._infos.pop(pop_id, None)
        if self._pops is not None:
            self._pops.close(pop_id)
        self._restack()

    def _restack(self) -> None:
        """Newest at the bottom-right corner (where trays live), older ones above it."""
        area = self._available()
        bottom = area.bottom() - GAP
        for window in reversed(list(self.windows.values())):
            height = window.frameGeometry().height() or window.sizeHint().height()
            x = area.right() - window.frameGeometry().width() - GAP
            window.move(max(area.left(), x), max(area.top(), bottom - height))
            bottom -= height + GAP

    @staticmethod
    def _primary_available() -> QRect:
        screen = QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
