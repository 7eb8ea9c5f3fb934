"""The wrap-up form: what happened on the call (a status), a remark, and how long wrap-up takes.

Passive: it shows the statuses, values and delivery state it is given and
emits what the agent does (``edited`` as they type, ``save_requested`` on
save). Keyboard first: a digit picks the status with that number (unless the
remark has the focus), Ctrl+Enter saves from anywhere in the form.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentapp.ui.style import named

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def state_words(state: str, reason: str = "") -> str:
    """A call's disposition state in words (card, pop, history, accessible names)."""
    if state == "draft":
        return QCoreApplication.translate("DispositionForm", "draft, not saved yet")
    if state == "pending":
        return (QCoreApplication.translate("DispositionForm", "saved, waiting to send ({reason})")
                .format(reason=reason) if reason
                else QCoreApplication.translate("DispositionForm", "saved, sending"))
    if state == "sent":
        return QCoreApplication.translate("DispositionForm", "sent")
    if state == "failed":
        return (QCoreApplication.translate("DispositionForm", "not accepted: {reason}")
                .format(reason=reason) if reason
                else QCoreApplication.translate("DispositionForm", "not accepted"))
    return QCoreApplication.translate("DispositionForm", "none")


def format_acw(seconds: float) -> str:
    seconds = max(0, int(seconds))
    minutes, secs = divmod(seconds, 60)
    return f"{minutes:02d}:{secs:02d}"


