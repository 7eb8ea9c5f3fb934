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
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from agentapp.core.phone import InvalidNumber, parse_number
from agentapp.store import CallRow, HistoryRow, Store
from agentapp.store.calls_repo import HistoryFilter, HistoryQuery

log = logging.getLogger(__name__)

PAGE = 200
MAX_PAGES = 40
COLUMNS = ("Time", "Name", "Number", "Kind", "Outcome", "Duration", "Line", "Disposition",
           "Remark")
DISPOSITION_COLUMN = COLUMNS.index("Disposition")
SORT_KEYS = ("time", "name", "number", "kind", "outcome", "duration", "did", None, None)
KIND_WORDS = {"incoming": "Incoming", "outgoing": "Outgoing", "c2c": "Click-to-call",
              "dialer": "Dialer", "masked": "Masked"}
Index = QModelIndex | QPersistentModelIndex


def display_number(e164: str, raw: str) -> str:
    try:
        return parse_number(e164 or raw).display()
    except InvalidNumber:
        return raw


def duration_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def cell(row: HistoryRow, column: int) -> str:
    call = row.call
    if column == 0:
        return datetime.fromtimestamp(call.started_at).strftime("%Y-%m-%d %H:%M")
    if column == 1:
        return row.name
    if column == 2:
        return display_number(call.number, call.number_raw)
    if column == 3:
        return KIND_WORDS.get(call.kind, call.kind)
    if column == 4:
        return call.outcome
    if column == 5:
        return duration_text(call.duration_s)
    if column == 6:
        return call.did
    if column == 7:
        return call.disposition
    return call.remark


class HistoryTableModel(QAbstractTableModel):
    count_changed = Signal(int)

    def __init__(self, store: Store | None = None) -> None:
        super().__init__()
        self._store = store
        self._query = HistoryQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[HistoryRow]] = OrderedDict()
        self._loading: dict[int, asyncio.Task[None]] = {}
        self._generation = 0
        # Issue 10: this computer's disposition state in words ("" = none), next to the
        # server's value in the Disposition column.
        self.local_disposition: Callable[[CallRow], str] | None = None
        self._count_task: asyncio.Task[None] | None = None
        self.loaded = asyncio.Event()  # set once the count for the current query is in

    # -- inputs ---------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.reload()

    @property
    def query(self) -> HistoryQuery:
        return self._query

    def set_filter(self, history_filter: HistoryFilter) -> None:
        self._query = HistoryQuery(history_filter, self._query.sort, self._query.descending)
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self._query = HistoryQuery(self._query.filter, key, descending)
        self.reload()

    def reload(self) -> None:
        """Drop every cached page and re-count (new data, filter or sort)."""
        self._generation += 1
        for task in self._loading.values():
            task.cancel()
        self._loading.clear()
        self.loaded.clear()
        if self._count_task is not None:
            self._count_task.cancel()
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
        count = await self._store.calls.history_count(self._query.filter)
        first = await self._store.calls.history_page(self._query, 0, PAGE)
        if generation != self._generation:
            return
        self.beginResetModel()
        self._count = count
        self._pages[0] = first
        self.endResetModel()
        self.count_changed.emit(count)
        self.loaded.set()

    # -- Qt model API -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.AccessibleTextRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return "…" if index.column() == 0 else ""
        text = cell(row, index.column())
        if index.column() == DISPOSITION_COLUMN and self.local_disposition is not None:
            local = self.local_disposition(row.call)
            text = f"{text} ({local})" if text and local else (local or text)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[index.column()]}: {text or 'none'}"
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
        if page_no in self._loading or self._store is None:
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
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))


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
            KIND_WORDS.get(call.kind, call.kind), call.outcome, duration_text(call.duration_s),
            call.did, call.disposition, call.remark, "Yes" if call.recording_url else "",
        )
        return values[column]
