"""Settings through the real dialog in the real app: API check table, webhook
registration, and a round trip per page (change, save, reload from the settings
file, value kept; applied in the running app where it applies at once)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTime
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from agentapp.sandbox.thread import SandboxThread
from agentapp.settings import Settings
from agentapp.ui.settings_dialog import SettingsDialog
from agentapp.ui.theme import apply_theme
from testkit.apps import AppUnderTest, StartApp, launch_app, new_profile, pin_calling_hours
from testkit.dialogs import open_question
from testkit.keyrings import BrokenKeyring
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


def _open_settings(app: AppUnderTest) -> SettingsDialog:
    app.window.settings_action.trigger()
    dialog = app.runtime.settings_flow.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _stored(app: AppUnderTest) -> Settings:
    stored = Settings.for_profile(app.profile)
    stored.load()
    return stored


def _set(editor: QWidget, value: Any) -> None:
    """Change an editor the way its kind is changed (choices by their stored value)."""
    if isinstance(editor, QComboBox):
        index = editor.findData(value)
        assert index >= 0, (editor.accessibleName(), value)
        editor.setCurrentIndex(index)
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QTimeEdit):
        editor.setTime(QTime.fromString(str(value), "HH:mm"))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText("\n".join(value))
    else:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(value))


@dataclass(frozen=True)
class PageChange:
    changes: dict[str, Any]
    live: Callable[[AppUnderTest], bool] = lambda _app: True  # seen in the running app


def _dark(_app: AppUnderTest) -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


PAGES: dict[str, PageChange] = {
    "Calling": PageChange(
        {"phone/default_region": "GB", "dial/tel_action": "dial",
         "dial/calling_hours_start": "08:30", "dispositions/require_before_next_call": True},
        live=lambda app: app.window.dial.region == "GB"),
    "Pop-ups": PageChange(
        {"pop/incoming_trigger": "answer",
         "pop/crm_url_template": "https://crm.example.com/find?phone={e164}",
         "history/backfill_days": 7}),
    "Audio": PageChange({"audio/preferred_inputs": ["Jabra Evolve", "USB Headset"]}),
    "Notifications": PageChange({"notify/pop_desktop": False}),
    "Window": PageChange({"ui/theme": "dark", "ui/close_to_tray": False},
                         live=lambda app: _dark(app) and app.runtime.presence is not None
                         and not app.runtime.presence.hides_to_tray),
    "Account": PageChange({"agent/did": "+918044475500"},
                          live=lambda app: app.services.session.did == "+918044475500"),
    "Advanced": PageChange(
        {"relay/account": "team-1", "webhook/secret_enabled": False,
         "api/path_overrides": ["c2c_post = /api/c2c_post"]}),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_round_trip_per_page(qloop: QtLoop, start_app: StartApp, qapp: QApplication,
                             page: str) -> None:
    change = PAGES[page]

    async def scenario() -> None:
        app = await start_app()
        dialog = _open_settings(app)
        dialog.open_page(page)
        changes = dict(change.changes)
        if page == "Audio":  # the devices are listed off the UI thread, then offered
            await wait_until(lambda: "looking" not in dialog.audio_state.accessibleName().lower(),
                             15, "the audio devices (or why there are none)")
            mic = dialog.editors["audio/input_device"]
            assert isinstance(mic, QComboBox)
            if mic.count() > 1:  # a real (virtual) device: choose it by name
                changes["audio/input_device"] = mic.itemData(1)
        for key, value in changes.items():
            assert dialog.fields[key].page == page
            _set(dialog.editors[key], value)
        dialog.save_button.click()
        await wait_until(lambda: app.runtime.settings_flow.dialog is None, 15, "saved")
        stored = _stored(app)
        for key, value in changes.items():
            expected = ({"c2c_post": "/api/c2c_post"} if key == "api/path_overrides"
                        else value)
            assert stored.get(stored.declarations[key]) == expected, key
        await wait_until(lambda: change.live(app), 10, f"{page} applied in the app")
        again = _open_settings(app)  # reopened from the saved values
        for key in changes:
            editor = again.editors[key]
            if isinstance(editor, QComboBox):
                assert editor.currentData() == changes[key], key
        again.reject()

    try:
        qloop.run(scenario())
    finally:
        apply_theme(qapp, "system")


def test_relay_credentials_go_to_the_keyring_never_the_settings_file(
        qloop: QtLoop, start_app: StartApp) -> None:
    secret = "a2101:correct-horse-battery"

    async def scenario() -> None:
        app = await start_app()
        secrets = app.runtime.settings_flow.keyring
        assert secrets is not None
        dialog = _open_settings(app)
        await wait_until(lambda: "No credentials" in dialog.relay_creds.status.text(), 10,
                         "the keyring's state")
        dialog.open_page("Advanced")
        _set(dialog.editors["relay/nats_urls"], "nats://127.0.0.1:1")
        dialog.relay_creds.entry.setText(secret)
        dialog.relay_creds.entry.textEdited.emit(secret)
        dialog.save_button.click()
        await wait_until(lambda: app.runtime.settings_flow.dialog is None, 15, "saved")
        assert await secrets.get_relay_creds(app.profile) == secret
        text = _stored(app).path.read_text(encoding="utf-8")
        assert "correct-horse" not in text and "nats://127.0.0.1:1" in text

        dialog = _open_settings(app)
        await wait_until(lambda: "are stored" in dialog.relay_creds.status.text(), 10,
                         "stored credentials shown")
        assert secret not in dialog.relay_creds.status.text()
        assert dialog.relay_creds.entry.text() == ""
        dialog.relay_creds.remove_button.click()
        dialog.save_button.click()
        await wait_until(lambda: app.runtime.settings_flow.dialog is None, 15, "saved")
        assert await secrets.get_relay_creds(app.profile) is None
    qloop.run(scenario())


def test_account_page_says_where_the_token_is(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        dialog = _open_settings(app)
        dialog.open_page("Account")
        assert "Signed in to" in dialog.account.state.text()
        assert "extension 2101" in dialog.account.state.text()
        # Started with AGENTAPP_TOKEN: the keyring holds none for this profile.
        await wait_until(lambda: "No API token" in dialog.account.token.text(), 10,
                         "the token's keyring state")
        assert dialog.account.sign_out_button.isEnabled()
        dialog.reject()
    qloop.run(scenario())


def test_a_refused_value_saves_nothing(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        dialog = _open_settings(app)
        _set(dialog.editors["relay/nats_urls"], "http://not-nats")
        _set(dialog.editors["dial/tel_action"], "dial")
        dialog.save_button.click()
        assert "nats://" in dialog.errors["relay/nats_urls"].text()
        assert dialog.errors["relay/nats_urls"].isVisible()
        assert not _stored(app).path.exists() or _stored(app).get(
            _stored(app).declarations["dial/tel_action"]) == "prefill"
        dialog.reject()
    qloop.run(scenario())


def test_check_api_shows_every_endpoint_ok(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        dialog = _open_settings(app)
        dialog.open_page("Advanced")
        height = dialog.height()
        dialog.check_button.click()
        await wait_until(lambda: dialog.report.isVisible(), 20, "the check report")
        report = dialog.report.toPlainText()
        assert "/api/key_authentication" in report and "/v1/all_call_logs" in report
        assert "endpoints OK" in dialog.message.text()
        assert dialog.message.property("tone") == "ok", report
        assert dialog.height() == height  # the report scrolls; the dialog does not grow
        dialog.reject()
    qloop.run(scenario())


def test_register_webhook_from_settings(qloop: QtLoop, start_app: StartApp,
                                       sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app()
        services = app.runtime.services
        assert services is not None
        first_url = services.webhook_url
        dialog = _open_settings(app)
        dialog.webhook_button.click()
        await wait_until(lambda: "Registered" in dialog.message.text(), 10, "registration")
        assert services.webhook_url and services.webhook_url != first_url
        info = sandbox.control("GET", "/_sandbox/info")
        assert info["webhook_url"] == services.webhook_url
        dialog.reject()
    qloop.run(scenario())


def test_real_account_registration_warns_first(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        services = app.runtime.services
        assert services is not None
        # Pretend the server is a real account: the sandbox flag drives the warning.
        services.session = replace(services.session, is_sandbox=False)
        dialog = _open_settings(app)
        dialog.webhook_button.click()

        await wait_until(lambda: open_question(app.window, "ONE webhook URL"), 5,
                         "the one-webhook warning")
        box = open_question(app.window, "ONE webhook URL")
        assert box is not None and box.defaultButton() is box.button(
            QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.No).click()
        assert "Registered" not in dialog.message.text()
        dialog.reject()
    qloop.run(scenario())


def test_a_keyring_that_refuses_saves_nothing(qloop: QtLoop, qapp: QApplication,
                                              sandbox: SandboxThread, data_dirs: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A locked keyring: the credentials field says so, and no setting is written."""
    monkeypatch.setenv("AGENTAPP_TOKEN", sandbox.token)

    async def scenario() -> None:
        profile = new_profile("e2e")
        pin_calling_hours(profile)
        app = await launch_app(["--api-url", sandbox.base_url, "--extension", "2101",
                                "--did", "+911143104567"],
                               profile=profile, keyring=BrokenKeyring(),
                               env_token=sandbox.token, sandbox=sandbox, app=qapp)
        qloop.finalizers.append(app.stop)
        dialog = _open_settings(app)
        await wait_until(lambda: "could not be read" in dialog.account.token.text(), 10,
                         "the keyring's failure, in words")
        await wait_until(lambda: "could not be read" in dialog.relay_creds.status.text(), 10,
                         "the relay credentials' state, in words")
        _set(dialog.editors["dial/tel_action"], "dial")
        dialog.relay_creds.entry.setText("a2101:pw")
        dialog.save_button.click()
        await wait_until(lambda: dialog.relay_creds.error.isVisible(), 10, "the refusal")
        assert "Nothing was saved" in dialog.relay_creds.error.text()
        assert dialog.stack.currentIndex() == [p.name for p in dialog.pages].index("Advanced")
        assert _stored(app).get(_stored(app).declarations["dial/tel_action"]) == "prefill"
        dialog.reject()
    qloop.run(scenario())


