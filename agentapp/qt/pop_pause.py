""""Pause pop-ups": one switch in the View menu and the tray, said in the status bar.

For an agent in a meeting or on a long wrap-up: calls still ring the phone, are
still recorded and missed calls still counted; only the pop windows stay away.
The pause lasts until it is switched off or the app restarts (it is not saved:
a forgotten pause must not hide callers tomorrow).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from agentapp.qt.pop_facade import PopFacade
from agentapp.qt.tray_text import PAUSED_WORDS
from agentapp.ui.tray import Tray


def install_pop_pause(window: QMainWindow, view_menu: QMenu, pops: PopFacade,
                      tray: Tray | None) -> QAction:
    """The View menu's checkable "Pause pop-ups", kept in step with the tray's, and the
    status bar's "Pop-ups paused" while it is on."""
    action = QAction("&Pause pop-ups", window)
    action.setCheckable(True)
    action.setToolTip("Stop pop-up windows for calls; calls and missed calls are still "
                      "recorded")
    action.toggled.connect(pops.set_paused)
    view_menu.addSeparator()
    view_menu.addAction(action)
    label = QLabel(PAUSED_WORDS)
    label.setObjectName("PopsPaused")
    label.setAccessibleName(PAUSED_WORDS)
    label.setToolTip("Pop-up windows are paused (View → Pause pop-ups)")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.hide()
    window.statusBar().addPermanentWidget(label)

    def show(paused: bool) -> None:
        action.setChecked(paused)
        label.setVisible(paused)
        if tray is not None:
            tray.pause_action.setChecked(paused)

    pops.paused_changed.connect(show)
    if tray is not None:
        tray.pause_toggled.connect(pops.set_paused)
    return action
