"""A damaged settings file is told to the agent in the window, with where the old one is."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from keyring_memory import MemoryKeyring
from PySide6.QtWidgets import QApplication
from qt_async import QtLoop, qloop, wait_until  # noqa: F401 (fixture re-export)

from agentapp.cli import parse_launch
from agentapp.paths import settings_file
from agentapp.runtime import AppRuntime
from agentapp.secrets import AsyncSecretStore, SecretStore
from agentapp.single_instance import SingleInstance, instance_name


def test_window_and_sign_in_say_what_was_reset(
        qapp: QApplication, qloop: QtLoop, data_dirs: Path) -> None:  # noqa: F811
    profile = "damaged-" + uuid.uuid4().hex[:8]
    path = settings_file(profile)
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"agent/extension": "2101", "agent/did": "+9111')  # truncated
    single = SingleInstance(instance_name(profile))
    single.listen()
    runtime = AppRuntime(qapp, parse_launch(["--profile", profile]), single,
                         secrets=AsyncSecretStore(SecretStore(MemoryKeyring())),
                         install_hooks=False, env_token="")

    async def body() -> None:
        task = asyncio.ensure_future(runtime.run())

        async def stop() -> None:
            runtime.quit()
            await asyncio.wait_for(task, 10)
        qloop.finalizers.append(stop)
        await wait_until(lambda: runtime.started.is_set() or task.done(), 20, "app start")
        window = runtime.window
        assert window is not None
        kept = sorted(path.parent.glob("settings.json.damaged-*"))
        assert len(kept) == 1
        assert window.notice.isVisible()
        assert str(kept[0]) in window.notice.text()
        assert window.notice.accessibleName().startswith("Notice: Your settings file was damaged")
        assert runtime.sign_in is not None and runtime.sign_in.dialog is not None
        assert "Your settings file was damaged" in runtime.sign_in.dialog.message.text()

    try:
        qloop.run(body())
    finally:
        single.close()