def test_a_creds_file_is_loaded_and_stored_at_save(qloop: QtLoop, start_app: StartApp,
                                                  tmp_path: Path) -> None:
    creds = tmp_path / "agent.creds"
    creds.write_text("-----BEGIN NATS USER JWT-----\neyJ0\n------END NATS USER JWT------\n",
                     encoding="utf-8")

    async def scenario() -> None:
        app = await start_app()
        dialog = _open_settings(app)
        dialog.relay_creds.file_chosen.emit(str(creds))  # what the file picker sends
        await wait_until(lambda: "agent.creds" in dialog.relay_creds.status.text(), 10,
                         "the file loaded")
        assert "eyJ0" not in dialog.relay_creds.status.text()
        dialog.save_button.click()
        await wait_until(lambda: app.runtime.settings_flow.dialog is None, 15, "saved")
        keyring = app.runtime.settings_flow.keyring
        assert keyring is not None
        assert "eyJ0" in (await keyring.get_relay_creds(app.profile) or "")
        assert "eyJ0" not in _stored(app).path.read_text(encoding="utf-8")
    qloop.run(scenario())


def test_sign_out_from_the_account_page(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        dialog = _open_settings(app)
        dialog.open_page("Account")
        dialog.account.sign_out_button.click()
        await wait_until(lambda: app.runtime.settings_flow.dialog is None, 10,
                         "settings stepped aside")
        sign_in = app.runtime.sign_in
        assert sign_in is not None
        await wait_until(lambda: sign_in.dialog is not None and sign_in.dialog.isVisible(),
                         15, "the sign-in dialog after signing out")
        assert sign_in.dialog is not None
        sign_in.dialog.reject()
    qloop.run(scenario())


def test_during_a_live_call_the_session_is_not_restarted(qloop: QtLoop,
                                                        start_app: StartApp) -> None:
    """Settings read at session start wait for the next sign-in; the call card stays."""
    async def scenario() -> None:
        app = await start_app()
        services = app.services
        app.window.dial.number.setText("9876543210")
        app.window.dial.call_button.click()
        await wait_until(lambda: services.tracker.live_calls(), 10, "a live call")
        dialog = _open_settings(app)
        _set(dialog.editors["dial/calling_hours_end"], "20:00")
        dialog.save_button.click()
        await wait_until(lambda: "A call is live" in dialog.message.text(), 10, "the note")
        assert "Calling hours until" in dialog.message.text()
        assert "next sign-in" in dialog.message.text()
        assert app.runtime.services is services and services.tracker.live_calls()
        assert _stored(app).get(_stored(app).declarations["dial/calling_hours_end"]) == "20:00"
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None and cancel.text() == "Close"
        dialog.reject()
    qloop.run(scenario())