class DispositionForm(QFrame):
    edited = Signal(object, str)  # status id (None until one is picked), remark
    save_requested = Signal(int, str)
    shown = Signal()  # first shown (laid out): a card's scroll area can bring it into view

    def __init__(self, title: str, *, clock: Callable[[], float] = time.time,
                 started_at: float | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DispositionForm")
        self._clock = clock
        self._started_at = clock() if started_at is None else started_at
        self._finished_at: float | None = None
        self._state = "none"
        self._reason = ""
        self.title = named(QLabel(title), "CallCardStatus")
        self.timer_label = QLabel()
        self.statuses = QListWidget()
        self.statuses.setAccessibleName(self.tr("Disposition"))
        # Statuses flow in rows (7 fit in two or three), so the form stays short on a card.
        self.statuses.setFlow(QListView.Flow.LeftToRight)
        self.statuses.setWrapping(True)
        self.statuses.setResizeMode(QListView.ResizeMode.Adjust)
        self.statuses.setSpacing(2)
        self.statuses.setMaximumHeight(64)
        self.remark = QPlainTextEdit()
        self.remark.setAccessibleName(self.tr("Remark"))
        self.remark.setPlaceholderText(self.tr("Remark (optional)"))
        self.remark.setTabChangesFocus(True)
        self.remark.setMaximumHeight(56)
        self.save_button = QPushButton(self.tr("Save disposition"))
        self.save_button.setAccessibleName(self.tr("Save disposition"))
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self._layout()
        self.statuses.currentRowChanged.connect(lambda _row: self._changed())
        self.remark.textChanged.connect(self._changed)
        self.save_button.clicked.connect(self.save)
        for widget in (self, self.statuses, self.remark, self.save_button):
            widget.installEventFilter(self)
        # A quarter second, so the whole seconds shown never lag the clock by a full second.
        self._ticker = QTimer(self, interval=250)
        self._ticker.timeout.connect(self._render_timer)
        self._ticker.start()
        self._loading = False
        self._values: tuple[int | None, str] = (None, "")
        self._shown_text = ""
        self._shown_once = False
        self.set_state("none")
        self._render_save()
        self._render_timer()

    def _layout(self) -> None:
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 8, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.timer_label)
        col.addLayout(head)
        col.addWidget(self.statuses)
        col.addWidget(self.remark)
        row = QHBoxLayout()
        row.addWidget(self.state_label, 1)
        row.addWidget(self.save_button)
        col.addLayout(row)

    # -- what the facade tells it ---------------------------------------------------
    def set_statuses(self, statuses: Sequence[tuple[int, str]]) -> None:
        chosen = self.status_id()
        self._loading = True
        self.statuses.clear()
        for number, (status_id, name) in enumerate(statuses, start=1):
            label = f"{number}  {name}" if number <= 9 else name
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, status_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, name)
            self.statuses.addItem(item)
        self._select(chosen)
        self._loading = False
        self._render_save()
        self.set_state(self._state, self._reason)

    def set_values(self, status_id: int | None, remark: str) -> None:
        """Restore a saved draft without echoing it back as an edit."""
        self._loading = True
        self._select(status_id)
        if remark != self.remark.toPlainText():
            self.remark.setPlainText(remark)
        self._values = (self.status_id(), self.remark.toPlainText())
        self._loading = False
        self._render_save()

    def set_state(self, state: str, reason: str = "") -> None:
        self._state, self._reason = state, reason
        words = state_words(state, reason)
        if not self.statuses.count():
            words += self.tr(" (the account's statuses are not loaded yet: waiting for the "
                             "server)")
        self.state_label.setText(self.tr("Disposition: {words}").format(words=words))
        self.state_label.setAccessibleName(
            self.tr("Disposition state: {words}").format(words=words))
        if state in ("pending", "sent") and self._finished_at is None:
            self._finished_at = self._clock()
        elif state in ("none", "draft", "failed"):
            self._finished_at = None
        self.save_button.setText(self.tr("Edit and retry") if state == "failed"
                                 else self.tr("Save disposition"))
        self.save_button.setAccessibleName(
            self.tr("Edit and retry disposition") if state == "failed"
            else self.tr("Save disposition"))
        self._render_timer()

    # -- reading ---------------------------------------------------------------------
    def status_id(self) -> int | None:
        item = self.statuses.currentItem()
        if item is None or not item.isSelected():
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    @property
    def state(self) -> str:
        return self._state

    def show_problem(self, text: str) -> None:
        """Why a save did not happen, in the state line (the next state replaces it)."""
        self.state_label.setText(text)
        self.state_label.setAccessibleName(text)

    def save(self) -> None:
        status = self.status_id()
        if status is None:
            self.show_problem(self.tr("Choose a disposition first (press its number)."))
            self.statuses.setFocus()
            return
        self.save_requested.emit(status, self.remark.toPlainText().strip())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.shown.emit()

    def after_call_work(self) -> str:
        return self.timer_label.text()

    # -- internals -------------------------------------------------------------------
    def _select(self, status_id: int | None) -> None:
        for row in range(self.statuses.count()):
            if self.statuses.item(row).data(Qt.ItemDataRole.UserRole) == status_id:
                self.statuses.setCurrentRow(row)
                return
        self.statuses.setCurrentRow(-1)

    def _changed(self) -> None:
        """Announce a real edit only: focus moving the list's current row, or a restore,
        must not write a draft over the saved one."""
        self._render_save()
        values = (self.status_id(), self.remark.toPlainText())
        if not self._loading and values != self._values:
            self._values = values
            self.edited.emit(*values)

    def _render_save(self) -> None:
        self.save_button.setEnabled(self.statuses.count() > 0)

    def _render_timer(self) -> None:
        end = self._finished_at if self._finished_at is not None else self._clock()
        spent = format_acw(end - self._started_at)
        text = (self.tr("Wrap-up took {time}") if self._finished_at is not None
                else self.tr("Wrap-up {time}")).format(time=spent)
        if text == self._shown_text:
            return  # nothing new to say (four ticks a second)
        self._shown_text = text
        self.timer_label.setText(text)
        self.timer_label.setAccessibleName(
            self.tr("After-call work: {time}").format(time=spent)
            + (self.tr(", done") if self._finished_at is not None else ""))
        if self._finished_at is not None:
            self._ticker.stop()
        elif not self._ticker.isActive():
            self._ticker.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
                event, QKeyEvent):
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if ctrl and event.key() in _ENTER:
                event.accept()  # ours, not the window's Ctrl+Enter "Call"
                if kind == QEvent.Type.KeyPress:
                    self.save()
                return True
            text = event.text()
            if (kind == QEvent.Type.KeyPress and watched is not self.remark and text.isdigit()
                    and text != "0" and not ctrl):
                row = int(text) - 1
                if row < self.statuses.count():
                    self.statuses.setCurrentRow(row)
                    self.statuses.setFocus()
                return True
        return super().eventFilter(watched, event)


class DispositionWindow(QWidget):
    """The form on its own (from a screen-pop, the history window or the outbox list)."""

    def __init__(self, title: str, form: DispositionForm, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = form
        col = QVBoxLayout(self)
        col.addWidget(form)
        col.addStretch(1)
        self.resize(420, 300)
