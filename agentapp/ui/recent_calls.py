"""Recent calls: a table of the agent's latest calls with "Call back".

A QAbstractTableModel over plain ``CallRecord`` values (virtualised by the
view), so the store-backed history can reuse the same columns later.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agentapp.api.models import CallRecord
from agentapp.core.call_view import format_duration
from agentapp.core.phone import InvalidNumber, parse_number

COLUMNS = ("Time", "Number", "Type", "Outcome", "Duration")
_OUTCOMES = {
    "answered": "Answered", "busy": "Busy", "no_answer": "No answer", "missed": "Missed",
    "failed": "Failed", "agent_no_answer": "You did not answer",
    "agent_failed": "Your phone unreachable", "agent_busy": "Your line was busy",
    "cancelled": "Cancelled",
}
Index = QModelIndex | QPersistentModelIndex


def display_number(raw: str) -> str:
    try:
        return parse_number(raw).display()
    except InvalidNumber:
        return raw


def _cell(record: CallRecord, column: int) -> str:
    if column == 0:
        return record.call_time.astimezone().strftime("%d %b %H:%M")  # the agent's clock
    if column == 1:
        return display_number(record.customer_number)
    if column == 2:
        return "Outgoing" if record.direction == "outbound" else "Incoming"
    if column == 3:
        return _OUTCOMES.get(record.status, record.status.replace("_", " ").capitalize())
    return format_duration(record.duration_s) if record.duration_s else "–"


class RecentCallsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[CallRecord] = []

    def set_records(self, records: list[CallRecord]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def record(self, row: int) -> CallRecord:
        return self._rows[row]

    def row_of(self, key: str) -> int | None:
        """The row showing the call with this record key, if it is still listed."""
        return next((i for i, r in enumerate(self._rows) if r.key == key), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.AccessibleTextRole):
            return None
        return _cell(self._rows[index.row()], index.column())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class RecentCallsPanel(QWidget):
    """The list, "Call back" (dials the selected call) and double-click/Enter (fills the
    number field, does not dial).

    A refresh keeps the selected call selected (by record key, not row), and is
    held back while a click is pending (button down, or within the double-click
    interval after a click), so rows never move under the pointer between the
    two clicks of a double-click.
    """

    call_back = Signal(str)
    number_chosen = Signal(str)
    play_recording = Signal(str, str)  # recording URL, title for the player

    def __init__(self, parent: QWidget | None = None, *, click_hold_ms: int | None = None) -> None:
        super().__init__(parent)
        self.model = RecentCallsModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Recent calls")
        self.table.setTabKeyNavigation(False)  # one Tab stop; arrow keys move inside
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._choose_row(index.row()))
        self.table.installEventFilter(self)
        self.table.viewport().installEventFilter(self)
        self.call_back_button = QPushButton("Call back")
        self.call_back_button.setAccessibleName("Call back the selected number")
        self.call_back_button.setEnabled(False)
        self.call_back_button.clicked.connect(self._call_back_selected)
        self.play_button = QPushButton("Play recording")
        self.play_button.setAccessibleName("Play recording: none selected")
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self._play_selected)
        self.status = QLabel()
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._button_down = False
        self._hold = QTimer(self, singleShot=True)
        self._hold.setInterval(click_hold_ms if click_hold_ms is not None
                               else QApplication.doubleClickInterval())
        self._hold.timeout.connect(self._release_held)
        self._held: list[CallRecord] | None = None
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>Recent calls</b>"))
        header.addWidget(self.status, 1)
        header.addWidget(self.play_button)
        header.addWidget(self.call_back_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(header)
        box.addWidget(self.table)

    # -- read API --------------------------------------------------------------------

    def selected_record(self) -> CallRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def set_click_hold(self, ms: int) -> None:
        """How long after a click a refresh waits (default: the double-click interval)."""
        self._hold.setInterval(ms)  # restarts a running hold with the new length

    def is_holding_refresh(self) -> bool:
        return self._button_down or self._hold.isActive()

    # -- rendering -------------------------------------------------------------------

    def show_records(self, records: list[CallRecord]) -> None:
        if self.is_holding_refresh():
            self._held = list(records)
            return
        selected = self.selected_record()
        self.model.set_records(records)
        row = self.model.row_of(selected.key) if selected is not None else None
        if row is not None:
            self.table.selectRow(row)
        self._selection_changed()
        self.status.setText("" if records else "No calls in the last 7 days.")

    def show_error(self, message: str) -> None:
        if message:
            self.status.setText(f"Not refreshed: {message}")

    # -- events ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.table.viewport():
            if kind == QEvent.Type.MouseButtonPress:
                self._button_down = True
                self._hold.stop()
            elif kind == QEvent.Type.MouseButtonDblClick:
                self._hold.start()  # comes after a press; its release may not follow
            elif kind == QEvent.Type.MouseButtonRelease:
                self._button_down = False
                self._hold.start()
        elif (watched is self.table and kind == QEvent.Type.KeyPress
              and isinstance(event, QKeyEvent)
              and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            record = self.selected_record()
            if record is not None:
                self.number_chosen.emit(record.customer_number)
                return True
        return super().eventFilter(watched, event)

    def _release_held(self) -> None:
        if self._held is not None and not self.is_holding_refresh():
            records, self._held = self._held, None
            self.show_records(records)

    def _selection_changed(self, *_: object) -> None:
        self.call_back_button.setEnabled(self.table.selectionModel().hasSelection())
        self._sync_play()

    def _call_back_selected(self) -> None:
        record = self.selected_record()
        if record is not None:
            self.call_back.emit(record.customer_number)

    def _choose_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.number_chosen.emit(self.model.record(row).customer_number)

    # -- recordings (the player lives in agentapp.ui.player) ------------------------
    def _sync_play(self) -> None:
        record = self.selected_record()
        has = record is not None and bool(record.recording_url)
        self.play_button.setEnabled(has)
        self.play_button.setAccessibleName(
            "Play the selected call's recording" if has else
            "Play recording: " + ("the selected call has no recording" if record is not None
                                  else "none selected"))

    def _play_selected(self) -> None:
        record = self.selected_record()
        if record is not None and record.recording_url:
            title = f"{display_number(record.customer_number)} · {_cell(record, 0)}"
            self.play_recording.emit(record.recording_url, title)
