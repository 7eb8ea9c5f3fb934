"""Settings for agents: a list of pages on the left, one scrolling page on the right.

What is on which page, in which words, comes from ``settings_pages`` (the
presentation table) over the ``Setting`` declarations; editors come from
``settings_editors``. Nothing is saved until every field is valid: a refused
field says why beside it, and the dialog opens its page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from agentapp.settings import Setting
from agentapp.ui.settings_editors import (
    Unreadable,
    changed_signal,
    fill_devices,
    make_editor,
    read_editor,
)
from agentapp.ui.settings_pages import (
    ACCOUNT,
    ADVANCED,
    AUDIO,
    Applies,
    Field,
    Kind,
    Page,
    pages,
)
from agentapp.ui.settings_panels import AccountBox, ApiTools, RelayCredsBox
from agentapp.ui.style import named, set_tone

WIDTH, HEIGHT = 860, 600  # fits a 1366x768 screen with the title bar and a panel
NAV_WIDTH = 170
LABEL_WIDTH = 170
SHORT_WIDTH = 180  # times, numbers and ports need no full-width box
SHORT_KINDS = frozenset({Kind.TIME, Kind.NUMBER, Kind.SECONDS})


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("FieldNote")
    return label


def _heading(text: str, size: float = 1.0) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * size)
    label.setFont(font)
    return label


class _PageBody(QWidget):
    """A page's content: never squeezed below its natural height (it scrolls instead).

    A QScrollArea hands its widget anything between its minimum and its size hint,
    and a form with wrapped text under-estimates its minimum, so boxes in it were
    squashed to unreadable slivers once the API check's table appeared.
    """

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())


class SettingsDialog(QDialog):
    save_requested = Signal(dict, object)  # key -> value (valid), relay creds change or None
    check_api_requested = Signal()
    register_webhook_requested = Signal()

    def __init__(self, declared: Mapping[str, Setting[Any]], values: Mapping[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._declared = declared
        self.pages: list[Page] = pages(declared)
        self.fields: dict[str, Field] = {f.key: f for p in self.pages for f in p.fields}
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.account = AccountBox()
        self.relay_creds = RelayCredsBox()
        self.tools = ApiTools()
        self.tools.check_requested.connect(self.check_api_requested)
        self.tools.register_requested.connect(self.register_webhook_requested)
        self.check_button, self.webhook_button = self.tools.check_button, \
            self.tools.webhook_button
        self.report = self.tools.report
        self.audio_state = _note("Looking for audio devices…")
        self.audio_state.setAccessibleName("Audio devices: looking for them")
        self.nav = QListWidget()
        self.nav.setAccessibleName("Settings pages")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.nav.addItem(page.name)
            self.stack.addWidget(self._page(page, values))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.message = named(QLabel(), "Message")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Settings message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        box = QVBoxLayout(self)
        box.addLayout(body, 1)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        self._fit()

    @property
    def save_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert button is not None
        return button

    # -- building ------------------------------------------------------------------
    def _page(self, page: Page, values: Mapping[str, Any]) -> QScrollArea:
        inner = _PageBody()
        column = QVBoxLayout(inner)
        column.addWidget(_heading(page.name, 1.3))
        column.addWidget(_note(page.intro))
        if page.name == ACCOUNT:
            column.addWidget(self.account)
        if page.name == AUDIO:
            column.addWidget(self.audio_state)
        whole = {r.applies for r in page.fields}
        page_wide = whole.pop() if len(whole) == 1 else None  # said once, under the intro
        if page_wide is not None and page_wide.value:
            column.addWidget(_note(page_wide.value))
        form: QFormLayout | None = None
        section: str | None = None
        shared: Applies | None = page_wide
        for row in page.fields:
            if form is None or row.section != section:
                section = row.section
                if section:
                    column.addWidget(_heading(section))
                # Said once under the heading when the whole section applies alike.
                if page_wide is None:
                    alike = {r.applies for r in page.fields if r.section == section}
                    shared = alike.pop() if len(alike) == 1 and section else None
                    if shared is not None and shared.value:
                        column.addWidget(_note(shared.value))
                form = QFormLayout()
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                column.addLayout(form)
            self._row(form, row, values[row.key], say_applies=shared is None)
            if row.key == "relay/webhook_url":
                column.addLayout(self._creds_row())
        if page.name == ADVANCED:
            column.addWidget(_heading("Checks"))
            column.addWidget(self.tools)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName(f"{page.name} settings")
        return scroll

    def _row(self, form: QFormLayout, row: Field, value: Any, *, say_applies: bool) -> None:
        editor = make_editor(row, value)
        self.editors[row.key] = editor
        if row.kind in SHORT_KINDS:
            editor.setMaximumWidth(SHORT_WIDTH)
        cell = QVBoxLayout()
        cell.addWidget(editor)
        words = " ".join(t for t in (row.help, row.applies.value if say_applies else "") if t)
        if words:
            cell.addWidget(_note(words))
        error = named(_note(""), "Message")
        error.hide()
        cell.addWidget(error)
        self.errors[row.key] = error
        changed_signal(editor).connect(lambda *_a, key=row.key: self.show_error(key, ""))
        if isinstance(editor, QCheckBox):
            form.addRow(cell)
        else:
            label = QLabel(row.label)
            label.setBuddy(editor)
            label.setWordWrap(True)
            label.setFixedWidth(LABEL_WIDTH)
            form.addRow(label, cell)

    def _creds_row(self) -> QHBoxLayout:
        """Label and box side by side like a form row, but in a box layout: a form
        gave this box (wrapped text inside) less height than it needs."""
        label = QLabel(RelayCredsBox.LABEL)
        label.setBuddy(self.relay_creds.entry)
        label.setWordWrap(True)
        label.setFixedWidth(LABEL_WIDTH)
        label.setAlignment(Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.relay_creds, 1)
        return row

    def _fit(self) -> None:
        """Start at a size that fits the screen (a 1366x768 laptop at least)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width, height = WIDTH, HEIGHT
        if area is not None:
            width, height = min(width, area.width() - 40), min(height, area.height() - 60)
        self.resize(width, height)

    # -- the flow's answers ------------------------------------------------------
    def show_devices(self, inputs: Iterable[str] | None, outputs: Iterable[str] | None,
                     problem: str = "") -> None:
        """The devices found (None: not known); ``problem`` when they cannot be listed."""
        for key, names in (("audio/input_device", inputs), ("audio/output_device", outputs)):
            combo = self.editors.get(key)
            if combo is not None:
                assert isinstance(combo, QComboBox)
                fill_devices(combo, str(combo.currentData() or ""),
                             list(names) if names is not None else None)
        text = problem or ("" if inputs is not None else "Looking for audio devices…")
        self.audio_state.setText(text)
        self.audio_state.setVisible(bool(text))
        self.audio_state.setAccessibleName(f"Audio devices: {text or 'found'}")

    def show_message(self, text: str, tone: str = "bad") -> None:
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        set_tone(self.message, tone)

    def show_saved(self, text: str, *, ok: bool) -> None:
        """Saved, with something to read first: Cancel becomes Close (nothing to undo)."""
        self.show_message(text, "ok" if ok else "bad")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText("Close")

    def show_report(self, text: str) -> None:
        self.tools.show_report(text)

    def show_error(self, key: str, text: str) -> None:
        """Why ``key``'s value is refused, beside it ("" clears it)."""
        label = self.errors[key]
        label.setText(text)
        set_tone(label, "bad" if text else "")
        label.setVisible(bool(text))
        row = self.fields[key]
        self.editors[key].setAccessibleDescription(text or row.help)

    def open_page(self, name: str) -> None:
        self.nav.setCurrentRow([p.name for p in self.pages].index(name))

    # -- saving ------------------------------------------------------------------
    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(every valid value, why each refused one is refused)."""
        good: dict[str, Any] = {}
        bad: dict[str, str] = {}
        for key, editor in self.editors.items():
            row, setting = self.fields[key], self._declared[key]
            try:
                value = read_editor(row, editor)
            except Unreadable as exc:
                bad[key] = str(exc)
                continue
            if setting.is_valid(value):
                good[key] = value
                continue
            why = setting.explain(value) if setting.explain is not None and isinstance(
                value, setting.type) else None
            bad[key] = row.problem or (f"Not accepted: {why}." if why else
                                       "This value is not accepted.")
        return good, bad

    def _save(self) -> None:
        good, bad = self.values()
        for key in self.editors:
            self.show_error(key, bad.get(key, ""))
        if bad:
            first = next(iter(bad))
            self.open_page(self.fields[first].page)
            self.editors[first].setFocus(Qt.FocusReason.OtherFocusReason)
            labels = ", ".join(self.fields[k].label for k in bad)
            self.show_message(f"Nothing was saved. Please correct: {labels}.")
            return
        self.show_message("")
        self.save_requested.emit(good, self.relay_creds.pending())
