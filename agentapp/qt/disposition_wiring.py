"""Wire dispositions into the window: the card, pops, history, the badge and Ctrl+D.

Kept apart from :mod:`agentapp.qt.disposition_facade` (which owns the forms):
this module only connects other facades' hooks and keeps the state words on
pops and the history window current.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from agentapp.qt.calls_facade import CallsFacade
from agentapp.qt.disposition_facade import DispositionFacade, ref_for_pop, ref_for_row
from agentapp.qt.history_facade import HistoryFacade
from agentapp.qt.history_model import DISPOSITION_COLUMN
from agentapp.qt.pop_facade import PopFacade
from agentapp.services.dispositions import CallRef
from agentapp.services.screen_pop import PopInfo
from agentapp.store import CallRow
from agentapp.ui.main_window import MainWindow


class DispositionLabels(QObject):
    """Keeps the disposition state in words on pops and the history window's selection."""

    def __init__(self, facade: DispositionFacade, pops: PopFacade, history: HistoryFacade
                 ) -> None:
        super().__init__(facade)
        self._facade = facade
        self._pops = pops
        self._history = history
        self._pop_refs: dict[str, CallRef] = {}
        self._selected: CallRef | None = None
        pops.view_shown.connect(self._pop_shown)
        history.call_selected.connect(self._call_selected)
        facade.state_changed.connect(self._state_changed)

    def _pop_shown(self, info: PopInfo) -> None:
        ref = ref_for_pop(info)
        if ref is not None and self._facade.available:
            self._pop_refs[info.request.pop_id] = ref
            self._facade.spawn(self._label_pop(info.request.pop_id, ref))

    async def _label_pop(self, pop_id: str, ref: CallRef) -> None:
        text = await self._facade.state_text(ref)
        window = self._pops.windows.get(pop_id)
        if window is not None and text:
            window.disposition_button.setText(f"Disposition ({text})…")
            window.disposition_button.setAccessibleName(f"Disposition for this call: {text}")

    def _call_selected(self, call: CallRow) -> None:
        self._selected = ref_for_row(call)
        view = self._history.view
        if view is None:
            return
        if self._selected is None or not self._facade.available:
            view.show_disposition("", possible=False)
            return
        self._facade.spawn(self._label_history(self._selected))

    async def _label_history(self, ref: CallRef) -> None:
        text = await self._facade.state_text(ref)
        view = self._history.view
        if view is not None and self._selected == ref:
            view.show_disposition(text, possible=True)

    def _state_changed(self, source: str, record_id: str, _state: str, _reason: str) -> None:
        key = (source, record_id)
        for pop_id, ref in list(self._pop_refs.items()):
            if pop_id not in self._pops.windows:
                self._pop_refs.pop(pop_id, None)
            elif ref.key == key:
                self._facade.spawn(self._label_pop(pop_id, ref))
        if self._selected is not None and self._selected.key == key:
            self._facade.spawn(self._label_history(self._selected))


def install_dispositions(facade: DispositionFacade, window: MainWindow, calls: CallsFacade,
                         pops: PopFacade, history: HistoryFacade) -> DispositionLabels:
    """Wire wrap-up into the card (after the window renders), pops, history and the badge."""
    facade.install(window)
    _install_wrap_up_action(window, facade)
    calls.timeline_changed.connect(lambda tl: facade.timeline_changed(tl, window))
    pops.disposition_hook = facade.from_pop
    history.disposition_hook = facade.from_history
    history.model.local_disposition = facade.local_words
    facade.locals_changed.connect(lambda: _rerender_dispositions(history))
    return DispositionLabels(facade, pops, history)


def _install_wrap_up_action(window: MainWindow, facade: DispositionFacade) -> QAction:
    """Ctrl+D "Wrap up last call" in the window and its Call menu."""
    action = QAction("&Wrap up last call", window)
    action.setShortcut(QKeySequence("Ctrl+D"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def wrap_up() -> None:
        if not facade.focus_latest():
            window.statusBar().showMessage("No call to wrap up.", 4000)

    action.triggered.connect(wrap_up)
    window.addAction(action)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu) and menu_action.text().replace("&", "") == "Call":
            menu.addAction(action)
    return action


def _rerender_dispositions(history: HistoryFacade) -> None:
    """The history table's Disposition column shows local states: redraw that column."""
    model = history.model
    rows = model.rowCount()
    if rows:
        column = DISPOSITION_COLUMN
        model.dataChanged.emit(model.index(0, column), model.index(rows - 1, column))
