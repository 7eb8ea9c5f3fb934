"""First run: demo mode with the sign-in dialog on top; sign in against a real server.

The "real account" is a sandbox on its own loopback port; the app's own demo
sandbox runs in-process. Good token, bad token, server down, insecure keyring.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtWidgets import QApplication

from agentapp.runtime import AppRuntime
from agentapp.sandbox.thread import SandboxThread
from agentapp.secrets import SERVICE_NAME
from agentapp.settings import AGENT_DID, AGENT_EXTENSION, API_BASE_URL, Settings
from agentapp.ui.sign_in_dialog import SignInDialog
from testkit.apps import launch_app, new_profile
from testkit.keyrings import MemoryKeyring
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


class FirstRun:
    def __init__(self, runtime: AppRuntime, keyring: KeyringBackend, profile: str) -> None:
        self.runtime = runtime
        self.keyring = keyring
        self.profile = profile
        self.stop: Callable[[], Awaitable[None]] | None = None

    @property
    def dialog(self) -> SignInDialog:
        """The open sign-in dialog (the tests that reach for it expect one)."""
        assert self.runtime.sign_in is not None
        dialog = self.runtime.sign_in.dialog
        assert dialog is not None, "the sign-in dialog is not open"
        return dialog

    @property
    def dialog_closed(self) -> bool:
        return self.runtime.sign_in is None or self.runtime.sign_in.dialog is None

    @property
    def passwords(self) -> dict[tuple[str, str], str]:
        assert isinstance(self.keyring, MemoryKeyring)
        return self.keyring.passwords


StartFirstRun = Callable[..., Awaitable[FirstRun]]


@pytest.fixture
def first_run(qapp: QApplication, qloop: QtLoop, data_dirs: Path,
              monkeypatch: pytest.MonkeyPatch) -> StartFirstRun:
    """The app as a new agent first starts it: no settings, no token, demo + sign-in."""
    monkeypatch.delenv("AGENTAPP_TOKEN", raising=False)

    async def start(keyring: KeyringBackend | None = None, profile: str = "") -> FirstRun:
        keyring = keyring if keyring is not None else MemoryKeyring()
        app = await launch_app([], profile=profile or new_profile("signin"), keyring=keyring,
                               app=qapp)

        async def stop() -> None:
            # The app opened the sign-in dialog itself (first run, sign-out): the
            # harness closes it. Anything else left open fails the test.
            flow = app.runtime.sign_in
            if flow is not None and flow.dialog is not None:
                flow.dialog.reject()
            await app.stop()

        qloop.finalizers.append(stop)
        run = FirstRun(app.runtime, keyring, app.profile)
        run.stop = stop
        return run

    return start


async def _message(run: FirstRun) -> str:
    await wait_until(lambda: run.dialog.message.text() not in ("", "Checking the token…"),
                     10, "the check's answer")
    return str(run.dialog.message.text())


async def _check_token(run: FirstRun, base_url: str, token: str) -> str:
    """Fill in the dialog, press Check token, return its answer."""
    run.dialog.base_url.setText(base_url)
    run.dialog.token.setText(token)
    run.dialog.check_button.click()
    return await _message(run)


def test_first_run_is_demo_with_the_sign_in_dialog(qloop: QtLoop, first_run: StartFirstRun) -> None:
    async def scenario() -> None:
        run = await first_run()
        services = run.runtime.services
        assert services is not None and services.session.is_sandbox
        assert not run.dialog_closed and run.dialog.isVisible()
        assert run.dialog.base_url.text() == "https://api.ivrsolutions.in"
        assert run.runtime.window is not None
        assert run.runtime.window.windowTitle().startswith("Agent Companion")
        assert run.runtime.window.banner.isVisible()
    qloop.run(scenario())


def test_good_token_signs_in_and_saves_only_then(
        qloop: QtLoop, first_run: StartFirstRun, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        run = await first_run()
        d = run.dialog
        d.base_url.setText(sandbox.base_url)
        d.token.setText(sandbox.token)
        assert d.token.echoMode() == d.token.EchoMode.Password
        d.check_button.click()
        assert "Token accepted" in await _message(run)
        assert run.passwords == {}  # nothing saved before the agent confirms
        exts = [d.extension.itemData(i) for i in range(d.extension.count())]
        assert exts[:3] == ["2101", "2102", "2105"]  # usable extensions first
        d.extension.setCurrentIndex(exts.index("2102"))
        d.did.setCurrentIndex(d.did.findData("+918044475500"))
        d.sign_in_button.click()
        await wait_until(lambda: run.dialog_closed, 10, "the dialog to close")
        assert run.passwords == {(SERVICE_NAME, run.profile): sandbox.token}
        settings = Settings.for_profile(run.profile)
        settings.load()
        assert settings.get(API_BASE_URL) == sandbox.base_url
        assert (settings.get(AGENT_EXTENSION), settings.get(AGENT_DID)) == (
            "2102", "+918044475500")
        assert sandbox.token not in settings.path.read_text()
        services = run.runtime.services
        assert services is not None and services.session.base_url == sandbox.base_url
        assert services.session.ext_no == "2102"
    qloop.run(scenario())


def test_bad_token_is_refused_and_nothing_saved(
        qloop: QtLoop, first_run: StartFirstRun, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        run = await first_run()
        answer = await _check_token(run, sandbox.base_url, "not-the-token")
        assert "token was refused" in answer.lower()
        assert not run.dialog.sign_in_button.isEnabled()
        assert run.passwords == {}
        assert not Settings.for_profile(run.profile).path.exists() or \
            "not-the-token" not in Settings.for_profile(run.profile).path.read_text()
    qloop.run(scenario())


def test_server_down_says_so(qloop: QtLoop, first_run: StartFirstRun) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]

    async def scenario() -> None:
        run = await first_run()
        run.dialog.base_url.setText(f"http://127.0.0.1:{dead}")
        run.dialog.token.setText("whatever-token")
        run.dialog.check_button.click()
        text = (await _message(run)).lower()
        assert "could not reach the ivr solutions api" in text
        assert run.passwords == {}
    qloop.run(scenario())


def test_plain_http_to_a_remote_host_is_refused(qloop: QtLoop, first_run: StartFirstRun) -> None:
    async def scenario() -> None:
        run = await first_run()
        run.dialog.base_url.setText("http://api.example.com")
        run.dialog.token.setText("whatever-token")
        run.dialog.check_button.click()
        assert "https" in (await _message(run))
    qloop.run(scenario())


def test_insecure_keyring_is_said_and_nothing_written(
        qloop: QtLoop, first_run: StartFirstRun, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        run = await first_run(FailKeyring())
        d = run.dialog
        await wait_until(lambda: d.keyring_warning.isVisible(), 5, "the keyring warning")
        assert "cannot be saved" in d.keyring_warning.text()
        assert "Token accepted" in await _check_token(run, sandbox.base_url, sandbox.token)
        d.sign_in_button.click()
        await wait_until(lambda: "No secure keyring" in d.message.text(), 5, "the refusal")
        assert run.runtime.services is not None and run.runtime.services.session.is_sandbox
    qloop.run(scenario())


def test_first_launch_explains_itself_and_labels_the_demo(qloop: QtLoop,
                                                          first_run: StartFirstRun) -> None:
    async def scenario() -> None:
        run = await first_run()
        d = run.dialog
        assert "IVR Solutions" in d.intro.text() and "rings first" in d.intro.text()
        assert d.sandbox_button.text() == "Try it with the built-in demo (no real calls)"
        assert "dashboard → Settings → API token" in d.token_hint.text()
        assert not d.sign_in_button.isEnabled()
        assert d.sign_in_hint.isVisible() and "Check token" in d.sign_in_hint.text()
        window = run.runtime.window
        assert window is not None
        assert "Demo agent on demo line" in window.windowTitle()
        assert window.status.mode.isVisible() and "not a real line" in window.status.mode.text()
        assert "demo agent on a demo line" in window.banner.text()
    qloop.run(scenario())


def test_the_demo_choice_is_remembered(qloop: QtLoop, first_run: StartFirstRun) -> None:
    async def scenario() -> None:
        run = await first_run()
        run.dialog.sandbox_button.click()
        await wait_until(lambda: run.dialog_closed, 10, "the dialog to close")
        assert run.stop is not None
        await run.stop()
        again = await first_run(profile=run.profile)
        assert again.dialog_closed  # no dialog at the second launch
        services = again.runtime.services
        assert services is not None and services.session.is_sandbox
    qloop.run(scenario())


def test_closing_without_choosing_asks_again_next_time(qloop: QtLoop,
                                                       first_run: StartFirstRun) -> None:
    async def scenario() -> None:
        run = await first_run()
        run.dialog.reject()
        assert run.stop is not None
        await run.stop()
        again = await first_run(profile=run.profile)
        assert not again.dialog_closed
    qloop.run(scenario())


def test_try_the_sandbox_closes_the_dialog(qloop: QtLoop, first_run: StartFirstRun) -> None:
    async def scenario() -> None:
        run = await first_run()
        run.dialog.sandbox_button.click()
        await wait_until(lambda: run.dialog_closed, 10, "the dialog to close")
        services = run.runtime.services
        assert services is not None and services.session.is_sandbox
    qloop.run(scenario())


def test_each_failure_gets_its_own_message(
        qloop: QtLoop, first_run: StartFirstRun, sandbox: SandboxThread) -> None:
    """HTML page, broken JSON, TLS to a plain-HTTP port: distinct, actionable words."""
    async def check(run: FirstRun, base_url: str, fault: dict[str, object] | None) -> str:
        if fault is not None:
            sandbox.control("POST", "/_sandbox/faults", {**fault, "count": 1})
        text = await _check_token(run, base_url, sandbox.token)
        sandbox.control("POST", "/_sandbox/faults", {})
        run.dialog.show_message("", "")
        return text.lower()

    async def scenario() -> None:
        run = await first_run()
        html = await check(run, sandbox.base_url, {"html_rate": 1.0})
        malformed = await check(run, sandbox.base_url, {"malformed_rate": 1.0})
        tls = await check(run, sandbox.base_url.replace("http://", "https://"), None)
        assert len({html, malformed, tls}) == 3, (html, malformed, tls)
        assert "html" in html or "web page" in html
        assert "tls" in tls or "secure" in tls or "certificate" in tls
        assert run.passwords == {}
    qloop.run(scenario())


def test_sign_out_removes_the_token_and_returns_to_the_demo(
        qloop: QtLoop, first_run: StartFirstRun, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        run = await first_run()
        assert "Token accepted" in await _check_token(run, sandbox.base_url, sandbox.token)
        run.dialog.sign_in_button.click()
        await wait_until(lambda: run.dialog_closed, 10, "signed in")
        assert run.passwords
        window = run.runtime.window
        assert window is not None and window.sign_out_action.isEnabled()
        window.sign_out_action.trigger()
        await wait_until(lambda: not run.dialog_closed, 10, "the dialog after sign-out")
        assert run.passwords == {}
        assert "Signed out" in run.dialog.message.text()
        services = run.runtime.services
        assert services is not None and services.session.is_sandbox
        settings = Settings.for_profile(run.profile)
        settings.load()
        assert settings.get(AGENT_EXTENSION) == "" and settings.get(AGENT_DID) == ""
    qloop.run(scenario())
