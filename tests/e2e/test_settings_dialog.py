"""Settings through the real dialog: API check table, webhook registration, saving."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QMessageBox

from agentapp.sandbox.thread import SandboxThread
from agentapp.settings import DIAL_CALLING_HOURS_START, DIAL_TEL_ACTION, Settings
from agentapp.ui.settings_dialog import SettingsDialog
from testkit.apps import AppUnderTest, StartApp
from testkit.dialogs import open_question
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


def _open_settings(app: AppUnderTest) -> SettingsDialog:
    app.window.settings_action.trigger()
    dialog = app.runtime.settings_flow.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_check_api_shows_every_endpoint_ok(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        dialog = _open_settings(app)
        dialog.check_button.click()
        await wait_until(lambda: dialog.report.isVisible(), 20, "the check report")
        report = dialog.report.toPlainText()
        assert "/api/key_authentication" in report and "/v1/all_call_logs" in report
        assert "endpoints OK" in dialog.message.text()
        assert dialog.message.property("tone") == "ok", report
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


def test_save_validates_and_persists(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        dialog = _open_settings(app)
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        start = dialog.editors[DIAL_CALLING_HOURS_START.key]
        tel = dialog.editors[DIAL_TEL_ACTION.key]
        assert isinstance(start, QLineEdit) and isinstance(tel, QComboBox)
        start.setText("25:99")
        save.click()
        assert "Calling hours start" in dialog.message.text()
        start.setText("08:30")
        tel.setCurrentIndex(tel.findData("dial"))
        save.click()
        await wait_until(lambda: app.runtime.settings_flow.dialog is None, 10, "dialog closed")
        stored = Settings.for_profile(app.profile)
        stored.load()
        assert stored.get(DIAL_CALLING_HOURS_START) == "08:30"
        assert stored.get(DIAL_TEL_ACTION) == "dial"
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
