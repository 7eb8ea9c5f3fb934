"""Recent calls: the agent's latest calls in the main window, with "Call back".

Passive: it shows whatever table model it is given (the history store's model,
limited to this agent's latest calls, see ``qt/recent_calls_facade``) and reads
a call's key, number and recording through the roles below, so it knows nothing
of the store.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt, QTimer, Signal
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

# What a row says beyond its cells (any column): a stable key for the call, the
# number to dial, its recording URL ("" = none), and a title for the player.
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 2
RECORDING_ROLE = Qt.ItemDataRole.UserRole + 3
TITLE_ROLE = Qt.ItemDataRole.UserRole + 4


class RecentCallsPanel(QWidget):
    """The list, "Call back" (dials the selected call) and double-click/Enter (fills the
    number field, does not dial).

    A reload keeps the selected call selected (by its key, not its row), and is
    held back while a click is pending (button down, or within the double-click
    interval after a click: ``hold_changed``), so rows never move under the
    pointer between the two clicks of a double-click.
    """

    call_back = Signal(str)
    number_chosen = Signal(str)
    play_recording = Signal(str, str)  # recording URL, title for the player
    hold_changed = Signal(bool)  # True: do not reset the rows now

    def __init__(self, parent: QWidget | None = None, *, click_hold_ms: int | None = None) -> None:
        super().__init__(parent)
        self.model: QAbstractItemModel | None = None
        self.table = QTableView()
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
        self.table.horizontalHeader().setStretchLastSection(True)
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
        self.status.setAccessibleName("Recent calls status")
        self._button_down = False
        self._holding = False
        self._hold = QTimer(self, singleShot=True)
        self._hold.setInterval(click_hold_ms if click_hold_ms is not None
                               else QApplication.doubleClickInterval())
        self._hold.timeout.connect(self._update_hold)
        self._reselect = ""
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>Recent calls</b>"))
        header.addWidget(self.status, 1)
        header.addWidget(self.play_button)
        header.addWidget(self.call_back_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(header)
        box.addWidget(self.table)

    def set_model(self, model: QAbstractItemModel) -> None:
        self.model = model
        self.table.setModel(model)
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._selection_changed()

    # -- read API --------------------------------------------------------------------

    def selected_row(self) -> int | None:
        if self.model is None:
            return None
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def row_value(self, row: int, role: int) -> str:
        """A row's key, number, recording or title ("" while the row is loading)."""
        if self.model is None:
            return ""
        value = self.model.data(self.model.index(row, 0), role)
        return value if isinstance(value, str) else ""

    def selected_key(self) -> str:
        row = self.selected_row()
        return self.row_value(row, KEY_ROLE) if row is not None else ""

    def selected_number(self) -> str:
        row = self.selected_row()
        return self.row_value(row, NUMBER_ROLE) if row is not None else ""

    def set_click_hold(self, ms: int) -> None:
        """How long after a click a reload waits (default: the double-click interval)."""
        self._hold.setInterval(ms)  # restarts a running hold with the new length

    def is_holding_refresh(self) -> bool:
        return self._button_down or self._hold.isActive()

    # -- rendering -------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        """Why the list is empty or stale, in words ("" when there is nothing to say)."""
        self.status.setText(text)
        self.status.setAccessibleName(f"Recent calls status: {text}" if text
                                      else "Recent calls status")

    # -- events ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.table.viewport():
            if kind == QEvent.Type.MouseButtonPress:
                self._button_down = True
                self._hold.stop()
                self._update_hold()
            elif kind == QEvent.Type.MouseButtonDblClick:
                self._hold.start()  # comes after a press; its release may not follow
            elif kind == QEvent.Type.MouseButtonRelease:
                self._button_down = False
                self._hold.start()
        elif (watched is self.table and kind == QEvent.Type.KeyPress
              and isinstance(event, QKeyEvent)
              and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            number = self.selected_number()
            if number:
                self.number_chosen.emit(number)
                return True
        return super().eventFilter(watched, event)

    def _update_hold(self) -> None:
        holding = self.is_holding_refresh()
        if holding != self._holding:
            self._holding = holding
            self.hold_changed.emit(holding)

    def _remember_selection(self) -> None:
        self._reselect = self.selected_key()

    def _restore_selection(self) -> None:
        key, self._reselect = self._reselect, ""
        if key and self.model is not None:
            row = next((r for r in range(self.model.rowCount())
                        if self.row_value(r, KEY_ROLE) == key), None)
            if row is not None:
                self.table.selectRow(row)
        self._selection_changed()

    def _selection_changed(self, *_: object) -> None:
        self.call_back_button.setEnabled(bool(self.selected_number()))
        self._sync_play()

    def _call_back_selected(self) -> None:
        number = self.selected_number()
        if number:
            self.call_back.emit(number)

    def _choose_row(self, row: int) -> None:
        number = self.row_value(row, NUMBER_ROLE)
        if number:
            self.number_chosen.emit(number)

    # -- recordings (the player lives in agentapp.ui.player) ------------------------
    def _sync_play(self) -> None:
        row = self.selected_row()
        has = row is not None and bool(self.row_value(row, RECORDING_ROLE))
        self.play_button.setEnabled(has)
        self.play_button.setAccessibleName(
            "Play the selected call's recording" if has else
            "Play recording: " + ("the selected call has no recording" if row is not None
                                  else "none selected"))

    def _play_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            url = self.row_value(row, RECORDING_ROLE)
            if url:
                self.play_recording.emit(url, self.row_value(row, TITLE_ROLE))
