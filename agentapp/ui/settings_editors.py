"""One editor widget per kind of setting, and reading its value back.

Editors speak the agent's words (country names, "Fill in the number", ports
with "Any free port") and hand back the stored value (``"IN"``, ``"prefill"``,
``0``). A value that cannot even be read (a path line without "=") raises
``Unreadable`` with what to fix; the declaration's check judges the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import phonenumbers
from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from agentapp.ui.settings_pages import Field, Kind

SYSTEM_DEVICE = "Same as the system"
LOOKING = "looking for devices…"
NOT_CONNECTED = "not connected"
TIME_FORMAT = "HH:mm"
LIST_HEIGHT = 72  # about three lines: long lists scroll inside


class Unreadable(ValueError):
    """The text in an editor is not a value at all; the message says what to fix."""


@cache
def countries() -> tuple[tuple[str, str], ...]:
    """(ISO code, "India (+91)") for every region phonenumbers can dial, by name."""
    named = []
    for code in phonenumbers.SUPPORTED_REGIONS:
        territory = QLocale.codeToTerritory(code)
        name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyCountry \
            else ""
        dial = phonenumbers.country_code_for_region(code)
        named.append((code, f"{name or code} (+{dial})"))
    return tuple(sorted(named, key=lambda pair: pair[1].casefold()))


def make_editor(row: Field, value: Any) -> QWidget:
    """The editor for ``row`` showing ``value``; its accessible name is the row's label."""
    editor = _build(row, value)
    editor.setAccessibleName(row.label)
    if row.help:
        editor.setAccessibleDescription(row.help)
    return editor


def _build(row: Field, value: Any) -> QWidget:
    kind = row.kind
    if kind is Kind.CHECK:
        box = QCheckBox(row.label)
        box.setChecked(bool(value))
        return box
    if kind in (Kind.CHOICE, Kind.COUNTRY):
        combo = QComboBox()
        words = countries() if kind is Kind.COUNTRY else row.words
        for stored, text in words:
            combo.addItem(text, stored)
        if combo.findData(value) < 0:  # a value from a newer app or a hand edit
            combo.addItem(str(value), value)
        combo.setCurrentIndex(combo.findData(value))
        return combo
    if kind in (Kind.INPUT_DEVICE, Kind.OUTPUT_DEVICE):
        combo = QComboBox()
        fill_devices(combo, str(value), None)
        return combo
    if kind is Kind.NUMBER:
        spin = QSpinBox()
        spin.setRange(int(row.minimum), int(row.maximum))
        spin.setSuffix(row.suffix)
        spin.setSpecialValueText(row.special)
        spin.setValue(int(value))
        return spin
    if kind is Kind.SECONDS:
        dspin = QDoubleSpinBox()
        dspin.setRange(row.minimum, row.maximum)
        dspin.setSuffix(row.suffix or " s")
        dspin.setValue(float(value))
        return dspin
    if kind is Kind.TIME:
        edit = QTimeEdit()
        edit.setDisplayFormat(TIME_FORMAT)
        parsed = QTime.fromString(str(value), TIME_FORMAT)
        edit.setTime(parsed if parsed.isValid() else QTime(0, 0))
        return edit
    if kind in (Kind.LINES, Kind.PATH_MAP):
        area = QPlainTextEdit()
        area.setTabChangesFocus(True)  # Tab moves on, as in every other field
        area.setFixedHeight(LIST_HEIGHT)
        area.setPlaceholderText(row.placeholder)
        lines = (f"{k} = {v}" for k, v in dict(value).items()) if kind is Kind.PATH_MAP \
            else (str(v) for v in value)
        area.setPlainText("\n".join(lines))
        return area
    line = QLineEdit(str(value))
    line.setPlaceholderText(row.placeholder)
    return line


def fill_devices(combo: QComboBox, chosen: str, names: Iterable[str] | None) -> None:
    """The system default, then each device by name; the chosen one is kept even when
    it is unplugged (it comes back when plugged in). ``names`` None: still looking."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(SYSTEM_DEVICE, "")
    seen = set()
    for name in names or ():
        if name and name not in seen:
            seen.add(name)
            combo.addItem(name, name)
    if chosen and chosen not in seen:
        note = LOOKING if names is None else NOT_CONNECTED
        combo.addItem(f"{chosen} ({note})", chosen)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)


def read_editor(row: Field, editor: QWidget) -> Any:
    """The stored value the editor holds now (``Unreadable`` when it holds none)."""
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QTimeEdit):
        return editor.time().toString(TIME_FORMAT)
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QDoubleSpinBox):
        return editor.value()
    if isinstance(editor, QPlainTextEdit):
        lines = [ln.strip() for ln in editor.toPlainText().splitlines() if ln.strip()]
        return _path_map(lines) if row.kind is Kind.PATH_MAP else lines
    assert isinstance(editor, QLineEdit)
    return editor.text().strip()


def _path_map(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        name, sep, path = line.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise Unreadable(f"Write each line as name = /path (not “{line}”).")
        found[name.strip()] = path.strip()
    return found


def changed_signal(editor: QWidget) -> Any:
    """The signal an editor emits when the agent changes it (to clear its error)."""
    if isinstance(editor, QCheckBox):
        return editor.toggled
    if isinstance(editor, QComboBox):
        return editor.currentIndexChanged
    if isinstance(editor, QTimeEdit):
        return editor.timeChanged
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        return editor.valueChanged
    if isinstance(editor, QPlainTextEdit):
        return editor.textChanged
    assert isinstance(editor, QLineEdit)
    return editor.textEdited
