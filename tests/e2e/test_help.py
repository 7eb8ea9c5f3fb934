"""The Help menu in the real app (issue 15.2): the user guide shipped with the app,
the keyboard shortcuts read from the window's actions, and About with versions and
folders. The desktop's "open this folder" is the one boundary recorded (Qt's own
URL-handler hook), nothing is launched."""

from __future__ import annotations

import platform
import re
from pathlib import Path

import PySide6
from PySide6.QtCore import QObject, Qt, QUrl, Slot, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

import agentapp
from agentapp.paths import log_dir
from agentapp.resources import resource_path
from agentapp.ui.about import AboutDialog
from agentapp.ui.help_guide import GuideViewer
from agentapp.ui.help_shortcuts import ShortcutsSheet, clean_text, keys_text
from testkit.apps import StartApp
from testkit.dialogs import open_dialogs
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

DOCS_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"
SCREEN = (1366, 768 - 40)  # a laptop screen less a panel


def _one(window: QWidget, kind: type[QDialog]) -> QDialog | None:
    found = [d for d in open_dialogs(window) if isinstance(d, kind)]
    return found[0] if found else None


def _fits(dialog: QWidget) -> None:
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1], dialog.size()
    hint = dialog.minimumSizeHint()
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], hint


def test_the_shipped_guide_is_docs_user_guide() -> None:
    shipped = resource_path("help", "user-guide.md")
    assert shipped.read_bytes() == DOCS_GUIDE.read_bytes(), (
        "resources/help/user-guide.md differs from docs/user-guide.md: "
        "cp docs/user-guide.md resources/help/user-guide.md")


def test_f1_opens_the_guide_with_its_headings(qloop: QtLoop, qtbot: QtBot,
                                              start_app: StartApp) -> None:
    expected = [(len(m.group(1)), m.group(2).strip()) for m in
                re.finditer(r"^(#{1,6})\s+(.+)$", DOCS_GUIDE.read_text("utf-8"), re.M)]
    assert len(expected) >= 10

    async def scenario() -> None:
        app = await start_app()
        app.window.activateWindow()
        assert app.window.guide_action in app.window.help_menu.actions()
        assert app.window.guide_action.shortcut() == QKeySequence("F1")
        qtbot.keyClick(app.window, Qt.Key.Key_F1)
        await wait_until(lambda: _one(app.window, GuideViewer) is not None, 5, "the guide")
        viewer = _one(app.window, GuideViewer)
        assert isinstance(viewer, GuideViewer)
        assert viewer.headings() == expected
        assert viewer.browser.accessibleName() == "User guide"
        assert "Pause pop-ups" in viewer.browser.toPlainText()
        _fits(viewer)
        app.window.guide_action.trigger()  # asked again: the same window, raised
        assert [d for d in open_dialogs(app.window) if isinstance(d, GuideViewer)] == [viewer]
        viewer.reject()
    qloop.run(scenario())


def test_shortcuts_sheet_lists_every_shortcut_of_the_window(qloop: QtLoop, qtbot: QtBot,
                                                            start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        window = app.window
        qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: _one(window, ShortcutsSheet) is not None, 5, "the sheet")
        sheet = _one(window, ShortcutsSheet)
        assert isinstance(sheet, ShortcutsSheet)
        listed = {(r.command, r.keys) for r in sheet.rows}
        actions = {a for a in window.findChildren(QAction) if keys_text(a)
                   and (a in window.actions() or any(a in m.actions() for m in
                                                     window.menuBar().findChildren(QWidget)))}
        for action in actions:
            assert (clean_text(action.text()), keys_text(action)) in listed, action.text()
        for expected in (("Call", "Ctrl+Return"), ("Look up caller", "Ctrl+F"),
                         ("Call history", "Ctrl+H"), ("Compact sidebar", "Ctrl+Shift+M"),
                         ("User guide", "F1"), ("Keyboard shortcuts", "Ctrl+/"),
                         ("Quit", "Ctrl+Q")):
            assert expected in listed, expected
        assert sheet.table.rowCount() == len(sheet.rows)
        assert sheet.table.accessibleName() == "Keyboard shortcuts"
        assert not sheet.table.tabKeyNavigation()
        _fits(sheet)
        # Generated, not written down: a new shortcut shows the next time it opens.
        extra = QAction("Test &new thing", window)
        extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
        window.addAction(extra)
        again = app.runtime.help.open_shortcuts()
        assert ("Test new thing", "Ctrl+Alt+J") in {(r.command, r.keys) for r in again.rows}
        assert not sheet.isVisible()
        again.reject()
    qloop.run(scenario())


class _Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def record(self, url: QUrl) -> None:
        self.urls.append(url)


def test_about_shows_versions_and_the_folders(qloop: QtLoop, start_app: StartApp) -> None:
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "record")  # type: ignore[arg-type]  # stub says bytes, PySide6 wants str

    async def scenario() -> None:
        app = await start_app()
        app.window.about_action.trigger()
        await wait_until(lambda: _one(app.window, AboutDialog) is not None, 5, "About")
        about = _one(app.window, AboutDialog)
        assert isinstance(about, AboutDialog)
        versions = {name: label.text() for name, label in about.version_labels.items()}
        assert versions["Python"] == platform.python_version()
        assert versions["Qt"] == qVersion() and versions["PySide6"] == PySide6.__version__
        assert versions["httpx"] and versions["phonenumbers"] != "not installed"
        assert about.version_labels["Qt"].accessibleName() == f"Qt version: {qVersion()}"
        assert about.windowTitle() == "About Agent Companion"
        assert any(agentapp.__version__ in label.text() for label in about.findChildren(
            type(about.copied)))
        logs = about.folder_labels["Log folder"]
        assert logs.text() == str(log_dir())
        assert logs.accessibleName() == f"Log folder: {log_dir()}"
        about.copy_buttons["Log folder"].click()
        assert QGuiApplication.clipboard().text() == str(log_dir())
        assert about.copied.text() == "Log folder path copied to the clipboard."
        log_dir().mkdir(parents=True, exist_ok=True)
        about.open_buttons["Log folder"].click()
        await wait_until(lambda: opened.urls, 5, "the folder opened")
        assert opened.urls == [QUrl.fromLocalFile(str(log_dir()))]
        missing = app.runtime.help
        await missing.open_folder(str(log_dir() / "not-there"))
        assert "does not exist yet" in about.copied.text() and len(opened.urls) == 1
        assert about.folder_labels["Data folder"].text()
        _fits(about)
        about.reject()

    try:
        qloop.run(scenario())
    finally:
        QDesktopServices.unsetUrlHandler("file")
