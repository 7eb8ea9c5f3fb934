"""The real app (AppRuntime, MainWindow, services) against a sandbox on loopback.

The app is started signed in the way automation starts it (``--api-url`` +
``AGENTAPP_TOKEN`` + ``--extension`` + ``--did``); the sandbox runs in its own
thread, so everything between them is real HTTP and real webhooks.

Time is pinned: calling hours are written into the profile (09:00-21:00) and
the app's local clock reads noon (``app.local_time.at`` moves it), so no test
depends on when, or in which time zone, the suite runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from agentapp.sandbox.thread import SandboxThread
from testkit.apps import AppUnderTest, StartApp, launch_app, new_profile, pin_calling_hours
from testkit.qt_loop import QtLoop


@pytest.fixture
def start_app(qapp: QApplication, qloop: QtLoop, data_dirs: Path, sandbox: SandboxThread,
              monkeypatch: pytest.MonkeyPatch) -> StartApp:
    """``app = await start_app(*extra_argv, extension="2101")`` inside ``qloop.run``."""
    monkeypatch.setenv("AGENTAPP_TOKEN", sandbox.token)

    async def start(*argv: str, extension: str = "2101", did: str = "+911143104567",
                    api_url: str | None = None) -> AppUnderTest:
        args = list(argv)
        if "--profile" in args:  # a test that restarts the app on the same profile
            at = args.index("--profile")
            profile = args[at + 1]
            del args[at:at + 2]
        else:
            profile = new_profile("e2e")
        pin_calling_hours(profile)
        app = await launch_app(
            ["--api-url", api_url or sandbox.base_url, "--extension", extension, "--did", did,
             *args], profile=profile, env_token=sandbox.token, sandbox=sandbox, app=qapp)
        qloop.finalizers.append(app.stop)
        return app

    return start
