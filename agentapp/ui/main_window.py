"""The main window: status strip, dial panel and the live call cards.

Pure view: it exposes what the agent asks for as signals and renders what it
is told; ``agentapp.qt.wiring`` connects it to the facades.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from agentapp import APP_NAME
from agentapp.core.call import CallTimeline
from agentapp.core.phone_text import FoundNumber
from agentapp.ui.call_card import CallCard
from agentapp.ui.dial_panel import DialPanel
from agentapp.ui.number_chooser import NumberChooser
from agentapp.ui.recent_calls import RecentCallsPanel
from agentapp.ui.status_strip import StatusStrip
from agentapp.ui.style import named

MAX_CARDS = 5
NORMAL_MIN_WIDTH = 760
COMPACT_MIN_WIDTH = 340  # a sidebar beside a CRM: works at 360 px
COMPACT_WIDTH = 360


class MainWindow(QMainWindow):
    dial_requested = Signal(str)
    clipboard_requested = Signal()
    sign_in_requested = Signal()
    sign_out_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()
    audio_check_requested = Signal()
    play_recording_requested = Signal(str, str)  # URL, title
    compact_changed = Signal(bool)  # View → Compact sidebar, to be remembered
    on_top_changed = Signal(bool)
    close_requested = Signal()  # the window's close button: hide to tray or quit (runtime)
    guide_requested = Signal()  # Help menu (qt/help_flow.py opens them)
    shortcuts_requested = Signal()
    about_requested = Signal()

    def __init__(self, region: str = "IN", parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        """``clock``: the call tracker's clock, so card timers count from event times."""
        super().__init__(parent)
        self._clock = clock
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(NORMAL_MIN_WIDTH, 520)
        self.status = StatusStrip()
        self.banner = named(QLabel(), "Banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.linkActivated.connect(lambda _link: self.sign_in_requested.emit())
        self.banner.hide()
        self.notice = named(QLabel(), "Notice")  # e.g. a damaged settings file was reset
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.dial = DialPanel(region)
        self.dial.dial_requested.connect(self.dial_requested)
        self.dial.clipboard_requested.connect(self.clipboard_requested)
        self.dial.numbers_pasted.connect(
            lambda found: self.choose_number(found, "use", self.dial.prefill))
        self.recent = RecentCallsPanel()
        self.recent.call_back.connect(self.dial_requested)
        self.recent.number_chosen.connect(self.dial.choose_number)
        self.recent.play_recording.connect(self.play_recording_requested)
        self._cards: dict[str, CallCard] = {}
        self._cards_box = QVBoxLayout()
        self._empty = QLabel(self.tr("No calls yet. Type a number and press Enter, or click "
                                     "a tel: link in your browser or CRM."))
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout()
        self._actions()
        self.statusBar().showMessage(self.tr("Starting…"))

    def _layout(self) -> None:
        calls = QWidget()
        calls_col = QVBoxLayout(calls)
        calls_col.addWidget(self._empty)
        calls_col.addLayout(self._cards_box)
        calls_col.addStretch(1)
        scroll = self._scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(calls)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(self.tr("Call cards"))
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # cards wrap
        right = self._right = QVBoxLayout()
        right.addWidget(scroll, 1)
        right.addWidget(self.recent, 1)
        body = self._body = QHBoxLayout()
        body.addWidget(self.dial, 2)
        body.addLayout(right, 3)
        root = QWidget()
        col = QVBoxLayout(root)
        col.setContentsMargins(14, 10, 14, 10)
        col.addWidget(self.status)
        col.addWidget(self.banner)
        col.addWidget(self.notice)
        col.addLayout(body, 1)
        self.setCentralWidget(root)

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    def _actions(self) -> None:
        self.sign_in_action = self._action(self.tr("&Sign in to IVR Solutions…"), None,
                                           self.sign_in_requested.emit)
        self.sign_out_action = self._action(self.tr("Sign &out"), None,
                                            self.sign_out_requested.emit)
        self.settings_action = self._action(self.tr("Se&ttings…"), "Ctrl+,",
                                            self.settings_requested.emit)
        quit_action = self._action(self.tr("&Quit"), "Ctrl+Q", self.quit_requested.emit)
        self.focus_action = self._action(self.tr("&Focus number field"), "Ctrl+L",
                                         self.dial.focus_number)
        self.call_action = self._action(self.tr("&Call"), "Ctrl+Return",
                                        lambda: self.dial_requested.emit(self.dial.number.text()))
        self.clipboard_action = self._action(self.tr("Dial number from &clipboard"),
                                             "Ctrl+Shift+V", self.clipboard_requested.emit)
        self.cancel_action = self._action(self.tr("C&lear number"), "Esc", self.cancel)
        self.cancel_action.setToolTip(self.tr("Clear the number field. A call already placed "
                                              "goes on: reject it on your phone."))
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.addActions([self.sign_in_action, self.sign_out_action])
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        call_menu = menu.addMenu(self.tr("&Call", "menu"))
        call_menu.addActions([self.focus_action, self.call_action, self.clipboard_action,
                              self.cancel_action])
        view_menu = self.view_menu = menu.addMenu(self.tr("&View"))
        self.compact_action = self._toggle(self.tr("&Compact sidebar"), "Ctrl+Shift+M",
                                           self.set_compact)
        self.on_top_action = self._toggle(self.tr("Always on &top"), None, self.set_on_top)
        view_menu.addActions([self.compact_action, self.on_top_action])
        self.audio_check_action = self._action(self.tr("&Audio check…"), None,
                                               self.audio_check_requested.emit)
        menu.addMenu(self.tr("&Tools")).addAction(self.audio_check_action)
        self.guide_action = self._action("&User guide", "F1", self.guide_requested.emit)
        self.shortcuts_action = self._action("&Keyboard shortcuts", "Ctrl+/",
                                             self.shortcuts_requested.emit)
        self.about_action = self._action(f"&About {APP_NAME}", None, self.about_requested.emit)
        self.help_menu = menu.addMenu("&Help")
        self.help_menu.addActions([self.guide_action, self.shortcuts_action])
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)
        self.addActions([self.focus_action, self.call_action, self.clipboard_action,
                         self.cancel_action, self.guide_action, self.shortcuts_action])

    def _toggle(self, text: str, shortcut: str | None,
                slot: Callable[[bool], None]) -> QAction:
        action = QAction(text, self)
        action.setCheckable(True)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.toggled.connect(slot)
        self.addAction(action)
        return action

    # -- view ------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        """One narrow column (number, cards, recent calls stacked) for beside a CRM."""
        was = self._body.direction() == QBoxLayout.Direction.TopToBottom
        self.compact_action.setChecked(compact)
        self._body.setDirection(QBoxLayout.Direction.TopToBottom if compact
                                else QBoxLayout.Direction.LeftToRight)
        self._body.setStretch(0, 0 if compact else 2)
        self._right.setStretch(0, 3 if compact else 1)  # the live card first, in a sidebar
        self.dial.set_compact(compact)
        self.status.set_compact(compact)
        self.setMinimumWidth(COMPACT_MIN_WIDTH if compact else NORMAL_MIN_WIDTH)
        if compact != was:
            if self.isVisible():
                self.resize(COMPACT_WIDTH if compact else max(self.width(), 1100),
                            self.height())
            self.compact_changed.emit(compact)

    def is_compact(self) -> bool:
        return self.compact_action.isChecked()

    def set_on_top(self, on_top: bool) -> None:
        self.on_top_action.setChecked(on_top)
        if bool(self.windowFlags() & Qt.WindowType.WindowStaysOnTopHint) == on_top:
            return
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on_top)
        if visible:
            self.show()  # changing a window flag hides the window
        self.on_top_changed.emit(on_top)

    def cancel(self) -> None:
        """Esc: clear the half-typed number and any message (a call in flight is not
        touched: IVR Solutions offers no cancel for click-to-call)."""
        self.dial.number.clear()
        self.dial.show_message("")
        self.dial.focus_number()

    # -- rendering -------------------------------------------------------------
    def show_notice(self, text: str) -> None:
        """Something the agent must know that is not an error of the moment."""
        self.notice.setText(text)
        self.notice.setAccessibleName(self.tr("Notice: {text}").format(text=text) if text
                                      else self.tr("Notice"))
        self.notice.setVisible(bool(text))

    def set_identity(self, agent: str, demo: bool, signed_in: bool) -> None:
        """``demo``: the server is a sandbox; ``signed_in``: an account token is in use."""
        self.setWindowTitle(f"{APP_NAME} — {agent}" if agent else APP_NAME)
        self.status.set_demo(demo)
        self.banner.setVisible(demo)
        self.sign_out_action.setEnabled(signed_in)
        self._render_banner()

    def _render_banner(self) -> None:
        # Rich-text links take their colour at render time: use the palette's own.
        link = self.palette().color(QPalette.ColorRole.Link).name()
        self.banner.setText(
            self.tr("Demo mode: you are a demo agent on a demo line; calls go to the built-in "
                    "sandbox and no real phone rings.") + " "
            f"<a href='#sign-in' style='color:{link}'>"
            + self.tr("Connect your IVR Solutions account…") + "</a>")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._render_banner()
        super().changeEvent(event)

    def show_timeline(self, timeline: CallTimeline) -> CallCard:
        card = self._cards.get(timeline.call_id)
        if card is None:
            card = CallCard(timeline, clock=self._clock)
            card.call_again.connect(self.dial_requested)
            card.dismissed.connect(self.dismiss_card)
            self._cards[timeline.call_id] = card
            self._cards_box.insertWidget(0, card)
            self._trim_cards()
            self._order_tabs()
        else:
            card.update_timeline(timeline)
        self._empty.setVisible(not self._cards)
        return card

    def _order_tabs(self) -> None:
        """Tab follows the screen: Call, then each card's buttons (newest card first),
        then Recent calls; a new card would otherwise come last in the chain."""
        chain: list[QWidget] = [self.dial.call_button, self._scroll]
        for card in self.cards():
            chain.extend(card.buttons())
        chain.append(self.recent.table)
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def card(self, call_id: str) -> CallCard | None:
        return self._cards.get(call_id)

    def cards(self) -> list[CallCard]:
        """The call cards shown, newest first."""
        return sorted(self._cards.values(), key=self._cards_box.indexOf)

    def dismiss_card(self, call_id: str) -> None:
        card = self._cards.pop(call_id, None)
        if card is not None:
            card.deleteLater()
        self._empty.setVisible(not self._cards)

    def _trim_cards(self) -> None:
        ended = [cid for cid, c in self._cards.items() if not c.timeline.is_live]
        while len(self._cards) > MAX_CARDS and ended:
            self.dismiss_card(ended.pop(0))

    def ask_confirmation(self, title: str, text: str, on_yes: Callable[[], None]) -> QMessageBox:
        """Non-blocking question (no nested event loop on the qasync thread)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def finished(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                on_yes()

        box.finished.connect(finished)
        box.open()
        return box

    def choose_number(self, found: list[FoundNumber], action: str,
                      on_choice: Callable[[str], None]) -> NumberChooser:
        """Several numbers in copied text: ask which one (non-blocking, on this window)."""
        chooser = NumberChooser(found, action, self)
        chooser.chosen.connect(on_choice)
        chooser.finished.connect(chooser.deleteLater)
        chooser.open()
        return chooser

    def closeEvent(self, event: QCloseEvent) -> None:
        """Never closes by itself: the runtime hides it to the tray or asks to quit."""
        event.ignore()
        self.close_requested.emit()
