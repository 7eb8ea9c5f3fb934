"""Qt face of the call history: the paged model, the contact pane, the today line, sync state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QWidget,
)

from agentapp.qt.bridge import Subscriptions
from agentapp.qt.history_model import (
    DISPOSITION_COLUMN,
    RECENT_COLUMNS,
    ContactHistoryModel,
    HistoryTableModel,
    duration_text,
    row_value,
)
from agentapp.qt.owned_tasks import OwnedTasks
from agentapp.services.history_session import HistoryServices
from agentapp.services.history_sync import SyncStatus
from agentapp.store import CallRow, HistoryRow
from agentapp.store.calls_repo import DaySummary, HistoryFilter
from agentapp.ui.history_view import FilterValues, HistoryView
from agentapp.ui.recent_calls import TITLE_ROLE

log = logging.getLogger(__name__)

Now = Callable[[], datetime]
CONTACT_LIMIT = 500
RECENT_LIMIT = 50  # the main window's Recent calls: this agent's latest calls
RELOAD_DELAY_MS = 400


def day_bounds(day: date, tz: Any) -> tuple[int, int]:
    """UTC epoch seconds of local midnight at ``day`` and the next day."""
    start = datetime.combine(day, time(), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)
    return int(start.timestamp()), int(end.timestamp())


def to_filter(values: FilterValues, tz: Any) -> HistoryFilter:
    start = day_bounds(values.start, tz)[0] if values.start else None
    end = day_bounds(values.end, tz)[1] if values.end else None
    return HistoryFilter(
        kinds=frozenset({values.kind}) if values.kind else frozenset(),  # type: ignore[arg-type]
        answered=values.answered, start=start, end=end, did=values.did, text=values.text)


def today_text(summary: DaySummary) -> str:
    if not (summary.made or summary.received):
        return "Today: no calls yet."
    pending = (f"{summary.pending} disposition{'s' if summary.pending != 1 else ''} pending"
               if summary.pending else "no dispositions pending")
    return (f"Today: {summary.made} made · {summary.received} received · "
            f"{summary.answered} answered · talk time {duration_text(summary.talk_time_s)}"
            f" · {pending}")


def recording_title(call: CallRow) -> str:
    """The player window's title for a stored call's recording (as Recent calls gives it)."""
    return row_value(HistoryRow(call), TITLE_ROLE, "")


def sync_text(status: SyncStatus, now: datetime) -> str:
    if status.phase == "syncing":
        return f"Syncing: {status.detail}" if status.detail else "Syncing…"
    if status.phase in ("retrying", "offline"):
        return status.detail
    if status.last_synced_at is None:
        return "Not synced yet."
    when = datetime.fromtimestamp(status.last_synced_at, now.tzinfo)
    shown = when.strftime("%H:%M") if when.date() == now.date() else when.strftime("%d %b %H:%M")
    return f"Last synced {shown}"


class HistoryFacade(QObject):
    call_back_requested = Signal(str)  # e164
    contact_requested = Signal(str, str)  # e164, known name ("" = new)
    available_changed = Signal(bool)  # a store is open for this session
    sync_text_changed = Signal(str)  # the sync state in words ("" without a session)
    call_selected = Signal(object)  # CallRow of the selected history row (issue 10 labels it)
    recent_status_changed = Signal(str)  # why Recent calls is empty ("" = it is not)

    def __init__(self, *, now: Now, parent: QObject | None = None) -> None:
        """``now``: the session clock's aware local time (``SessionClock.zoned_now``); its
        date is "today" and its zone turns the filter's dates into stored instants."""
        super().__init__(parent)
        self._now = now
        self._subs = Subscriptions()
        self._history: HistoryServices | None = None
        self.model = HistoryTableModel()
        # Recent calls (main window): a second, narrower view of the same stored calls,
        # reloaded with this one, so the two never disagree after a sync.
        self.recent_model = HistoryTableModel(columns=RECENT_COLUMNS, base=self.model)
        self.recent_model.set_limit(RECENT_LIMIT)
        self.contact_model = ContactHistoryModel()
        self.view: HistoryView | None = None
        self._selected: HistoryRow | None = None
        self._tasks = OwnedTasks("history view")
        # The runtime sets this to the recording player; without it no play button shows.
        self.play_hook: Callable[[CallRow], object] | None = None
        # Issue 10 (dispositions) sets this; until then no "Disposition…" button shows.
        self.disposition_hook: Callable[[CallRow], None] | None = None
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DELAY_MS)
        self._reload.timeout.connect(self._refresh_all)
        self.model.count_changed.connect(self._count_changed)
        self.recent_model.count_changed.connect(lambda _n: self._recent_status())
        self.model.dataChanged.connect(self._dispositions_redrawn)

    # -- session -------------------------------------------------------------------
    def bind(self, history: HistoryServices | None) -> None:
        self._subs.clear()
        self._reload.stop()  # a reload due for the old session is not for this one
        self._history = history
        self.model.set_store(history.store if history else None)
        self.recent_model.set_store(history.store if history else None,
                                    HistoryFilter(ext_no=history.ext_no if history else ""))
        self._recent_status()
        self.contact_model.set_rows([])
        self.available_changed.emit(history is not None)
        if history is None:
            self.sync_text_changed.emit("")
        if history is not None:
            self._subs.add(history.sync.status, self._sync_status)
            self._subs.add(history.sync.changed, lambda _n: self._reload.start())
            self._tasks.run(self._load_status(history))
            self._refresh_side()

    @property
    def available(self) -> bool:
        return self._history is not None

    # -- the window ----------------------------------------------------------------
    def open(self, number: str = "", parent: QWidget | None = None) -> HistoryView:
        view = self.view or self._make_view(parent)
        if number:
            view.set_search(number)
        view.show()
        view.raise_()
        return view

    def _make_view(self, parent: QWidget | None) -> HistoryView:
        view = HistoryView(parent)
        view.set_models(self.model, self.contact_model)
        view.set_today_date(self._now().date())
        view.enable_player(self.play_hook is not None)
        view.enable_dispositions(self.disposition_hook is not None)
        view.disposition_requested.connect(self._dispose)
        view.filters_changed.connect(self._filters_changed)
        view.row_selected.connect(self._row_selected)
        view.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        view.contact_requested.connect(self._contact)
        view.call_back_requested.connect(self._call_back)
        view.play_requested.connect(self._play)
        view.destroyed.connect(self._view_destroyed)
        self.view = view
        if self._history is not None:
            self._sync_status(self._history.sync.status.value)
        self._count_changed(self.model.rowCount())
        self._refresh_side()
        return view

    def _view_destroyed(self) -> None:
        """The window was deleted (with its parent, or at exit): nothing left to update."""
        self.view = None

    def _filters_changed(self) -> None:
        if self.view is not None:
            self.model.set_filter(to_filter(self.view.filter_values(), self._now().tzinfo))

    def _sorted(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)

    def _count_changed(self, count: int) -> None:
        if self.view is not None:
            self.view.show_count(count)

    def _row_selected(self, row: int) -> None:
        self._selected = self.model.row_at(row)
        if self._selected is not None:
            self.call_selected.emit(self._selected.call)
        if self._selected is not None and self._history is not None:
            self._tasks.run(self._load_contact(self._selected))

    async def _load_contact(self, selected: HistoryRow) -> None:
        if self._history is None:
            return  # signed out between the click and this task
        call = selected.call
        rows = (await self._history.store.calls.for_number(call.number, CONTACT_LIMIT)
                if call.number else [call])
        if self._selected is not selected or self.view is None:
            return  # latest wins
        self.contact_model.set_rows(rows)
        who = selected.name or call.number_raw
        self.view.show_contact(f"{who}: {len(rows)} call{'s' if len(rows) != 1 else ''}",
                               known=bool(selected.name), valid=bool(call.number))
        self.view.set_recording_rows({i for i, r in enumerate(rows) if r.recording_url})

    def _contact(self) -> None:
        if self._selected is not None and self._selected.call.number:
            self.contact_requested.emit(self._selected.call.number, self._selected.name)

    def _call_back(self) -> None:
        if self._selected is not None and self._selected.call.number:
            self.call_back_requested.emit(self._selected.call.number)

    def _dispose(self) -> None:
        if self._selected is not None and self.disposition_hook is not None:
            self.disposition_hook(self._selected.call)

    def _play(self, row: int) -> None:
        if self.play_hook is not None and 0 <= row < len(self.contact_model.rows):
            self.play_hook(self.contact_model.rows[row])

    # -- status, today line ----------------------------------------------------------
    async def _load_status(self, history: HistoryServices) -> None:
        await history.sync.load_status()

    def _dispositions_redrawn(self, top: QModelIndex, bottom: QModelIndex, *_: object) -> None:
        """Issue 10 redraws the whole Disposition column when a local state changes:
        the today line's "dispositions pending" changes with it."""
        if (top.column() == bottom.column() == DISPOSITION_COLUMN and top.row() == 0
                and bottom.row() == self.model.rowCount() - 1):
            self._refresh_side()

    def _recent_status(self) -> None:
        # The sync's state (offline, retrying) is said once, by the strip's History pill.
        if self._history is None:
            text = ""
        elif self.recent_model.loaded.is_set() and not self.recent_model.rowCount():
            text = "No calls yet."
        else:
            text = ""
        self.recent_status_changed.emit(text)

    def _sync_status(self, status: SyncStatus) -> None:
        text = sync_text(status, self._now())
        self.sync_text_changed.emit(text)
        if self.view is not None:
            self.view.show_sync(text, status.progress)

    def refresh(self) -> None:
        """New data outside the sync (a contact saved): reload soon, once."""
        self._reload.start()

    def _refresh_all(self) -> None:
        self.model.reload()
        self.recent_model.reload()
        self._refresh_side()
        if self._selected is not None:
            self._tasks.run(self._load_contact(self._selected))

    def _refresh_side(self) -> None:
        if self._history is not None and self.view is not None:
            self._tasks.run(self._side(self._history))

    async def _side(self, history: HistoryServices) -> None:
        now = self._now()
        start, end = day_bounds(now.date(), now.tzinfo)
        summary = await history.store.calls.day_summary(start, end, history.ext_no)
        dids = await history.store.calls.dids()
        if self.view is not None and history is self._history:
            self.view.show_today(today_text(summary))
            self.view.set_dids(dids)


