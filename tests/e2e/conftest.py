"""The real app (AppRuntime, MainWindow, services) against a sandbox on loopback.

The app is started signed in the way automation starts it (``--api-url`` +
``AGENTAPP_TOKEN`` + ``--extension`` + ``--did``); the sandbox runs in its own
thread, so everything between them is real HTTP and real webhooks.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring_memory import MemoryKeyring
from PySide6.QtWidgets import QApplication
from qt_async import QtLoop, qloop, wait_until  # noqa: F401 (fixture re-export)

from agentapp.cli import parse_launch
from agentapp.runtime import AppRuntime
from agentapp.sandbox.thread import SandboxThread
from agentapp.secrets import AsyncSecretStore, SecretStore
from agentapp.single_instance import SingleInstance, instance_name


class RunningApp:
    def __init__(self, runtime: AppRuntime, task: asyncio.Task[int], profile: str,
                 sandbox: SandboxThread) -> None:
        self.runtime = runtime
        self.task = task
        self.profile = profile
        self.sandbox = sandbox

    @property
    def window(self) -> Any:
        assert self.runtime.window is not None
        return self.runtime.window

    def calls(self) -> list[dict[str, Any]]:
        data = self.sandbox.control("GET", "/_sandbox/calls")
        return list(data["data"])

    async def stop(self) -> int:
        self.runtime.quit()
        return await asyncio.wait_for(self.task, 10)


StartApp = Callable[..., "asyncio.Future[RunningApp]"]


@pytest.fixture
def start_app(qapp: QApplication, qloop: QtLoop, data_dirs: Path, sandbox: SandboxThread,  # noqa: F811
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """``app = await start_app(*extra_argv, extension="2101")`` inside ``qloop.run``."""
    started: list[RunningApp] = []
    singles: list[SingleInstance] = []
    monkeypatch.setenv("AGENTAPP_TOKEN", sandbox.token)

    async def start(*argv: str, extension: str = "2101", did: str = "+911143104567",
                    api_url: str | None = None) -> RunningApp:
        profile = "e2e-" + uuid.uuid4().hex[:8]
        launch = parse_launch(["--api-url", api_url or sandbox.base_url, "--extension",
                               extension, "--did", did, "--profile", profile, *argv])
        single = SingleInstance(instance_name(profile))
        single.listen()
        singles.append(single)
        secrets = AsyncSecretStore(SecretStore(MemoryKeyring()))
        runtime = AppRuntime(qapp, launch, single, secrets=secrets, install_hooks=False,
                             env_token=sandbox.token)
        task = asyncio.ensure_future(runtime.run())
        await wait_until(lambda: runtime.started.is_set() or task.done(), 20, "app start")
        if task.done():
            task.result()
        app = RunningApp(runtime, task, profile, sandbox)
        started.append(app)
        qloop.finalizers.append(app.stop)
        return app

    yield start
    for single in singles:
        single.close()
