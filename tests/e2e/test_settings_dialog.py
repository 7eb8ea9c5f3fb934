"""Settings through the real dialog: API check table, webhook registration, saving."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from qt_async import QtLoop, wait_until

from agentapp.settings import DIAL_CALLING_HOURS_START, DIAL_TEL_ACTION, Settings


def test_check_api_shows_every_endpoint_ok(qloop: QtLoop, start_app) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.settings_action.trigger()
        dialog = app.runtime.settings_flow.dialog
        assert dialog is not None
        dialog.check_button.click()
        await wait_until(lambda: dialog.report.isVisible(), 20, "the check report")
        report = dialog.report.toPlainText()
        assert "/api/key_authentication" in report and "/v1/all_call_logs" in report
        assert "endpoints OK" in dialog.message.text()
        assert dialog.message.property("tone") == "ok", report
    qloop.run(scenario())


def test_register_webhook_from_settings(qloop: QtLoop, start_app, sandbox) -> None:
    async def scenario() -> None:
        app = await start_app()
        services = app.runtime.services
        assert services is not None
        first_url = services.webhook_url
        app.window.settings_action.trigger()
        dialog = app.runtime.settings_flow.dialog
        dialog.webhook_button.click()
        await wait_until(lambda: "Registered" in dialog.message.text(), 10, "registration")
        assert services.webhook_url and services.webhook_url != first_url
        info = sandbox.control("GET", "/_sandbox/info")
        assert info["webhook_url"] == services.webhook_url
    qloop.run(scenario())


def test_save_validates_and_persists(qloop: QtLoop, start_app) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.settings_action.trigger()
        dialog = app.runtime.settings_flow.dialog
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        dialog.editors[DIAL_CALLING_HOURS_START.key].setText("25:99")
        save.click()
        assert "Calling hours start" in dialog.message.text()
        dialog.editors[DIAL_CALLING_HOURS_START.key].setText("08:30")
        tel = dialog.editors[DIAL_TEL_ACTION.key]
        tel.setCurrentIndex(tel.findData("dial"))
        save.click()
        await wait_until(lambda: app.runtime.settings_flow.dialog is None, 10, "dialog closed")
        stored = Settings.for_profile(app.profile)
        stored.load()
        assert stored.get(DIAL_CALLING_HOURS_START) == "08:30"
        assert stored.get(DIAL_TEL_ACTION) == "dial"
    qloop.run(scenario())


def test_real_account_registration_warns_first(qloop: QtLoop, start_app, qapp) -> None:
    async def scenario() -> None:
        app = await start_app()
        services = app.runtime.services
        assert services is not None
        # Pretend the server is a real account: the sandbox flag drives the warning.
        from dataclasses import replace
        services.session = replace(services.session, is_sandbox=False)
        app.window.settings_action.trigger()
        dialog = app.runtime.settings_flow.dialog
        dialog.webhook_button.click()

        def warning() -> QMessageBox | None:
            return next((w for w in qapp.topLevelWidgets()
                         if isinstance(w, QMessageBox) and w.isVisible()), None)
        await wait_until(warning, 5, "the one-webhook warning")
        box = warning()
        assert box is not None and "ONE webhook URL" in box.text()
        box.button(QMessageBox.StandardButton.No).click()
        assert "Registered" not in dialog.message.text()
    qloop.run(scenario())
