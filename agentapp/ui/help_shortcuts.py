"""Help → Keyboard shortcuts: read from the window's own actions, so it is always true.

Every QAction of the window with a shortcut is listed under the menu that holds
it (or "Window" when it is in none); the few keys that are not actions (Enter in
the number field, Tab) follow, written here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentapp import APP_NAME


@dataclass(frozen=True)
class ShortcutRow:
    place: str  # the menu ("Call"), or where the key works
    command: str
    keys: str


def widget_keys() -> tuple[ShortcutRow, ...]:
    """Keys handled by widgets rather than actions (each covered by its widget's tests).
    A function: key names need the running QGuiApplication."""
    native = QKeySequence.SequenceFormat.NativeText
    return (
        ShortcutRow("Number field", "Call the number", "Enter"),
        ShortcutRow("Number field", "Paste the number found in copied text",
                    QKeySequence(QKeySequence.StandardKey.Paste).toString(native)),
        ShortcutRow("Everywhere", "Next / previous control", "Tab / Shift+Tab"),
        ShortcutRow("Recent calls", "Move between calls; put the number in the field",
                    "Arrow keys; Enter"),
    )


def clean_text(text: str) -> str:
    """A menu text as read: no mnemonic ampersand, no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def keys_text(action: QAction) -> str:
    return " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                       for s in action.shortcuts() if not s.isEmpty())


def shortcut_rows(window: QMainWindow) -> list[ShortcutRow]:
    """The window's shortcuts: menus in menu-bar order, then actions in no menu."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()

    def walk(menu: QMenu, place: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{place} → {clean_text(action.text())}")
            elif keys_text(action) and id(action) not in seen:
                seen.add(id(action))
                rows.append(ShortcutRow(place, clean_text(action.text()), keys_text(action)))

    menus = [a for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    for menu_action in menus:
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        walk(menu, clean_text(menu_action.text()))
    for action in window.actions():  # shortcuts of the window that no menu shows
        if keys_text(action) and id(action) not in seen and action.text():
            seen.add(id(action))
            rows.append(ShortcutRow("Window", clean_text(action.text()), keys_text(action)))
    return rows


class ShortcutsSheet(QDialog):
    def __init__(self, rows: list[ShortcutRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} keyboard shortcuts")
        self.rows = [*rows, *widget_keys()]
        intro = QLabel("Shortcuts work while the main window is active.")
        intro.setWordWrap(True)
        table = self.table = QTableWidget(len(self.rows), 3)
        table.setHorizontalHeaderLabels(["Where", "Command", "Keys"])
        table.setAccessibleName("Keyboard shortcuts")
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setTabKeyNavigation(False)  # one Tab stop; arrow keys inside
        table.setWordWrap(True)
        for r, row in enumerate(self.rows):
            for c, text in enumerate((row.place, row.command, row.keys)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole,
                             f"{row.command}: {row.keys} ({row.place})" if c == 1 else text)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(table, 1)
        box.addWidget(buttons)
        rows_height = table.verticalHeader().length() + header.height() + 4
        self.resize(640, min(600, rows_height + 110))  # long lists scroll; fits 1366x768
        table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.rows:
            table.setCurrentCell(0, 1)
