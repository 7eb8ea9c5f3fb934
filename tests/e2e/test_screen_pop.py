"""Screen-pops in the real app against the sandbox: an inbound call pops its caller.

In-process tests (offscreen Qt) check the contents and behaviour; one test runs
the app as a separate process on a real X server and finds the pop by its
window title there, as the agent's desktop would show it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QPushButton

from agentapp.core.phone import parse_number
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.settings import (
    DIAL_CALLING_HOURS_END,
    DIAL_CALLING_HOURS_START,
    POP_CRM_URL_TEMPLATE,
)
from agentapp.ui.contact_dialog import ContactDialog
from agentapp.ui.screen_pop import ScreenPopWindow
from testkit.apps import StartApp
from testkit.dialogs import open_dialogs
from testkit.qt_loop import QtLoop
from testkit.strict import need_service
from testkit.waiting import wait_until

DID = "+911143104567"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=20.0, history=200)


def known_contact(sb: SandboxThread) -> Any:
    world = sb.server.context.world
    numbers = {r.client_no for r in world.call_logs}
    return next(c for c in world.contacts if c.number in numbers)


def ring(sb: SandboxThread, caller: str, **extra: object) -> str:
    body = {"from": caller, "did": DID, "ext_no": "2101", **extra}
    return str(sb.control("POST", "/_sandbox/inbound", body)["logid"])


def pop_titled(app: Any, prefix: str) -> ScreenPopWindow | None:
    for window in app.runtime.pops.windows.values():
        if window.windowTitle().startswith(prefix) and window.isVisible():
            return window
    return None


async def webhook_registered(app: Any) -> None:
    await wait_until(lambda: app.runtime.services is not None
                     and app.runtime.services.receiver is not None, 10, "the webhook receiver")


def test_known_caller_pops_with_name_history_and_line(qloop: QtLoop, start_app: StartApp,
                                                      sandbox: SandboxThread) -> None:
    contact = known_contact(sandbox)

    async def scenario() -> None:
        app = await start_app()
        await webhook_registered(app)
        app.window.show()
        app.window.activateWindow()
        app.window.dial.number.setFocus()
        await wait_until(app.window.isActiveWindow, 5, "the main window active")
        ring(sandbox, contact.number, dtmf="2", talk_seconds=30)
        title = f"Incoming call: {contact.name}"
        await wait_until(lambda: pop_titled(app, title), 10, "the pop with the caller's name")
        pop = pop_titled(app, title)
        assert pop is not None
        # The agent keeps the keyboard: the window they were typing in stays active.
        await asyncio.sleep(0.1)
        await wait_until(app.window.isActiveWindow, 5, "the main window active again")
        assert not pop.isActiveWindow()
        assert app.window.dial.number.hasFocus()
        flags = pop.windowFlags()
        assert flags & Qt.WindowType.Tool and flags & Qt.WindowType.WindowStaysOnTopHint
        assert pop.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        assert pop.focusPolicy() == Qt.FocusPolicy.NoFocus
        await wait_until(lambda: "Looking up" not in pop.status.text(), 10, "the API fill")
        assert pop.name.text() == contact.name
        assert pop.number.text() == parse_number(contact.number).display()
        assert pop.line.text() == "Called Delhi line +91 11 4310 4567"
        assert pop.recent.text() != "No earlier calls."
        assert pop.contact_button.text() == "Edit contact"
        assert pop.disposition_button.isVisible()  # issue 10: its state in words
        await wait_until(lambda: pop.disposition_button.text() == "Disposition (none)…", 5,
                         "the disposition state")
        assert not pop.crm_button.isVisible()  # no CRM template set
        await wait_until(lambda: pop.ivr.text() == "Pressed 2 in the IVR menu", 10, "the DTMF")
        await wait_until(lambda: pop.status.text() == "Call ended", 10, "the hang-up")
        assert pop.windowTitle() == title
    qloop.run(scenario())


def test_unknown_caller_then_missed(qloop: QtLoop, start_app: StartApp,
                                    sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app()
        await webhook_registered(app)
        ring(sandbox, "9123456780", outcome="missed")
        await wait_until(lambda: pop_titled(app, "Incoming call: +91 91234 56780"), 10,
                         "the pop with the number")
        pop = pop_titled(app, "Incoming call: +91 91234 56780")
        assert pop is not None
        assert pop.name.text() == "Unknown caller"
        await wait_until(lambda: pop.windowTitle() == "Missed call: +91 91234 56780", 10,
                         "the missed call")
        assert pop.status.text().startswith("Missed call")
        assert pop.contact_button.text() == "Save contact"
        assert pop.recent.text() == "No earlier calls."
        badge = next(b for b in app.window.statusBar().findChildren(QPushButton)
                     if b.text().endswith("missed call"))
        assert badge.isVisible() and badge.text() == "1 missed call"
        badge.click()  # opens the history on unanswered incoming calls, clears the badge
        view = app.runtime.history.view
        assert view is not None and view.isVisible()
        assert (view.kind.currentText(), view.outcome.currentText()) == (
            "Incoming", "Not answered")
        assert not badge.isVisible()
    qloop.run(scenario())


def test_own_click_to_call_pops_outgoing(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        settings = app.runtime.settings  # no calling-hours question, whatever the hour
        settings.set(DIAL_CALLING_HOURS_START, "00:00")
        settings.set(DIAL_CALLING_HOURS_END, "00:00")  # start == end: no restriction
        await settings.asave()
        assert await app.runtime.restart_session()
        app.window.dial.number.setText("9876543210")
        app.window.dial.call_button.click()
        await wait_until(lambda: len(app.calls()) == 1, 10, "the call")
        await wait_until(lambda: pop_titled(app, "Outgoing call: "), 10, "the outgoing pop")
    qloop.run(scenario())


def test_look_up_by_hand(qloop: QtLoop, start_app: StartApp, sandbox: SandboxThread) -> None:
    contact = known_contact(sandbox)

    async def scenario() -> None:
        app = await start_app()
        action = next(a for a in app.window.actions()
                      if a.shortcut().toString() == "Ctrl+F")
        assert action.text() == "&Look up caller…" and action.isEnabled()
        action.trigger()
        prompt = next(w for w in open_dialogs(app.window) if isinstance(w, QInputDialog))
        prompt.setTextValue("0" + contact.number)
        prompt.accept()
        await wait_until(lambda: pop_titled(app, f"Caller look-up: {contact.name}"), 10,
                         "the look-up pop")
        # Junk is answered in words, not by a crash or a silent nothing.
        app.runtime.pops.look_up("not a number")
        await wait_until(lambda: pop_titled(app, "Caller look-up: not a number"), 10, "junk")
        junk = pop_titled(app, "Caller look-up: not a number")
        assert junk is not None and "Not a valid phone number" in junk.status.text()
        assert not junk.call_back_button.isEnabled()
    qloop.run(scenario())


def _window_titles(env: dict[str, str]) -> str:
    done = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                          text=True, timeout=10)
    return done.stdout


def test_inbound_call_pops_on_a_real_x_server(sandbox: SandboxThread, data_dirs: Path) -> None:
    need_service(bool(os.environ.get("DISPLAY")), "an X server (DISPLAY; Xvfb in CI)")
    need_service(shutil.which("xwininfo") is not None, "xwininfo (Debian's x11-utils)")
    contact = known_contact(sandbox)
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "AGENTAPP_TOKEN": sandbox.token}
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentapp", "--api-url", sandbox.base_url, "--extension", "2101",
         "--did", DID, "--profile", "xpop"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not sandbox.control("GET", "/_sandbox/info")["webhook_url"]:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the app did not register its webhook"
            time.sleep(0.1)
        title = f"Incoming call: {contact.name}"
        started = time.monotonic()
        ring(sandbox, contact.number, talk_seconds=30)
        deadline = started + 20
        while f'"{title}"' not in _window_titles(env):
            assert time.monotonic() < deadline, "no pop window on the X server"
            time.sleep(0.05)
        # The figure is "within one second"; the assertion above is a deadline
        # (no timed tests), the latency is printed and measured by bench/history.py.
        print(f"pop on X after {time.monotonic() - started:.3f} s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_save_contact_from_an_unknown_caller_pop(qloop: QtLoop, start_app: StartApp,
                                                 sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app()
        await webhook_registered(app)
        ring(sandbox, "9123456781", talk_seconds=60)
        await wait_until(lambda: pop_titled(app, "Incoming call: +91 91234 56781"), 10, "pop")
        pop = pop_titled(app, "Incoming call: +91 91234 56781")
        assert pop is not None
        await wait_until(lambda: "Looking up" not in pop.status.text(), 10, "the API fill")
        assert pop.contact_button.text() == "Save contact"
        pop.contact_button.click()
        # The form opened from a pop has no parent window (pop_facade.edit_contact gets
        # none), so it can only be found among the application's windows.
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, ContactDialog) and w.isVisible())
        assert not dialog.save_button.isEnabled()  # no name yet
        dialog.name.setText("  Meera   Nair ")
        dialog.save_button.click()
        await wait_until(lambda: pop.windowTitle() == "Incoming call: Meera Nair", 10,
                         "the pop to show the saved name")
        assert pop.contact_button.text() == "Edit contact"
        world = sandbox.server.context.world
        assert world.contacts_by_number["9123456781"].name == "Meera Nair"
        history = app.services.history
        assert history is not None
        stored = await history.store.contacts.get("+919123456781")
        assert stored is not None and stored.name == "Meera Nair"
    qloop.run(scenario())


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


def test_open_in_crm(qloop: QtLoop, start_app: StartApp, sandbox: SandboxThread) -> None:
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")  # type: ignore[arg-type]  # stub says bytes, PySide6 wants str

    async def scenario() -> None:
        app = await start_app()
        app.runtime.settings.set(POP_CRM_URL_TEMPLATE,
                                 "https://crm.example.com/search?phone={e164}")
        app.runtime.pops.look_up("09876543210")
        await wait_until(lambda: pop_titled(app, "Caller look-up: "), 10, "the pop")
        pop = pop_titled(app, "Caller look-up: ")
        assert pop is not None
        await wait_until(lambda: not pop.crm_button.isHidden(), 10, "the CRM button")
        pop.crm_button.click()
        assert catcher.urls == ["https://crm.example.com/search?phone=%2B919876543210"]

    try:
        qloop.run(scenario())
    finally:
        QDesktopServices.unsetUrlHandler("https")


def test_paused_pop_ups_show_no_window_but_count_the_missed_call(
        qloop: QtLoop, start_app: StartApp, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app()
        await webhook_registered(app)
        pause = app.runtime.pause_pops_action
        assert pause.isCheckable() and pause in app.window.view_menu.actions()
        pause.trigger()
        assert app.runtime.pops.paused
        label = app.window.statusBar().findChild(QLabel, "PopsPaused")
        assert label is not None and label.isVisible() and label.text() == "Pop-ups paused"
        popped: list[str] = []
        app.runtime.pops.popped.connect(lambda title, _body: popped.append(title))
        ring(sandbox, "9123456780", outcome="missed")
        await wait_until(lambda: any(b.text() == "1 missed call" and b.isVisible() for b in
                                     app.window.statusBar().findChildren(QPushButton)),
                         10, "the missed call counted")
        assert app.runtime.pops.windows == {} and popped == []
        app.runtime.pops.look_up("9123456780")  # asked for by the agent: still shown
        await wait_until(lambda: pop_titled(app, "Caller look-up: "), 10, "the look-up pop")
        pause.trigger()
        assert not app.runtime.pops.paused and not label.isVisible()
        ring(sandbox, "9123456781", outcome="missed")
        await wait_until(lambda: pop_titled(app, "Incoming call: +91 91234 56781"), 10,
                         "a pop again once resumed")
    qloop.run(scenario())
