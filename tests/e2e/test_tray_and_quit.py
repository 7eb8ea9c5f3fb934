"""Close to tray, the tray's words and menu, and quitting during a live call (issue 15.3).

No desktop here hosts a tray, so the tray host's answer ("is there a tray?")
is the one thing faked; the tray's balloon is recorded where it would reach
the desktop. Ext 2105 never answers (docs/sandbox.md): its call stays live.
"""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from agentapp.core.call import Phase
from agentapp.qt.window_presence import TOLD_TITLE
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.settings import UI_CLOSE_TO_TRAY, UI_TOLD_TRAY
from agentapp.startup import StartPlan
from agentapp.ui.tray import Tray
from agentapp.ui.tray_icons import TrayLook
from testkit.apps import AppUnderTest, StartApp
from testkit.dialogs import open_question
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=1.0, history=0)


@pytest.fixture
def tray_host(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A desktop with a tray; returns the balloons shown on it."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(Tray, "showMessage",
                        lambda self, title, text, *a: shown.append((title, text)))
    return shown


def _tray(app: AppUnderTest) -> Tray:
    tray = app.runtime.presence.tray if app.runtime.presence else None
    assert isinstance(tray, Tray)
    return tray


async def _live_call(app: AppUnderTest) -> None:
    app.window.dial.number.setText("9876543210")
    app.window.dial.call_button.click()
    await wait_until(lambda: any(c.timeline.phase is Phase.RINGING_AGENT
                                 for c in app.window.cards()), 10, "the call to ring")


def test_close_hides_to_tray_and_says_where_once(qloop: QtLoop, start_app: StartApp,
                                                 tray_host: list[tuple[str, str]]) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.close()
        assert not app.window.isVisible() and not app.task.done()
        assert [t for t, _ in tray_host] == [TOLD_TITLE]
        assert "tray" in tray_host[0][1]
        assert app.runtime.settings.get(UI_TOLD_TRAY)
        _tray(app).show_requested.emit()
        assert app.window.isVisible()
        app.window.close()
        assert not app.window.isVisible() and len(tray_host) == 1  # told once
        await asyncio.sleep(0)
        assert not app.task.done()
    qloop.run(scenario())


def test_tray_menu_and_state_in_words(qloop: QtLoop, start_app: StartApp,
                                      tray_host: list[tuple[str, str]]) -> None:
    async def scenario() -> None:
        app = await start_app(extension="2105")
        tray = _tray(app)
        menu = tray.contextMenu()
        texts = [a.text() for a in menu.actions() if not a.isSeparator()]
        assert texts == ["Status: " + tray.state(), "Show Agent Companion",
                         "Dial number from clipboard", "Audio check…", "Pause pop-ups",
                         "Sign out", "Quit"]
        await wait_until(lambda: tray.state() == "Online", 10, "online in the tray")
        assert tray.shown_tooltip() == "Agent Companion: Online"
        await _live_call(app)
        assert tray.state() == "Ringing"
        assert tray.shown_tooltip() == "Agent Companion: Ringing"
        assert tray.sign_out_action.isEnabled()
    qloop.run(scenario())


def _image(tray: Tray) -> QImage:
    return tray.icon().pixmap(32, 32).toImage()


