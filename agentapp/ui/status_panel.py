"""Line status: every extension and caller ID (DID) of the account, in two tables.

A passive window: it shows the rows it is given, filters them as the agent
types, and asks for a refresh. How old the data is is always said in words
above the tables; old data after a failed refresh is marked, not hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentapp.ui.style import named, set_tone


def _table(name: str, columns: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # one Tab stop; arrow keys move inside
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class StatusPanel(QWidget):
    refresh_requested = Signal()

    def __init__(self, extension_columns: Sequence[str], did_columns: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Line status")
        self.setAccessibleName("Line status")
        self.resize(900, 560)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by number, name, state or region")
        self.filter.setAccessibleName("Filter extensions and caller IDs")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.refresh = QPushButton("&Refresh")
        self.refresh.setAccessibleName("Refresh line status")
        self.refresh.clicked.connect(self.refresh_requested)
        self.freshness = named(QLabel(), "Freshness")
        self.freshness.setWordWrap(True)
        self.extensions = _table("Extensions", extension_columns)
        self.dids = _table("Caller IDs (DIDs)", did_columns)
        self._ext_title = QLabel()
        self._did_title = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.refresh)
        col = QVBoxLayout(self)
        col.addLayout(top)
        col.addWidget(self.freshness)
        col.addWidget(self._ext_title)
        col.addWidget(self.extensions, 3)
        col.addWidget(self._did_title)
        col.addWidget(self.dids, 2)

    def show_data(self, extensions: Sequence[Sequence[str]], dids: Sequence[Sequence[str]],
                  freshness: str, stale: bool) -> None:
        _fill(self.extensions, extensions)
        _fill(self.dids, dids)
        self.show_freshness(freshness, stale)
        self._apply_filter(self.filter.text())

    def show_freshness(self, freshness: str, stale: bool) -> None:
        self.freshness.setText(("⚠ " if stale else "") + freshness)
        self.freshness.setAccessibleName(f"Data freshness: {freshness}")
        set_tone(self.freshness, "warn" if stale else "info")

    def set_busy(self, busy: bool) -> None:
        self.refresh.setEnabled(not busy)
        self.refresh.setText("Refreshing…" if busy else "&Refresh")

    def visible_rows(self, table: QTableWidget) -> list[list[str]]:
        rows = []
        for r in range(table.rowCount()):
            if not table.isRowHidden(r):
                rows.append([_text(table.item(r, c)) for c in range(table.columnCount())])
        return rows

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        digits = "".join(ch for ch in needle if ch.isdigit())
        shown = []
        for table in (self.extensions, self.dids):
            count = 0
            for r in range(table.rowCount()):
                cells = [_text(table.item(r, c)) for c in range(table.columnCount())]
                hay = " ".join(cells).casefold()
                plain = "".join(ch for ch in hay if ch.isdigit())
                match = not needle or needle in hay or (digits == needle.replace(" ", "")
                                                        and bool(digits) and digits in plain)
                table.setRowHidden(r, not match)
                count += match
            shown.append((count, table.rowCount()))
        (e_shown, e_all), (d_shown, d_all) = shown
        self._ext_title.setText(_title("Extensions", e_shown, e_all))
        self._did_title.setText(_title("Caller IDs (DIDs)", d_shown, d_all))


def _title(what: str, shown: int, total: int) -> str:
    return f"{what}: {total}" if shown == total else f"{what}: {shown} of {total} shown"


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
