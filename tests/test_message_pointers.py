"""Advice in error messages points only at places that exist.

Messages once sent agents to an "API address in Settings" and a "Settings → API paths"
screen that the app never had. Each place a message names is checked against the real
menu and the declared settings.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from agentapp.api import errors
from agentapp.api.responses import HTML_ANSWER_MESSAGE
from agentapp.settings import ALL_SETTINGS, API_PATH_OVERRIDES
from agentapp.ui.main_window import MainWindow
from agentapp.ui.settings_pages import shown_fields

DASHBOARD = "in your IVR Solutions dashboard"


def _messages() -> dict[str, str]:
    found = {"HTML_ANSWER_MESSAGE": HTML_ANSWER_MESSAGE}
    for name in dir(errors):
        cls = getattr(errors, name)
        if isinstance(cls, type) and issubclass(cls, errors.ApiError):
            found[name] = cls.default_message
    found["NotFoundError(path_missing)"] = errors.NotFoundError(path_missing=True).user_message
    return found


def _file_menu_entries(window: MainWindow) -> set[str]:
    menus = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    assert menus and isinstance(menus[0], QMenu), "the main window has a File menu"
    return {a.text().replace("&", "") for a in menus[0].actions() if a.text()}


@pytest.mark.parametrize(("name", "text"), sorted(_messages().items()))
def test_menu_places_named_in_messages_exist(qtbot: QtBot, name: str, text: str) -> None:
    window = MainWindow("IN")
    qtbot.addWidget(window)
    entries = _file_menu_entries(window)
    for place in re.findall(r"File → ([^,()]+?…)", text):
        assert place in entries, f"{name} points to File → {place}, which is not in {entries}"


@pytest.mark.parametrize(("name", "text"), sorted(_messages().items()))
def test_settings_named_in_messages_exist(name: str, text: str) -> None:
    shown = shown_fields({s.key: s for s in ALL_SETTINGS}).values()
    editable = {f.label for f in shown} | {f"{f.page} → {f.label}" for f in shown}
    for match in re.finditer(r"Settings → ([^.,(]+)", text):
        place = match.group(1).strip()
        # The provider's dashboard has its own Settings page; ours shows the table's fields.
        if text[match.end():].lstrip().startswith(DASHBOARD) or place.endswith(DASHBOARD):
            continue
        assert place in editable, f"{name} points to Settings → {place}, which does not exist"
    assert "in Settings" not in text, f"{name} points vaguely to Settings"


def test_the_address_and_path_advice_name_real_places() -> None:
    msgs = _messages()
    for name in ("ApiConnectionError", "TlsError", "HTML_ANSWER_MESSAGE"):
        assert "File → Sign in to IVR Solutions…" in msgs[name]
    assert f"'{API_PATH_OVERRIDES.key}'" in msgs["NotFoundError(path_missing)"]
    assert "--check-api" in msgs["NotFoundError(path_missing)"]