def test_tray_icon_and_words_follow_the_state(qloop: QtLoop, start_app: StartApp,
                                              sandbox: SandboxThread,
                                              tray_host: list[tuple[str, str]]) -> None:
    """Offline, online, dispositions pending, paused pop-ups, ringing, on a call."""
    async def scenario() -> None:
        app = await start_app()
        tray = _tray(app)
        seen: dict[TrayLook, QImage] = {}
        if tray.look() is TrayLook.OFFLINE:  # the start can be faster than this line
            seen[TrayLook.OFFLINE] = _image(tray)
        await wait_until(lambda: tray.look() is TrayLook.ONLINE, 10, "online in the tray")
        assert tray.shown_tooltip().startswith("Agent Companion: Online")
        seen[TrayLook.ONLINE] = _image(tray)
        # Dispositions not sent yet (the facade's signal, as the outbox would raise it).
        app.runtime.dispositions.counts_changed.emit(2, 0)
        assert tray.look() is TrayLook.PENDING
        assert tray.state() == "Online · dispositions to send"
        seen[TrayLook.PENDING] = _image(tray)
        app.runtime.dispositions.counts_changed.emit(0, 0)
        assert tray.look() is TrayLook.ONLINE
        # Pause pop-ups from the tray: the View menu and the words follow.
        tray.pause_action.trigger()
        assert app.runtime.pause_pops_action.isChecked() and app.runtime.pops.paused
        assert tray.state() == "Online · Pop-ups paused"
        assert tray.shown_tooltip().startswith("Agent Companion: Online · Pop-ups paused")
        app.runtime.pause_pops_action.trigger()
        assert not tray.pause_action.isChecked() and tray.state() == "Online"
        sandbox.control("POST", "/_sandbox/speed", {"speed": 4.0})
        await _live_call(app)
        assert tray.look() is TrayLook.RINGING and tray.state() == "Ringing"
        seen[TrayLook.RINGING] = _image(tray)
        await wait_until(lambda: tray.look() is TrayLook.ON_CALL, 10, "on a call in the tray")
        assert tray.state() == "On a call"
        seen[TrayLook.ON_CALL] = _image(tray)
        await app.runtime.switch(StartPlan("sign_in"))  # signed out: offline again
        assert tray.look() is TrayLook.OFFLINE and tray.state() == "Not signed in"
        seen[TrayLook.OFFLINE] = _image(tray)
        images = list(seen.values())
        assert len(images) == 5
        assert all(a != b for i, a in enumerate(images) for b in images[i + 1:])
    qloop.run(scenario())


def test_close_without_tray_setting_quits(qloop: QtLoop, start_app: StartApp,
                                          tray_host: list[tuple[str, str]]) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.runtime.settings.set(UI_CLOSE_TO_TRAY, False)
        app.window.close()
        await wait_until(lambda: app.task.done(), 15, "the app to quit")
        assert tray_host == []
    qloop.run(scenario())


def test_quit_during_a_live_call_asks_default_no(qloop: QtLoop, qtbot: QtBot,
                                                 start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app(extension="2105")
        await _live_call(app)
        qtbot.keyClick(app.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: open_question(app.window, "in progress"), 5, "the question")
        box = open_question(app.window, "in progress")
        assert box is not None and box.parent() is app.window
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        assert "goes on on your phone" in box.text()
        box.button(QMessageBox.StandardButton.No).click()
        await asyncio.sleep(0.05)
        assert not app.task.done() and app.window.isVisible()
        app.window.quit_requested.emit()
        await wait_until(lambda: open_question(app.window, "in progress"), 5, "the question")
        box = open_question(app.window, "in progress")
        assert box is not None
        box.button(QMessageBox.StandardButton.Yes).click()
        await wait_until(lambda: app.task.done(), 15, "the app to quit")
    qloop.run(scenario())


def test_quit_without_a_call_does_not_ask(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.quit_requested.emit()
        await wait_until(lambda: app.task.done(), 15, "the app to quit")
        assert open_question(app.window) is None
    qloop.run(scenario())


def test_started_minimized_it_waits_in_the_tray(qloop: QtLoop, start_app: StartApp,
                                                tray_host: list[tuple[str, str]]) -> None:
    """Start at login passes --minimized: signed in, online, the window not shown."""
    async def scenario() -> None:
        app = await start_app("--minimized")
        assert app.runtime.services is not None  # the session runs behind the tray
        assert not app.window.isVisible()
        await wait_until(lambda: _tray(app).state() == "Online", 20, "online in the tray")
        _tray(app).show_requested.emit()
        assert app.window.isVisible()
    qloop.run(scenario())


def test_started_minimized_without_a_tray_shows_the_window(qloop: QtLoop,
                                                           start_app: StartApp) -> None:
    """No tray to wait in (many minimal desktops): hiding would lose the app."""
    async def scenario() -> None:
        app = await start_app("--minimized")
        assert app.runtime.presence is not None and app.runtime.presence.tray is None
        assert app.window.isVisible()
    qloop.run(scenario())
