"""The history table's model: rows fetched from the store in pages, never all at once.

``rowCount`` comes from a COUNT query; ``data`` answers from the page cache
and, for a page not loaded yet, schedules its fetch (once) and answers empty;
when the page arrives its rows are announced with ``dataChanged``. The disk
work runs on the store's reader threads, so scrolling 100,000 rows never
waits on sqlite in the UI thread. A new filter or sort is a new generation:
pages still in flight for an old one are dropped when they land.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from agentapp.core.phone import InvalidNumber, parse_number
from agentapp.store import CallRow, HistoryRow, Store
from agentapp.store.calls_repo import HistoryFilter, HistoryQuery
from agentapp.ui.recent_calls import KEY_ROLE, NUMBER_ROLE, RECORDING_ROLE, TITLE_ROLE

log = logging.getLogger(__name__)

PAGE = 200
MAX_PAGES = 40
HEADERS = {"time": "Time", "when": "Time", "name": "Name", "number": "Number", "kind": "Kind",
           "outcome": "Outcome", "duration": "Duration", "did": "Line",
           "disposition": "Disposition", "remark": "Remark"}
# The history window's columns, and the main window's Recent calls (a narrower view of
# the same rows: the same words in every column they share, but a shorter time).
HISTORY_COLUMNS = ("time", "name", "number", "kind", "outcome", "duration", "did",
                   "disposition", "remark")
RECENT_COLUMNS = ("when", "number", "name", "kind", "outcome", "duration", "disposition")
COLUMNS = tuple(HEADERS[c] for c in HISTORY_COLUMNS)
DISPOSITION_COLUMN = HISTORY_COLUMNS.index("disposition")
_SORT_KEYS = {"time": "time", "when": "time", "name": "name", "number": "number",
              "kind": "kind", "outcome": "outcome", "duration": "duration", "did": "did"}
KIND_WORDS = {"incoming": "Incoming", "outgoing": "Outgoing", "c2c": "Click-to-call",
              "dialer": "Dialer", "masked": "Masked"}
OUTCOME_WORDS = {
    "answered": "Answered", "busy": "Busy", "no_answer": "No answer", "missed": "Missed",
    "failed": "Failed", "agent_no_answer": "You did not answer",
    "agent_failed": "Your phone unreachable", "agent_busy": "Your line was busy",
    "cancelled": "Cancelled",
}
Index = QModelIndex | QPersistentModelIndex


def display_number(e164: str, raw: str) -> str:
    try:
        return parse_number(e164 or raw).display()
    except InvalidNumber:
        return raw


def duration_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def outcome_text(outcome: str) -> str:
    return OUTCOME_WORDS.get(outcome, outcome.replace("_", " ").capitalize())


def cell(row: HistoryRow, column: str) -> str:
    """The words one column shows for a stored call (times in the agent's time zone)."""
    call = row.call
    if column == "time":
        return datetime.fromtimestamp(call.started_at).strftime("%Y-%m-%d %H:%M")
    if column == "when":
        return datetime.fromtimestamp(call.started_at).strftime("%d %b %H:%M")
    if column == "name":
        return row.name
    if column == "number":
        return display_number(call.number, call.number_raw)
    if column == "kind":
        return KIND_WORDS.get(call.kind, call.kind)
    if column == "outcome":
        return outcome_text(call.outcome)
    if column == "duration":
        return duration_text(call.duration_s)
    if column == "did":
        return call.did
    if column == "disposition":
        return call.disposition
    return call.remark


def row_value(row: HistoryRow, role: int, column: str) -> Any:
    """What the custom roles say about a row (the Recent calls panel reads them)."""
    call = row.call
    if role == KEY_ROLE:
        return f"{call.source}/{call.record_id}"
    if role == NUMBER_ROLE:
        return call.number or call.number_raw
    if role == RECORDING_ROLE:
        return call.recording_url
    return f"{display_number(call.number, call.number_raw)} · {cell(row, 'when')}"


class HistoryTableModel(QAbstractTableModel):
    """Stored calls, paged. ``columns`` picks what it shows (the history window's or
    Recent calls'); a ``base`` model lends its disposition words (issue 10 sets them
    on the history window's model) so every view of the calls says the same."""

    count_changed = Signal(int)

    def __init__(self, store: Store | None = None, *,
                 columns: tuple[str, ...] = HISTORY_COLUMNS,
                 base: HistoryTableModel | None = None) -> None:
        super().__init__()
        self._store = store
        self.columns = columns
        self._query = HistoryQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[HistoryRow]] = OrderedDict()
        self._loading: dict[int, asyncio.Task[None]] = {}
        self._generation = 0
        self._base = base
        # Issue 10: this computer's disposition state in words ("" = none), next to the
        # server's value in the Disposition column.
        self._local_disposition: Callable[[CallRow], str] | None = None
        self._count_task: asyncio.Task[None] | None = None
        self._held = False
        self._pending: tuple[int, list[HistoryRow]] | None = None
        self.loaded = asyncio.Event()  # set once the count for the current query is in
        if base is not None:
            base.dataChanged.connect(self._base_changed)

    @property
    def local_disposition(self) -> Callable[[CallRow], str] | None:
        if self._local_disposition is None and self._base is not None:
            return self._base.local_disposition
        return self._local_disposition

    @local_disposition.setter
    def local_disposition(self, words: Callable[[CallRow], str] | None) -> None:
        self._local_disposition = words

    # -- inputs ---------------------------------------------------------------
    def set_store(self, store: Store | None,
                  history_filter: HistoryFilter | None = None) -> None:
        """Another session's store (and, if given, the filter to start with)."""
        self._store = store
        if history_filter is not None:
            self._query = replace(self._query, filter=history_filter)
        self.reload(clear=True)

    @property
    def query(self) -> HistoryQuery:
        return self._query

    def set_filter(self, history_filter: HistoryFilter) -> None:
        self._query = replace(self._query, filter=history_filter)
        self.reload()

    def set_limit(self, limit: int | None) -> None:
        self._query = replace(self._query, limit=limit)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        name = self.columns[column] if 0 <= column < len(self.columns) else ""
        key = _SORT_KEYS.get(name)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self._query = replace(self._query, sort=key, descending=descending)
        self.reload()

    def hold(self, on: bool) -> None:
        """While held (a click in progress on a view), a reload waits instead of moving
        rows under the pointer; releasing applies the newest one."""
        self._held = on
        if not on and self._pending is not None:
            count, first = self._pending
            self._pending = None
            self._apply(count, first)

    @property
    def reload_waiting(self) -> bool:
        """A reload arrived while held and waits for the release."""
        return self._pending is not None

    def reload(self, *, clear: bool = False) -> None:
        """Re-count and re-read (new data, filter or sort).

        The rows shown stay until the new ones are in, then the model resets once
        (no empty flash, and a view can keep its selection); ``clear`` empties at once
        (another store: never show one session's calls in another).
        """
        self._generation += 1
        for task in self._loading.values():
            task.cancel()
        self._loading.clear()
        self.loaded.clear()
        self._pending = None
        if self._count_task is not None:
            self._count_task.cancel()
            self._count_task = None
        if clear or self._store is None:
            self.beginResetModel()
            self._pages.clear()
            self._count = 0
            self.endResetModel()
        if self._store is not None:
            self._count_task = asyncio.get_event_loop().create_task(
                self._recount(self._generation))
        else:
            self.count_changed.emit(0)
            self.loaded.set()

    async def _recount(self, generation: int) -> None:
        assert self._store is not None
        count = await self._store.calls.history_count(self._query.filter, self._query.limit)
        first = await self._store.calls.history_page(self._query, 0, PAGE)
        if generation != self._generation:
            return
        self._count_task = None
        if self._held:
            self._pending = (count, first)
            return
        self._apply(count, first)

    def _apply(self, count: int, first: list[HistoryRow]) -> None:
        self.beginResetModel()
        self._count = count
        self._pages.clear()
        self._pages[0] = first
        self.endResetModel()
        self.count_changed.emit(count)
        self.loaded.set()

    # -- Qt model API -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[self.columns[section]]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        custom = role in (KEY_ROLE, NUMBER_ROLE, RECORDING_ROLE, TITLE_ROLE)
        if not custom and role not in (Qt.ItemDataRole.DisplayRole,
                                       Qt.ItemDataRole.AccessibleTextRole):
            return None
        column = self.columns[index.column()]
        row = self.row_at(index.row())
        if row is None:
            return None if custom else ("…" if index.column() == 0 else "")
        if custom:
            return row_value(row, role, column)
        text = cell(row, column)
        if column == "disposition" and self.local_disposition is not None:
            local = self.local_disposition(row.call)
            text = f"{text} ({local})" if text and local else (local or text)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {text or 'none'}"
        return text

    def row_at(self, row: int) -> HistoryRow | None:
        """The stored call at ``row``, or None while its page is loading (it is requested)."""
        if not 0 <= row < self._count:
            return None
        page_no, offset = divmod(row, PAGE)
        page = self._pages.get(page_no)
        if page is None:
            self._request(page_no)
            return None
        self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def _request(self, page_no: int) -> None:
        # Not while a reload is on its way: a page of the new query must not mix
        # with the rows still shown from the old one.
        if (page_no in self._loading or self._store is None or self._count_task is not None
                or self._pending is not None):
            return
        self._loading[page_no] = asyncio.get_event_loop().create_task(
            self._fetch(page_no, self._generation))

    async def _fetch(self, page_no: int, generation: int) -> None:
        assert self._store is not None
        try:
            rows = await self._store.calls.history_page(self._query, page_no * PAGE, PAGE)
        finally:
            if generation == self._generation:
                self._loading.pop(page_no, None)
        if generation != self._generation:
            return
        self._pages[page_no] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first = page_no * PAGE
        last = min(self._count, first + len(rows)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def _base_changed(self, top: QModelIndex, bottom: QModelIndex, *_: object) -> None:
        """The base model redrew its Disposition column (a local state changed): so do we."""
        if "disposition" not in self.columns or not self._count:
            return
        if not top.column() <= DISPOSITION_COLUMN <= bottom.column():
            return
        column = self.columns.index("disposition")
        self.dataChanged.emit(self.index(0, column), self.index(self._count - 1, column))


CONTACT_COLUMNS = ("Time", "Kind", "Outcome", "Duration", "Line", "Disposition", "Remark",
                   "Recording")


class ContactHistoryModel(QAbstractTableModel):
    """One contact's calls (at most a few hundred): a plain list, newest first."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CallRow] = []

    def set_rows(self, rows: list[CallRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CONTACT_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return CONTACT_COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        call = self.rows[index.row()]
        column = index.column()
        values = (
            datetime.fromtimestamp(call.started_at).strftime("%Y-%m-%d %H:%M"),
            KIND_WORDS.get(call.kind, call.kind), outcome_text(call.outcome),
            duration_text(call.duration_s),
            call.did, call.disposition, call.remark, "Yes" if call.recording_url else "",
        )
        return values[column]
