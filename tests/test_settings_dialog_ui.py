"""The Settings dialog as a widget: it fits a 1366x768 screen on every page, every
control is named by its label, refused values say why beside the field and save
nothing, and the relay credentials box only ever says whether some are stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agentapp.settings import ALL_SETTINGS, Setting
from agentapp.ui.settings_dialog import SettingsDialog
from agentapp.ui.settings_editors import NOT_CONNECTED, SYSTEM_DEVICE

DECLARED: dict[str, Setting[Any]] = {s.key: s for s in ALL_SETTINGS}
SCREEN_HEIGHT = 768 - 30 - 40  # a 1366x768 laptop less a panel and the title bar


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[SettingsDialog]:
    values = {k: s.default for k, s in DECLARED.items()}
    values["audio/input_device"] = "Old USB Headset"
    found = SettingsDialog(DECLARED, values)
    qtbot.addWidget(found)
    found.resize(860, SCREEN_HEIGHT)
    found.show()
    qtbot.waitExposed(found)
    yield found


def _visible_in(dialog: SettingsDialog, widget: QWidget) -> bool:
    top_left = widget.mapTo(dialog, QPoint(0, 0))
    return (widget.isVisible() and top_left.y() >= 0
            and top_left.y() + widget.height() <= dialog.height())


def test_every_page_fits_768_px_and_save_stays_on_screen(dialog: SettingsDialog,
                                                         qapp: QApplication) -> None:
    long_report = "\n".join(f"/api/endpoint_{n:02d}   OK   12 ms" for n in range(80))
    for index, page in enumerate(dialog.pages):
        dialog.nav.setCurrentRow(index)
        if index == len(dialog.pages) - 1:
            dialog.show_report(long_report)  # the API check: the longest output there is
            qapp.processEvents()  # the page's layout catches up, as it does before painting
        assert dialog.minimumSizeHint().height() <= SCREEN_HEIGHT, page.name
        assert dialog.sizeHint().height() <= SCREEN_HEIGHT, page.name
        assert dialog.height() <= SCREEN_HEIGHT, page.name
        assert _visible_in(dialog, dialog.save_button), page.name
        shown = dialog.stack.currentWidget()
        assert shown is not None
        squashed = [f"{type(w).__name__} {w.accessibleName() or getattr(w, 'text', str)()}"
                    for w in shown.findChildren(QWidget)
                    if isinstance(w, (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox))
                    and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))
                    and w.isVisibleTo(dialog)
                    and w.height() < w.minimumSizeHint().height()]
        assert not squashed, (page.name, squashed)  # long pages scroll; nothing is crushed
    assert dialog.report.isVisible()
    assert dialog.report.height() < 250  # bounded: the table scrolls inside it
    assert dialog.report.verticalScrollBar().maximum() > 0
    dialog.reject()


def test_every_control_is_named_by_its_label_not_its_value(dialog: SettingsDialog) -> None:
    for key, editor in dialog.editors.items():
        label = dialog.fields[key].label
        assert editor.accessibleName() == label, key
        if isinstance(editor, QComboBox):
            assert editor.accessibleName() != editor.currentText(), key
    named = [w for w in dialog.findChildren(QWidget)
             if isinstance(w, (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit))
             and w.isVisibleTo(dialog)]
    nameless = [w for w in named if not (w.accessibleName() or getattr(w, "text", str)())]
    assert not nameless, nameless
    assert dialog.nav.accessibleName() == "Settings pages"
    dialog.reject()


def test_editors_speak_words_and_human_ranges(dialog: SettingsDialog) -> None:
    country = dialog.editors["phone/default_region"]
    assert isinstance(country, QComboBox) and country.currentText() == "India (+91)"
    tel = dialog.editors["dial/tel_action"]
    assert isinstance(tel, QComboBox) and tel.currentText() == "Fill in the number"
    theme = dialog.editors["ui/theme"]
    assert isinstance(theme, QComboBox) and theme.currentText() == "Same as the system"
    days = dialog.editors["history/backfill_days"]
    assert isinstance(days, QSpinBox)
    assert (days.minimum(), days.maximum(), days.suffix()) == (1, 365, " days")
    port = dialog.editors["webhook/port"]
    assert isinstance(port, QSpinBox) and port.text() == "Any free port"
    assert isinstance(dialog.editors["dial/calling_hours_start"], QTimeEdit)
    assert isinstance(dialog.editors["ui/close_to_tray"], QCheckBox)
    dialog.reject()


def test_a_refused_value_says_why_beside_it_and_nothing_is_saved(
        dialog: SettingsDialog, qtbot: QtBot) -> None:
    saved: list[tuple[dict[str, Any], object]] = []
    dialog.save_requested.connect(lambda values, creds: saved.append((values, creds)))
    crm = dialog.editors["pop/crm_url_template"]
    paths = dialog.editors["api/path_overrides"]
    assert isinstance(crm, QLineEdit) and isinstance(paths, QPlainTextEdit)
    crm.setText("crm.example.com/search?phone={e164}")
    paths.setPlainText("c2c_post /api/c2c")
    dialog.nav.setCurrentRow(0)
    dialog.save_button.click()
    assert saved == []
    assert dialog.errors["pop/crm_url_template"].text().startswith(
        "Enter a web address starting with https://")
    assert dialog.errors["pop/crm_url_template"].isVisible()  # its page was opened
    assert dialog.stack.currentIndex() == [p.name for p in dialog.pages].index("Pop-ups")
    assert "name = /path" in dialog.errors["api/path_overrides"].text()
    assert "Open in CRM link" in dialog.message.text()
    assert "Nothing was saved" in dialog.message.text()
    assert crm.accessibleDescription() == dialog.errors["pop/crm_url_template"].text()

    paths.setPlainText("no_such_endpoint = /api/x")
    dialog.save_button.click()
    assert saved == []
    assert "no_such_endpoint" in dialog.errors["api/path_overrides"].text()
    assert dialog.errors["pop/crm_url_template"].isVisible()  # still wrong, still said

    crm.setText("https://crm.example.com/search?phone={e164}")
    paths.setPlainText("c2c_post = /api/c2c_post_v2")
    dialog.save_button.click()
    assert len(saved) == 1
    values, creds = saved[0]
    assert values["pop/crm_url_template"] == "https://crm.example.com/search?phone={e164}"
    assert values["api/path_overrides"] == {"c2c_post": "/api/c2c_post_v2"}
    assert creds is None
    assert not dialog.errors["pop/crm_url_template"].isVisible()
    dialog.reject()


def test_devices_arrive_later_and_an_unplugged_choice_is_kept(dialog: SettingsDialog) -> None:
    mic = dialog.editors["audio/input_device"]
    assert isinstance(mic, QComboBox)
    assert mic.currentText() == "Old USB Headset (looking for devices…)"
    dialog.show_devices(["Built-in Mic", "Built-in Mic", "Jabra Evolve"], ["Speakers"])
    assert [mic.itemText(i) for i in range(mic.count())] == [
        SYSTEM_DEVICE, "Built-in Mic", "Jabra Evolve", f"Old USB Headset ({NOT_CONNECTED})"]
    assert mic.currentData() == "Old USB Headset"
    mic.setCurrentIndex(mic.findData("Jabra Evolve"))
    speaker = dialog.editors["audio/output_device"]
    assert isinstance(speaker, QComboBox) and speaker.currentText() == SYSTEM_DEVICE
    dialog.show_devices([], [], "Audio is unavailable: no PortAudio.")
    assert mic.currentData() == "Jabra Evolve"
    assert dialog.audio_state.text() == "Audio is unavailable: no PortAudio."
    dialog.reject()


def test_relay_credentials_box_tells_only_whether_some_are_stored(
        dialog: SettingsDialog) -> None:
    box = dialog.relay_creds
    assert box.status.text() == "Checking the keyring…"
    box.show_stored(True)
    assert box.status.text() == "Credentials are stored in the system keyring."
    assert box.pending() is None and box.remove_button.isEnabled()
    assert box.entry.echoMode() is QLineEdit.EchoMode.Password
    box.entry.setText("a2101:s3cret")
    box.entry.textEdited.emit("a2101:s3cret")
    assert box.pending() == ("set", "a2101:s3cret")
    assert "s3cret" not in box.status.text()
    box.remove_button.click()
    assert box.pending() == ("delete", "") and box.entry.text() == ""
    assert "Removed from the keyring when you save" in box.status.text()
    box.set_loaded("agent.creds", "-----BEGIN NATS USER JWT-----\nabc\n")
    assert box.pending() == ("set", "-----BEGIN NATS USER JWT-----\nabc\n")
    assert "agent.creds" in box.status.text() and "JWT" not in box.status.text()
    box.show_stored(False)  # the keyring answering late keeps what was loaded
    assert box.pending() == ("set", "-----BEGIN NATS USER JWT-----\nabc\n")
    assert not box.remove_button.isEnabled()
    assert box.status.text().startswith("No credentials are stored. Loaded agent.creds")
    dialog.reject()
