"""The call history window: filters, one virtualised table, the selected contact's calls.

Passive: models are given to it (``set_models``), filter controls are read
through :meth:`filter_values`, and what the agent asks for leaves as signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agentapp.ui.recent_calls import KEY_ROLE
from agentapp.ui.style import named

KIND_CHOICES = (("All kinds", ""), ("Incoming", "incoming"), ("Outgoing", "outgoing"),
                ("Click-to-call", "c2c"), ("Dialer", "dialer"), ("Masked", "masked"))
OUTCOME_CHOICES = (("Any outcome", None), ("Answered", True), ("Not answered", False))
SEARCH_DELAY_MS = 250
RESELECT_WITHIN = 200  # rows searched for the selected call after a reload (the first page)


@dataclass(frozen=True)
class FilterValues:
    kind: str  # "" = all
    answered: bool | None
    start: date | None
    end: date | None  # inclusive
    did: str
    text: str


def _table(accessible: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(accessible)
    table.setTabKeyNavigation(False)  # one Tab stop; arrow keys move inside
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


class HistoryView(QWidget):
    filters_changed = Signal()
    row_selected = Signal(int)  # row in the main table
    contact_requested = Signal()  # save/edit the selected row's contact
    call_back_requested = Signal()
    play_requested = Signal(int)  # row in the contact table (only rows with a recording)
    disposition_requested = Signal()  # the selected call's wrap-up form

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Call history")
        self.resize(1000, 640)
        self.today = named(QLabel("Today: no calls yet."), "TodayLine")
        self.today.setAccessibleName("Today")
        self.sync_status = QLabel("")
        self.sync_status.setAccessibleName("History sync")
        self.sync_progress = QProgressBar()
        self.sync_progress.setAccessibleName("History sync progress")
        self.sync_progress.setRange(0, 100)
        self.sync_progress.hide()
        self.kind = self._combo("Kind of call", [c[0] for c in KIND_CHOICES])
        self.outcome = self._combo("Outcome", [c[0] for c in OUTCOME_CHOICES])
        self.did = self._combo("Line (DID)", ["All lines"])
        self.use_dates = QCheckBox("Dates")
        self.use_dates.setAccessibleName("Filter by date")
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
            edit.setEnabled(False)
            edit.dateChanged.connect(self.filters_changed)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search number or name")
        self.search.setAccessibleName("Search number or name")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.filters_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.count = QLabel("")
        self.count.setAccessibleName("Calls shown")
        self.table = _table("Call history")
        self.table.setSortingEnabled(True)
        self.contact_title = named(QLabel("Select a call to see that contact's history."),
                                   "ContactTitle")
        self.contact_table = _table("Contact history")
        self.contact_button = QPushButton("Save contact")
        self.contact_button.clicked.connect(self.contact_requested)
        self.call_back_button = QPushButton("Call back")
        self.call_back_button.clicked.connect(self.call_back_requested)
        # The audio issue brings the player; until a facade enables it, no button shows.
        self.play_button = QPushButton("Play recording")
        self.play_button.setVisible(False)
        self.play_button.clicked.connect(self._play)
        # Issue 10: shown once a facade enables dispositions; its text carries the state.
        self.disposition_button = QPushButton("Disposition…")
        self.disposition_button.setVisible(False)
        self.disposition_button.clicked.connect(self.disposition_requested)
        for button in (self.contact_button, self.call_back_button, self.play_button,
                       self.disposition_button):
            button.setEnabled(False)
        self._recording_rows: set[int] = set()
        self._reselect = ""
        self._layout()

    def _combo(self, name: str, items: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItems(items)
        combo.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        return combo

    def _layout(self) -> None:
        filters = QHBoxLayout()
        for widget in (self.kind, self.outcome, self.did, self.use_dates, self.date_from,
                       self.date_to):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        status = QHBoxLayout()
        status.addWidget(self.today, 1)
        status.addWidget(self.sync_status)
        status.addWidget(self.sync_progress)
        detail = QWidget()
        detail_col = QVBoxLayout(detail)
        detail_col.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.contact_title, 1)
        for button in (self.call_back_button, self.contact_button, self.play_button,
                       self.disposition_button):
            buttons.addWidget(button)
        detail_col.addLayout(buttons)
        detail_col.addWidget(self.contact_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        col = QVBoxLayout(self)
        col.addLayout(status)
        col.addLayout(filters)
        col.addWidget(self.count)
        col.addWidget(split, 1)

    def set_models(self, calls: QAbstractItemModel, contact: QAbstractItemModel) -> None:
        self.table.setModel(calls)
        # A sync reloads the model: keep the selected call selected when it is near the top.
        calls.modelAboutToBeReset.connect(self._remember_selection)
        calls.modelReset.connect(self._restore_selection)
        self.contact_table.setModel(contact)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.row_selected.emit(current.row()))
        self.contact_table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._update_play())
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        for column, width in enumerate((130, 160, 140, 100, 90, 70, 120, 110)):
            self.table.setColumnWidth(column, width)

    def _remember_selection(self) -> None:
        index = self.table.currentIndex()
        key = index.data(KEY_ROLE) if index.isValid() else None
        self._reselect = key if isinstance(key, str) else ""

    def _restore_selection(self) -> None:
        key, self._reselect = self._reselect, ""
        model = self.table.model()
        if not key or model is None:
            return
        for row in range(min(model.rowCount(), RESELECT_WITHIN)):
            if model.index(row, 0).data(KEY_ROLE) == key:
                self.table.selectRow(row)
                return

    # -- reading the controls --------------------------------------------------
    def filter_values(self) -> FilterValues:
        dates = self.use_dates.isChecked()
        return FilterValues(
            kind=KIND_CHOICES[max(0, self.kind.currentIndex())][1],
            answered=OUTCOME_CHOICES[max(0, self.outcome.currentIndex())][1],
            start=self.date_from.date().toPython() if dates else None,  # type: ignore[arg-type]
            end=self.date_to.date().toPython() if dates else None,  # type: ignore[arg-type]
            did="" if self.did.currentIndex() <= 0 else self.did.currentText(),
            text=self.search.text().strip(),
        )

    def set_search(self, text: str) -> None:
        """Show one number's history (from a pop's "History"), at once."""
        self.search.setText(text)
        self._search_timer.stop()
        self.filters_changed.emit()

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.filters_changed.emit()

    # -- rendering ---------------------------------------------------------------
    def set_today_date(self, today: date) -> None:
        """Default range for the date filter (not applied until "Dates" is ticked)."""
        self.date_from.setDate(QDate(today.year, today.month, today.day).addDays(-7))
        self.date_to.setDate(QDate(today.year, today.month, today.day))

    def set_dids(self, dids: list[str]) -> None:
        current = self.did.currentText()
        self.did.blockSignals(True)
        self.did.clear()
        self.did.addItems(["All lines", *dids])
        index = self.did.findText(current)
        self.did.setCurrentIndex(max(0, index))
        self.did.blockSignals(False)

    def show_count(self, count: int) -> None:
        self.count.setText(f"{count:,} call{'s' if count != 1 else ''}")

    def show_today(self, text: str) -> None:
        self.today.setText(text)

    def show_sync(self, text: str, progress: float | None) -> None:
        self.sync_status.setText(text)
        self.sync_progress.setVisible(progress is not None)
        if progress is not None:
            self.sync_progress.setValue(round(progress * 100))

    def show_contact(self, title: str, *, known: bool, valid: bool) -> None:
        self.contact_title.setText(title)
        self.contact_button.setText("Edit contact" if known else "Save contact")
        self.contact_button.setEnabled(valid)
        self.call_back_button.setEnabled(valid)
        self._update_play()

    def enable_dispositions(self, on: bool) -> None:
        self.disposition_button.setVisible(on)

    def show_disposition(self, state: str, *, possible: bool) -> None:
        """The selected call's disposition state in words ("" while unknown)."""
        self.disposition_button.setEnabled(possible)
        label = f"Disposition ({state})…" if state else "Disposition…"
        self.disposition_button.setText(label)
        self.disposition_button.setAccessibleName(
            f"Disposition for the selected call: {state or 'unknown'}")

    def enable_player(self, on: bool) -> None:
        self.play_button.setVisible(on)
        self._update_play()

    def set_recording_rows(self, rows: set[int]) -> None:
        """Rows of the contact table whose call has a recording."""
        self._recording_rows = rows
        self._update_play()

    def _update_play(self) -> None:
        row = self.contact_table.currentIndex().row()
        self.play_button.setEnabled(not self.play_button.isHidden() and row in self._recording_rows)

    def _play(self) -> None:
        index = self.contact_table.currentIndex()
        if index.isValid() and index.row() in self._recording_rows:
            self.play_requested.emit(index.row())
