"""The status strip against the sandbox: states from its world, picking a line,
outages driven by the fault controls, and a token refused mid-session."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMenu
from status_support import SHORT_PROBE_S, pinned_profile, visible_texts

from agentapp.services.connectivity import ConnState
from agentapp.services.dialing import OFFLINE_REFUSAL
from agentapp.settings import AGENT_DID, AGENT_EXTENSION, Settings
from agentapp.ui.sign_in_dialog import SignInDialog
from testkit.apps import StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

ACTIVE_DID = "+911143104567"
OTHER_ACTIVE_DID = "+918044475500"
INACTIVE_DID = "+912261234567"


def test_disabled_extension_and_inactive_did_from_the_world(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2103", did=INACTIVE_DID)
        strip = app.window.status
        await wait_until(lambda: "disabled" in strip.extension.text(), 10, "extension state")
        await wait_until(lambda: "inactive" in strip.did.text(), 10, "DID state")
        assert strip.extension.text() == "✕ Ext 2103 disabled"
        assert strip.extension.accessibleName() == "My extension 2103: disabled"
        assert strip.extension.property("tone") == "bad"
        assert "ask your admin" in strip.extension.toolTip().lower()
        assert strip.did.accessibleName() == "My caller ID +91 22 6123 4567: inactive"
        await wait_until(lambda: strip.connection.text() == "✓ Online", 10, "online")
        assert strip.connection.accessibleName() == "API: online"
        # The sandbox on loopback registers this app's receiver by itself.
        await wait_until(lambda: strip.live.accessibleName() == "Live call events: Live events on",
                         10, "live events")
        # History sync (the store) reports through the same strip.
        await wait_until(lambda: strip.sync.isVisibleTo(app.window), 10, "history pill")
        assert strip.sync.accessibleName().startswith("History sync: ")
        assert not strip.message.isVisibleTo(app.window)
        # The pickers list every line, marking (and disabling) the unusable ones.
        ext_entries = {a.data(): (a.text(), a.isEnabled(), a.isChecked())
                       for a in strip.extension_menu.actions()}
        assert ext_entries["2103"][0].endswith("— disabled") and not ext_entries["2103"][1]
        assert ext_entries["2103"][2]  # the current one is checked
        assert ext_entries["2104"][0].endswith("— expired") and not ext_entries["2104"][1]
        assert ext_entries["2101"][1]
        did_entries = {a.data(): (a.text(), a.isEnabled()) for a in strip.did_menu.actions()}
        assert did_entries[INACTIVE_DID][0].endswith("— inactive")
        assert not did_entries[INACTIVE_DID][1] and did_entries[ACTIVE_DID][1]
    qloop.run(scenario())


def test_expired_extension_says_so_with_its_date(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2104", did=ACTIVE_DID)
        strip = app.window.status
        await wait_until(lambda: "expired" in strip.extension.text(), 10, "expired extension")
        agent = app.services.status.agent("2104")
        assert agent is not None and agent.expired
        name = strip.extension.accessibleName()
        assert name.startswith("My extension 2104: expired")
        expiry = getattr(agent, "expiry_date", None)
        if expiry is not None:
            assert f"{expiry.day} {expiry:%b %Y}" in name
        assert strip.did.accessibleName() == "My caller ID +91 11 4310 4567: active"
    qloop.run(scenario())


def test_did_change_from_the_strip_applies_now_and_persists(
        qloop: QtLoop, start_app: StartApp) -> None:
    profile = pinned_profile((AGENT_EXTENSION, "2101"), (AGENT_DID, ACTIVE_DID))

    async def scenario() -> None:
        # No --extension/--did: the profile's remembered line is used.
        app = await start_app("--profile", profile, extension="", did="")
        strip = app.window.status
        assert app.services.session.did == ACTIVE_DID
        await wait_until(lambda: len(strip.did_menu.actions()) > 1, 10, "DID choices")
        services = app.services
        [pick] = [a for a in strip.did_menu.actions() if a.data() == OTHER_ACTIVE_DID]
        pick.trigger()
        await wait_until(lambda: services.session.did == OTHER_ACTIVE_DID, 5, "DID applied")
        assert app.runtime.services is services  # applied to the running session
        assert strip.did.accessibleName() == "My caller ID +91 80 4447 5500: active"
        await app.stop()
        saved = Settings.for_profile(profile)
        saved.load()
        assert saved.get(AGENT_DID) == OTHER_ACTIVE_DID
        again = await start_app("--profile", profile, extension="", did="")
        assert again.services.session.did == OTHER_ACTIVE_DID
        await wait_until(lambda: "80 4447 5500" in again.window.status.did.text(), 10,
                         "the remembered DID shown after a restart")
    qloop.run(scenario())


def test_extension_change_rebuilds_the_session_on_the_new_line(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2101", did=ACTIVE_DID)
        strip = app.window.status
        await wait_until(lambda: len(strip.extension_menu.actions()) > 1, 10, "choices")
        [pick] = [a for a in strip.extension_menu.actions() if a.data() == "2102"]
        pick.trigger()
        await wait_until(lambda: app.runtime.services is not None
                         and app.runtime.services.session.ext_no == "2102", 10, "new extension")
        await wait_until(lambda: strip.extension.accessibleName().startswith(
            "My extension 2102: enabled"), 30, "the new extension's pill")
    qloop.run(scenario())


def test_outage_by_faults_is_said_once_and_cleared_on_recovery(qloop: QtLoop,
                                                               start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2101", did=ACTIVE_DID)
        window, strip = app.window, app.window.status
        services = app.services
        await wait_until(lambda: services.connectivity.state is ConnState.ONLINE, 10, "online")
        app.sandbox.control("POST", "/_sandbox/faults", {"drop_rate": 1.0})
        # Nothing else is in flight: the probe alone must notice (its interval is short).
        await wait_until(lambda: services.connectivity.state is ConnState.OFFLINE,
                         SHORT_PROBE_S + 5, "offline noticed by the probe")
        assert strip.connection.text() == "✕ Offline"
        assert strip.connection.accessibleName().startswith("API: offline since ")
        assert "Last error (" in strip.connection.toolTip()
        assert strip.message.isVisibleTo(window)
        assert strip.message.text().startswith("Offline since ")
        assert "Settings" not in strip.message.text()
        window.dial.number.setText("9876543210")
        window.dial.call_button.click()
        await wait_until(lambda: window.dial.message.text() == OFFLINE_REFUSAL, 5, "refusal")
        offline_words = [t for t in visible_texts(window) if "offline" in t.lower()
                         or "cannot be reached" in t.lower()]
        assert len(offline_words) == 2  # the strip's message and the refusal, once each
        assert app.calls() == []
        app.sandbox.control("POST", "/_sandbox/faults", {})
        await wait_until(lambda: services.connectivity.state is ConnState.ONLINE, 10,
                         "online again by itself")
        assert strip.connection.text() == "✓ Online"
        assert not strip.message.isVisibleTo(window)
        assert window.dial.message.text() == ""
        left = [t for t in visible_texts(window) if any(
            w in t.lower() for w in ("offline", "cannot be reached", "not refreshed"))]
        assert left == []
        assert "not refreshed" not in window.statusBar().currentMessage().lower()
    qloop.run(scenario())


def test_server_errors_show_degraded_then_online(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2101", did=ACTIVE_DID)
        strip, services = app.window.status, app.services
        await wait_until(lambda: services.connectivity.state is ConnState.ONLINE, 10, "online")
        app.sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "error_status": 503})
        await wait_until(lambda: strip.connection.text() == "⚠ API degraded", 10, "degraded")
        assert strip.connection.accessibleName().startswith("API: degraded since ")
        assert strip.message.property("tone") == "warn"
        app.sandbox.control("POST", "/_sandbox/faults", {})
        await wait_until(lambda: strip.connection.text() == "✓ Online", 10, "online again")
        assert not strip.message.isVisibleTo(app.window)
    qloop.run(scenario())


def test_token_refused_mid_session_asks_to_sign_in_and_keeps_the_draft(
        qloop: QtLoop, start_app: StartApp, qapp: QApplication) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2101", did=ACTIVE_DID)
        window, services = app.window, app.services
        await wait_until(lambda: services.connectivity.state is ConnState.ONLINE, 10, "online")
        window.dial.number.setText("98765 43210")
        app.sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "error_status": 401})
        await wait_until(lambda: services.connectivity.state is ConnState.SIGNED_OUT, 10,
                         "the refused token noticed")
        await wait_until(lambda: app.runtime.sign_in is not None
                         and app.runtime.sign_in.dialog is not None, 5, "sign-in dialog")
        sign_in = app.runtime.sign_in
        assert sign_in is not None
        dialog = sign_in.dialog
        assert isinstance(dialog, SignInDialog) and dialog.isVisible()
        assert window.status.connection.accessibleName().startswith("API: sign-in needed")
        assert "File → Sign in to IVR Solutions…" in window.status.message.text()
        assert window.dial.number.text() == "98765 43210"  # the draft is kept
        assert app.runtime.services is services  # nothing torn down before a new sign-in
        app.sandbox.control("POST", "/_sandbox/faults", {})
        dialog.reject()
        await wait_until(lambda: sign_in.dialog is None, 5, "dialog closed")
    qloop.run(scenario())


def test_started_against_a_dead_port_says_offline_and_unknown(
        qloop: QtLoop, start_app: StartApp) -> None:
    """Not "Checking the extension…" forever: offline within one probe, lines unknown and
    why, one message that points only to places that exist, shown whole."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2101",
                              did=ACTIVE_DID, api_url=dead)
        strip, services = app.window.status, app.services
        assert services is not None
        await wait_until(lambda: services.connectivity.state is ConnState.OFFLINE,
                         SHORT_PROBE_S + 5, "offline")
        await wait_until(lambda: strip.extension.accessibleName() == "My extension 2101: unknown",
                         5, "extension unknown")
        assert "cannot be reached" in strip.extension.toolTip() \
            or "Could not be checked" in strip.extension.toolTip()
        assert "Checking" not in strip.extension.toolTip()
        assert strip.did.accessibleName() == "My caller ID +91 11 4310 4567: unknown"
        assert strip.live.accessibleName() == "Live call events: Live events off"
        message = strip.message.text()
        assert strip.message.wordWrap() and message.startswith("Offline since ")
        assert "Settings" not in message
    qloop.run(scenario())


def test_places_named_by_the_strip_exist(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Every "File → …" the strip's words send the agent to is in the File menu."""
    import re

    from agentapp.qt import status_text
    from agentapp.services.connectivity import Health
    from agentapp.ui.main_window import MainWindow
    from agentapp.ui.status_strip import _LIVE

    window = MainWindow("IN")
    qtbot.addWidget(window)
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    assert isinstance(file_menu, QMenu)
    entries = {a.text().replace("&", "") for a in file_menu.actions() if a.text()}
    texts = [status_text.connection_message(Health(state, 0.0)) for state in ConnState]
    texts += [status_text.connection_pill(Health(state, 0.0, "x", 0.0), 1.0, 10.0).tooltip
              for state in ConnState]
    texts += [entry[3] for entry in _LIVE.values()]
    texts += [status_text.extension_pill("", None).tooltip, status_text.did_pill("", None).tooltip]
    named = {m for t in texts for m in re.findall(r"File → ([^,()→]+?…)", t)}
    assert named and named <= entries, named - entries
