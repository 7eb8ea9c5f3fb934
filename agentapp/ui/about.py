"""Help → About: what is installed (for a support call) and where its files are.

The versions and folders are gathered by the caller (``qt/help_flow``: reading
package metadata is disk I/O); this dialog shows them, copies a path to the
clipboard and asks for a folder to be opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentapp import APP_NAME


@dataclass(frozen=True)
class AboutInfo:
    version: str
    versions: tuple[tuple[str, str], ...]  # ("Python", "3.11.2"), ("Qt", "6.8.1")…
    folders: tuple[tuple[str, Path], ...]  # ("Log folder", path)…


class AboutDialog(QDialog):
    open_folder_requested = Signal(str)  # a local folder path

    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        title = QLabel(f"<b>{APP_NAME} {info.version}</b>")
        title.setAccessibleName(f"{APP_NAME} version {info.version}")
        blurb = QLabel("Click-to-call, screen-pops and dispositions for IVR Solutions "
                       "call-centre agents.")
        blurb.setWordWrap(True)
        versions = QGroupBox("Versions")
        form = QFormLayout(versions)
        self.version_labels: dict[str, QLabel] = {}
        for name, version in info.versions:
            label = QLabel(version)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(f"{name} version: {version}")
            form.addRow(name, label)
            self.version_labels[name] = label
        folders = QGroupBox("Files")
        folder_box = QVBoxLayout(folders)
        self.folder_labels: dict[str, QLineEdit] = {}
        self.copy_buttons: dict[str, QPushButton] = {}
        self.open_buttons: dict[str, QPushButton] = {}
        for name, path in info.folders:
            folder_box.addLayout(self._folder_row(name, path))
        self.copied = QLabel("")
        self.copied.setAccessibleName("Copy result")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(title)
        box.addWidget(blurb)
        box.addWidget(versions)
        box.addWidget(folders)
        box.addWidget(self.copied)
        box.addWidget(buttons)
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())

    def _folder_row(self, name: str, path: Path) -> QVBoxLayout:
        label = QLineEdit(str(path))  # one line, selectable, scrolls: a path never wraps
        label.setReadOnly(True)
        label.setCursorPosition(0)
        label.setAccessibleName(f"{name}: {path}")
        copy = QPushButton("Copy path")
        copy.setAccessibleName(f"Copy the {name.lower()} path")
        copy.clicked.connect(lambda: self._copy(name, path))
        open_ = QPushButton("Open folder")
        open_.setAccessibleName(f"Open the {name.lower()}")
        open_.clicked.connect(lambda: self.open_folder_requested.emit(str(path)))
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"<b>{name}</b>"))
        buttons.addStretch(1)
        buttons.addWidget(copy)
        buttons.addWidget(open_)
        row = QVBoxLayout()
        row.addLayout(buttons)
        row.addWidget(label)
        self.folder_labels[name] = label
        self.copy_buttons[name] = copy
        self.open_buttons[name] = open_
        return row

    def _copy(self, name: str, path: Path) -> None:
        QGuiApplication.clipboard().setText(str(path))
        self.show_result(f"{name} path copied to the clipboard.")

    def show_result(self, text: str) -> None:
        self.copied.setText(text)
        self.copied.setAccessibleName(text or "Copy result")