def install_status_widgets(window: QMainWindow, history: HistoryFacade,
                           missed: SignalInstance, missed_seen: Callable[[], None],
                           tray: QSystemTrayIcon | None) -> QPushButton:
    """The missed-call badge in the main window's status bar (and tray).

    The badge shows only while there are unseen missed calls; clicking it opens
    the history on calls that were not answered and clears it. The sync state
    is the status strip's History pill (one place, see docs/status.md).
    """
    badge = QPushButton("")
    badge.setFlat(True)
    badge.hide()

    def show_missed(count: int) -> None:
        words = f"{count} missed call{'s' if count != 1 else ''}"
        badge.setText(words)
        badge.setAccessibleName(words if count else "No missed calls")
        badge.setVisible(count > 0)
        if tray is not None:
            tray.setToolTip(f"Agent Companion — {words}" if count else "Agent Companion")

    def open_missed() -> None:
        view = history.open(parent=window)
        view.kind.setCurrentIndex(1)  # Incoming
        view.outcome.setCurrentIndex(2)  # Not answered
        missed_seen()

    missed.connect(show_missed)
    badge.clicked.connect(open_missed)
    window.statusBar().addPermanentWidget(badge)
    return badge


def install_history_action(window: QMainWindow, facade: HistoryFacade) -> QAction:
    """Ctrl+H "Call history…" in the window (and its Call menu, when there is one)."""
    action = QAction("Call &history…", window)
    action.setShortcut(QKeySequence("Ctrl+H"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: facade.open(parent=window))
    action.setEnabled(facade.available)
    facade.available_changed.connect(action.setEnabled)
    window.addAction(action)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu) and menu_action.text().replace("&", "") == "Call":
            menu.addAction(action)
    return action
