"""Help → User guide: the shipped ``user-guide.md`` in a Markdown viewer, inside the app.

No browser, no network: Qt renders the Markdown itself. Links to other parts of
the guide scroll within it; any other link is shown, never followed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from agentapp import APP_NAME

GUIDE_SIZE = (720, 620)  # fits a 1366x768 screen with the panel and title bar


class GuideViewer(QDialog):
    def __init__(self, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} user guide")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenLinks(False)  # nothing leaves the app
        self.browser.anchorClicked.connect(self._anchor)
        self.browser.setMarkdown(markdown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.browser, 1)
        box.addWidget(buttons)
        self.resize(*GUIDE_SIZE)
        self.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of each heading, in order, as rendered."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                found.append((level, block.text()))
            block = block.next()
        return found

    def _anchor(self, url: QUrl) -> None:
        if url.hasFragment() and not url.scheme():
            self.browser.scrollToAnchor(url.fragment())
        else:
            self.browser.setToolTip(url.toString())

